"""The file checks both spreadsheet imports share (the enrolment import, the paper register)."""

import io
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrolment.services.workbooks import (
    FileRefused,
    XlsxLimits,
    cell_text,
    upload_read,
    xlsx_check_package,
    xlsx_read,
)

LIMITS = XlsxLimits(max_rows=100, max_columns=10, max_cells=1000)


def workbook_bytes(rows=(("a", "b"),)) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def refusal(check) -> str:
    with pytest.raises(FileRefused) as refused:
        check()
    return refused.value.message


def test_a_good_workbook_passes_and_is_read():
    data = workbook_bytes([("learner", "run"), ("91234567", "ENG")])
    xlsx_check_package(name="ok.xlsx", data=data, limits=LIMITS)
    rows = xlsx_read(
        data, LIMITS, lambda sheet: [[c.value for c in row[:2]] for row in sheet.rows()]
    )
    assert rows == [["learner", "run"], ["91234567", "ENG"]]


def test_a_file_without_a_name_is_judged_by_its_content():
    xlsx_check_package(name="", data=workbook_bytes(), limits=LIMITS)


@pytest.mark.parametrize("name", ["a.xlsm", "a.XLTM", "a.xlam"])
def test_a_macro_extension_is_refused(name):
    assert "Files with macros (.xlsm) are refused" in refusal(
        lambda: xlsx_check_package(name=name, data=workbook_bytes(), limits=LIMITS)
    )


def test_a_vba_part_is_refused_whatever_the_name():
    output = io.BytesIO(workbook_bytes())
    with zipfile.ZipFile(output, "a") as package:
        package.writestr("xl/vbaProject.bin", b"\0" * 16)
    assert "macros" in refusal(
        lambda: xlsx_check_package(name="a.xlsx", data=output.getvalue(), limits=LIMITS)
    )


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("a.xlsx", b"%PDF-1.7 renamed"),
        ("a.xlsx", os.urandom(512)),
        ("a.csv", b"a,b\n1,2\n"),
        ("a.pdf", workbook_bytes()),
    ],
    ids=["renamed-pdf", "random-bytes", "csv", "wrong-extension"],
)
def test_anything_else_is_not_a_spreadsheet(name, data):
    assert "not an Excel spreadsheet (.xlsx)" in refusal(
        lambda: xlsx_check_package(name=name, data=data, limits=LIMITS)
    )


def test_a_damaged_sheet_is_refused_before_openpyxl_reads_it():
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes([("a",)] * 50)))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            target.writestr(item, content)
    data = output.getvalue()
    assert "not an Excel spreadsheet" in refusal(
        lambda: xlsx_check_package(name="a.xlsx", data=data, limits=LIMITS)
    )


def test_a_readers_own_refusal_passes_through():
    def reader(sheet):
        raise FileRefused("My own reason.")

    assert refusal(lambda: xlsx_read(workbook_bytes(), LIMITS, reader)) == "My own reason."


def test_the_size_is_checked_before_reading():
    big = SimpleUploadedFile("a.xlsx", b"x" * 11)
    assert refusal(lambda: upload_read(big, max_bytes=10)) == (
        "The file is larger than 0 MB. Split it into smaller files."
    )
    stream = io.BytesIO(b"x" * 11)  # no size: read one byte past the limit
    assert "larger than" in refusal(lambda: upload_read(stream, max_bytes=10))
    assert refusal(lambda: upload_read(io.BytesIO(b""))) == "The file is empty."
    assert upload_read(io.BytesIO(b"abc")) == b"abc"


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (91234567.0, "91234567"), (1.5, "1.5"), ("  P ", "P"), (3, "3")],
)
def test_cell_text(value, text):
    assert cell_text(value) == text
