"""Checks every uploaded spreadsheet goes through before openpyxl is allowed near it.

A spreadsheet from outside is untrusted input. Before it is parsed, the raw bytes are
checked: size, zip structure, macros (a .xlsm renamed to .xlsx still declares its macro
content type and carries a vbaProject part) and the unpacked size (a small zip can inflate to
gigabytes). Then it is opened read-only, without evaluating anything: formula cells are for the
importer to refuse, since their cached value is whatever the last program to save the file
said, not what the person sees.

The enrolment import (spreadsheets.py) and the paper register (register_sheets.py) share
these; each says what its own rows and columns must be.
"""

import io
import zipfile
from collections.abc import Callable
from typing import TypeVar

import openpyxl
from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
# A legitimate sheet of a few hundred rows unpacks to well under a megabyte; anything far
# beyond is a bomb.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam")

T = TypeVar("T")


class FileRefused(Exception):
    """The file as a whole cannot be read. The message is translated and shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


def too_big_message(max_bytes: int = MAX_BYTES) -> str:
    return _("The file is larger than %(size)d MB. Split it into smaller files.") % {
        "size": max_bytes // (1024 * 1024)
    }


def not_a_spreadsheet_message() -> str:
    return _(
        "This file is not an Excel spreadsheet (.xlsx) or it is damaged. "
        "Save it from Excel, LibreOffice or Google Sheets as .xlsx and try again."
    )


def macro_message() -> str:
    return _(
        "Files with macros (.xlsm) are refused. Save the sheet as an ordinary "
        "Excel workbook (.xlsx) and try again."
    )


def upload_read(file, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The uploaded file's bytes, refusing an empty file or one over `max_bytes` without
    reading more than one byte past the limit."""
    size = getattr(file, "size", None)
    if size is not None and size > max_bytes:
        raise FileRefused(too_big_message(max_bytes))
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileRefused(too_big_message(max_bytes))
    if not data:
        raise FileRefused(_("The file is empty."))
    return data


def xlsx_check_package(
    *, name: str, data: bytes, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, unpacked_hint: str = ""
) -> None:
    """Refuse by name and by content: a macro workbook, a non-zip, a zip that is no workbook,
    a zip that would unpack to far more than any honest sheet. `unpacked_hint` ends the
    message of the last case with what to do instead."""
    lower = name.lower()
    if lower.endswith(MACRO_EXTENSIONS):
        raise FileRefused(macro_message())
    if lower and not lower.endswith(".xlsx"):
        raise FileRefused(not_a_spreadsheet_message())
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise FileRefused(not_a_spreadsheet_message())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            names = {info.filename.lower() for info in infos}
            if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
                raise FileRefused(not_a_spreadsheet_message())
            if any(part.rsplit("/", 1)[-1] in MACRO_PARTS for part in names):
                raise FileRefused(macro_message())
            if sum(info.file_size for info in infos) > max_unpacked_bytes:
                message = _(
                    "This spreadsheet unpacks to more than %(size)d MB, far more than it should."
                ) % {"size": max_unpacked_bytes // (1024 * 1024)}
                raise FileRefused(f"{message} {unpacked_hint}".strip())
            content_types = package.read("[Content_Types].xml").lower()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, EOFError):
        raise FileRefused(not_a_spreadsheet_message()) from None
    if b"macroenabled" in content_types or b"vbaproject" in content_types:
        raise FileRefused(macro_message())


def xlsx_read(data: bytes, read: Callable[[openpyxl.Workbook], T]) -> T:
    """Open checked bytes read-only (formulas stay formulas) and hand the workbook to `read`.

    A damaged part often shows only while its rows are iterated, so anything openpyxl raises
    inside `read`, other than a FileRefused of the reader's own, means "not a spreadsheet".
    """
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors...)
        raise FileRefused(not_a_spreadsheet_message()) from None
    try:
        if not workbook.worksheets:
            raise FileRefused(not_a_spreadsheet_message())
        return read(workbook)
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(not_a_spreadsheet_message()) from None
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A cell's value as the text a person typed: 91234567.0 becomes "91234567"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"
