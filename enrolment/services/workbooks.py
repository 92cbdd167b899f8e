"""The one way an uploaded spreadsheet is opened: bounded, checked, then read.

A spreadsheet from outside is untrusted input, and a small one can hold a worker for minutes:
a 57 KB file can unpack to a 49 MB XML comment, a 99 KB one to a row of 16,384 cells, a
122 KB one to millions of shared strings. So `xlsx_upload_read` refuses before openpyxl is
allowed near the file, in this order, each step bounded by the caller's `XlsxLimits`:

1. the upload's size, read at most one byte past the limit;
2. what the bytes are: empty, an old .xls or a password-protected workbook (both OLE files),
   not a zip (a renamed CSV), a truncated zip;
3. the zip's directory: how many parts, each part's declared size and their total, encrypted
   parts, macros (a vbaProject part, a macro content type), links to other workbooks;
4. every part actually unpacked, counting the bytes read (a zip's declared sizes can lie),
   and every XML part scanned once with expat, which stops at the first element past the
   budget: cells in the sheets, elements in all, overlong names, values and texts, and the
   DTDs, comments and CDATA that no spreadsheet program writes (a DTD can expand entities;
   a long comment makes openpyxl's chunked parser quadratic);
5. only then openpyxl, read-only, formulas kept as formulas, and the reader sees the first
   sheet through `BoundedSheet`, whose rows stop at the caller's rows and columns (a sheet's
   declared size can be A1:XFD1048576, and openpyxl pads every row to it).

The enrolment import (spreadsheets.py) and the paper register (register_uploads.py) use it;
each says what its own rows and columns must be.
"""

import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_BYTES = 2 * 1024 * 1024
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_EXTENSIONS = (".xlsm", ".xltm", ".xlam")
# An OLE compound file: an old .xls, or an .xlsx that Excel encrypted with a password.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
XML_SUFFIXES = (".xml", ".rels", ".vml")
# Excel keeps at most 32,767 characters in a cell; an attribute or a name this long is not
# something a spreadsheet program wrote.
MAX_TEXT = 32_767
MAX_NAME = 256
CHUNK = 64 * 1024

T = TypeVar("T")


class FileRefused(Exception):
    """The file as a whole cannot be read. The message is translated and shown as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class XlsxLimits:
    """What an upload may hold. `max_rows` and `max_columns` bound what the reader is shown;
    `max_cells` bounds the cells of every sheet together, which also sets how large the
    parts may unpack. `hint` ends a refusal for size with what to do instead."""

    max_rows: int
    max_columns: int
    max_cells: int
    max_bytes: int = MAX_BYTES
    max_parts: int = 100
    hint: str = ""

    @property
    def max_elements(self) -> int:
        # A cell is two or three elements (c, v, or c, is, t); styles, theme and the rest of
        # an ordinary workbook are a few thousand.
        return 4 * self.max_cells + 20_000

    @property
    def max_part_bytes(self) -> int:
        # A cell written by Excel is 30-60 bytes of XML; the theme alone is ~7 KB.
        return 80 * self.max_cells + 1024 * 1024

    @property
    def max_unpacked_bytes(self) -> int:
        return 2 * self.max_part_bytes


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


def _refuse(message: str, limits: XlsxLimits | None = None) -> FileRefused:
    hint = limits.hint if limits else ""
    return FileRefused(f"{message} {hint}".strip())


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


# --- before openpyxl --------------------------------------------------------------------------


def xlsx_check_package(*, name: str, data: bytes, limits: XlsxLimits) -> None:
    """Refuse by name, by kind and by every part's content, without openpyxl."""
    lower = name.lower()
    if lower.endswith(MACRO_EXTENSIONS):
        raise FileRefused(macro_message())
    if data.startswith(OLE_MAGIC):
        raise FileRefused(
            _(
                "This file is protected with a password, or it is an old Excel file (.xls). "
                "Open it in Excel, remove the password, save it as .xlsx and try again."
            )
        )
    if lower and not lower.endswith(".xlsx"):
        raise FileRefused(not_a_spreadsheet_message())
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            _check_directory(infos, limits)
            budget = _Budget(limits)
            for info in infos:
                _check_part(package, info, budget)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        # Not a zip, a truncated one, a damaged part, a compression zipfile cannot read.
        raise FileRefused(not_a_spreadsheet_message()) from None
    except (RuntimeError, ValueError):
        # zipfile's own refusal of an encrypted part, or of a part it cannot read.
        raise FileRefused(not_a_spreadsheet_message()) from None


def _check_directory(infos: list[zipfile.ZipInfo], limits: XlsxLimits) -> None:
    names = {info.filename.lower() for info in infos}
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise FileRefused(not_a_spreadsheet_message())
    if any(name.rsplit("/", 1)[-1] in MACRO_PARTS for name in names):
        raise FileRefused(macro_message())
    if any(name.startswith("xl/externallinks/") for name in names):
        raise FileRefused(
            _(
                "This spreadsheet links to other files. Copy its cells, paste them as values "
                "only into a new workbook, save that as .xlsx and try again."
            )
        )
    if any(info.flag_bits & 0x1 for info in infos):
        raise FileRefused(
            _(
                "This file is protected with a password. Open it in Excel, remove the "
                "password, save it as .xlsx and try again."
            )
        )
    if len(infos) > limits.max_parts:
        raise _refuse(
            _(
                "This file holds %(count)d parts; an ordinary spreadsheet has a few dozen. "
                "Save it again from Excel as .xlsx."
            )
            % {"count": len(infos)},
            limits,
        )
    declared = 0
    for info in infos:
        declared += info.file_size
        if info.file_size > limits.max_part_bytes or declared > limits.max_unpacked_bytes:
            raise _unpacked_refusal(limits)


def _unpacked_refusal(limits: XlsxLimits) -> FileRefused:
    return _refuse(
        _("This spreadsheet unpacks to more than %(size)d MB, far more than it should.")
        % {"size": max(1, limits.max_unpacked_bytes // (1024 * 1024))},
        limits,
    )


def _strange_content() -> FileRefused:
    return FileRefused(
        _(
            "This spreadsheet holds content that Excel does not write (XML comments, "
            "declarations or overlong values). Save it again from Excel as .xlsx and try again."
        )
    )


class _Budget:
    """What is left to read of the whole package: bytes, elements, cells."""

    def __init__(self, limits: XlsxLimits):
        self.limits = limits
        self.bytes = limits.max_unpacked_bytes
        self.elements = limits.max_elements
        self.cells = limits.max_cells


def _check_part(package: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> None:
    """Unpack one part, counting the bytes actually read, and scan it if it is XML."""
    limit = min(budget.limits.max_part_bytes, budget.bytes)
    chunks = []
    read = 0
    with package.open(info) as stream:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > limit:
                raise _unpacked_refusal(budget.limits)
            chunks.append(chunk)
    budget.bytes -= read
    data = b"".join(chunks)
    name = info.filename.lower()
    if name == "[content_types].xml":
        # A .xlsm renamed to .xlsx still declares its macro content type.
        lower = data.lower()
        if b"macroenabled" in lower or b"vbaproject" in lower:
            raise FileRefused(macro_message())
    if name.endswith(XML_SUFFIXES):
        _scan_xml(data, budget, is_sheet=name.startswith("xl/worksheets/"))


class _Stop(Exception):
    """Raised inside an expat handler to stop the scan at once."""

    def __init__(self, refusal: FileRefused):
        self.refusal = refusal


def _scan_xml(data: bytes, budget: _Budget, *, is_sheet: bool) -> None:
    # "<!" starts a comment, a DTD or CDATA: none is written by Excel, LibreOffice or Google
    # Sheets, and finding them here is a plain byte search, before any parsing.
    if b"<!" in data:
        raise _strange_content()
    parser = expat.ParserCreate()
    text = 0

    def start(name, attributes):
        nonlocal text
        text = 0
        budget.elements -= 1
        if budget.elements < 0:
            raise _Stop(_refuse(_too_many_cells_message(budget.limits), budget.limits))
        if is_sheet and name.rsplit(":", 1)[-1] == "c":
            budget.cells -= 1
            if budget.cells < 0:
                raise _Stop(_refuse(_too_many_cells_message(budget.limits), budget.limits))
        if len(name) > MAX_NAME or any(len(v) > MAX_TEXT for v in attributes.values()):
            raise _Stop(_strange_content())

    def end(name):
        nonlocal text
        text = 0

    def characters(data):
        nonlocal text
        text += len(data)
        if text > MAX_TEXT:
            raise _Stop(_strange_content())

    def refuse(*args):
        raise _Stop(_strange_content())

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.ProcessingInstructionHandler = refuse
    parser.CommentHandler = refuse
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        # In one call: expat 2.5 fed in chunks rescans a long token at every chunk.
        parser.Parse(data, True)
    except _Stop as stop:
        raise stop.refusal from None
    except expat.ExpatError:
        raise FileRefused(not_a_spreadsheet_message()) from None


def _too_many_cells_message(limits: XlsxLimits) -> str:
    return _("This spreadsheet has more than %(count)s cells, far more than it should.") % {
        "count": f"{limits.max_cells:,}"
    }


# --- openpyxl, bounded ------------------------------------------------------------------------


class BoundedSheet:
    """The first sheet of a checked workbook, seen no further than the caller's limits."""

    def __init__(self, sheet, limits: XlsxLimits):
        self._sheet = sheet
        self.limits = limits
        # The whole (checked, read-only) workbook, for a reader that needs a bounded look at
        # another sheet, such as the register's download time on its Key sheet.
        self.workbook = sheet.parent

    @property
    def max_column(self) -> int:
        """How wide the sheet says it is (its declared size; nothing is read for it)."""
        return self._sheet.max_column or 0

    def rows(self) -> Iterator[tuple]:
        """Rows 1 to max_rows, each cut to max_columns cells (missing ones empty)."""
        return self._sheet.iter_rows(
            min_row=1, max_row=self.limits.max_rows, max_col=self.limits.max_columns
        )


def xlsx_read(data: bytes, limits: XlsxLimits, read: Callable[[BoundedSheet], T]) -> T:
    """Open checked bytes read-only (formulas stay formulas) and hand the first sheet to `read`.

    A damaged part often shows only while its rows are iterated, so anything openpyxl raises
    inside `read`, other than a FileRefused of the reader's own, means "not a spreadsheet".
    """
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds (KeyError, ValueError, XML errors...)
        raise FileRefused(not_a_spreadsheet_message()) from None
    try:
        if not workbook.worksheets:
            raise FileRefused(not_a_spreadsheet_message())
        return read(BoundedSheet(workbook.worksheets[0], limits))
    except FileRefused:
        raise
    except Exception:
        raise FileRefused(not_a_spreadsheet_message()) from None
    finally:
        workbook.close()


def xlsx_upload_read(*, file, limits: XlsxLimits, read: Callable[[BoundedSheet], T]) -> T:
    """Read an uploaded .xlsx through every check above; raise FileRefused with the reason.

    Every spreadsheet upload goes through here, so a new import is bounded like the others.
    """
    data = upload_read(file, max_bytes=limits.max_bytes)
    xlsx_check_package(name=getattr(file, "name", "") or "", data=data, limits=limits)
    return xlsx_read(data, limits, read)


def cell_text(value) -> str:
    """A cell's value as the text a person typed: 91234567.0 becomes "91234567"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def is_formula(cell) -> bool:
    return getattr(cell, "data_type", None) == "f"
