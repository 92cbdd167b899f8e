import datetime as dt
import io
import os
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.choices import RunMode, RunStatus
from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from enrolment.services import spreadsheets
from enrolment.services.import_templates import enrolments_import_template
from enrolment.services.spreadsheets import MAX_ROWS, enrolments_import
from tests.dates import local_today
from tests.factories import CoursePageFactory, CourseRunFactory, LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def world(site):
    course = CoursePageFactory(title="English A1", parent=site.catalogue)
    return {
        "run": CourseRunFactory(course=course, code="ENG-A1-T1", capacity=2),
        "review": CourseRunFactory(course=course, code="ENG-A1-REVIEW", mode=RunMode.REVIEW),
        "amina": LearnerFactory(preferred_name="Amina", phone="91234567"),
        "bilal": LearnerFactory(preferred_name="Bilal", email="bilal@example.org"),
        "chloe": LearnerFactory(preferred_name="Chloe", phone="+852 6000 1111"),
    }


def workbook_bytes(rows, *, title=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(data: bytes, name: str = "enrolments.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def run_import(data: bytes, name: str = "enrolments.xlsx", by=None):
    return enrolments_import(file=upload(data, name), by=by)


def good_rows(world):
    return [
        ["learner", "run"],
        ["9123 4567", "ENG-A1-T1"],  # phone as typed, with a space
        ["BILAL@example.org ", "eng-a1-t1"],  # email in any case; code in any case
        [f"L{world['chloe'].pk}", "ENG-A1-T1"],  # learner number; the run is now full
        [60001111, "ENG-A1-REVIEW"],  # a phone typed into a number cell
    ]


def assert_nothing_saved():
    assert not Enrolment.objects.exists()
    assert not EnrolmentEvent.objects.exists()


# --- a good file ------------------------------------------------------------------------------


def test_a_good_file_enrols_everyone(world):
    coordinator = UserFactory(username="mei", groups=["Coordinators"])
    result = run_import(workbook_bytes(good_rows(world)), by=coordinator)
    assert result.ok, result.errors
    assert [e.status for e in result.enrolments] == [
        S.ENROLLED,
        S.ENROLLED,
        S.WAITLISTED,
        S.APPLIED,
    ]
    assert (result.count(S.ENROLLED), result.count(S.WAITLISTED), result.count(S.APPLIED)) == (
        2,
        1,
        1,
    )
    assert Enrolment.objects.count() == 4
    assert {event.by for event in EnrolmentEvent.objects.all()} == {coordinator}


def test_the_same_file_twice_says_already_enrolled_and_changes_nothing(world):
    data = workbook_bytes(good_rows(world))
    assert run_import(data).ok
    before = list(Enrolment.objects.values_list("pk", "status"))

    second = run_import(data)
    assert not second.ok
    assert second.errors == [
        "Row 2, column A (learner): Amina is already enrolled in ENG-A1-T1.",
        "Row 3, column A (learner): Bilal is already enrolled in ENG-A1-T1.",
        "Row 4, column A (learner): Chloe is already on the waitlist of ENG-A1-T1.",
        "Row 5, column A (learner): Chloe has already applied for ENG-A1-REVIEW.",
    ]
    assert list(Enrolment.objects.values_list("pk", "status")) == before


def test_headings_in_any_order_and_case_extra_columns_and_blank_rows(world):
    data = workbook_bytes(
        [
            ["Notes", "RUN", " Learner "],
            ["called on Monday", "ENG-A1-T1", "91234567"],
            [None, None, None],
            ["", "ENG-A1-T1", "bilal@example.org"],
        ]
    )
    result = run_import(data)
    assert result.ok, result.errors
    assert Enrolment.objects.count() == 2


def test_the_template_has_the_two_headings_and_imports_as_nothing_to_do(world):
    data = enrolments_import_template()
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert [cell.value for cell in workbook.worksheets[0][1]] == ["learner", "run"]
    result = run_import(data)
    assert result.errors == ["The sheet has headings but no rows to import."]


# --- bad rows: each named by row and column, nothing saved ------------------------------------


def test_an_unknown_run_code(world):
    rows = good_rows(world) + [["91234567", "ENG-X"]]
    result = run_import(workbook_bytes(rows))
    assert result.errors == ["Row 6, column B (run): no class with code ENG-X."]
    assert_nothing_saved()


def test_the_column_letter_follows_the_heading(world):
    rows = [["run", "learner"], ["ENG-X", "91234567"]]
    result = run_import(workbook_bytes(rows))
    assert result.errors == ["Row 2, column A (run): no class with code ENG-X."]


def test_an_unknown_or_malformed_learner(world):
    rows = [
        ["learner", "run"],
        ["6999 9999", "ENG-A1-T1"],
        ["nobody@example.org", "ENG-A1-T1"],
        ["L999999", "ENG-A1-T1"],
        ["Amina", "ENG-A1-T1"],
        ["", "ENG-A1-T1"],
    ]
    errors = run_import(workbook_bytes(rows)).errors
    assert errors[0] == "Row 2, column A (learner): no learner with 6999 9999."
    assert errors[1] == "Row 3, column A (learner): no learner with nobody@example.org."
    assert errors[2] == "Row 4, column A (learner): no learner with L999999."
    assert "Row 5, column A (learner)" in errors[3] and "not a phone number" in errors[3]
    assert errors[4] == "Row 6, column A (learner): the learner is missing."
    assert_nothing_saved()


def test_a_duplicate_row(world):
    rows = [["learner", "run"], ["91234567", "ENG-A1-T1"], ["+852 9123 4567", "ENG-A1-T1"]]
    result = run_import(workbook_bytes(rows))
    assert result.errors == [
        "Row 3, column A (learner): the same learner and class as row 2 (a duplicate row)."
    ]
    assert_nothing_saved()


def test_a_closed_run_and_an_ineligible_learner(world):
    CourseRunFactory(code="OLD-RUN", status=RunStatus.CLOSED)
    adults = CourseRunFactory(code="ADULTS", course__minimum_age=18)
    LearnerFactory(
        preferred_name="Yusuf",
        phone="61112222",
        date_of_birth=local_today() - dt.timedelta(days=3650),
    )
    rows = [
        ["learner", "run"],
        ["91234567", "OLD-RUN"],
        ["61112222", adults.code],
        ["91234567", "ENG-A1-T1"],
    ]
    result = run_import(workbook_bytes(rows))
    assert result.errors == [
        "Row 2, column B (run): OLD-RUN: This class has finished.",
        "Row 3, column A (learner): Yusuf: This class is for people aged 18 or over.",
    ]
    assert_nothing_saved()


def test_an_email_two_learners_share_is_refused_as_ambiguous(world):
    LearnerFactory(preferred_name="Bilal's brother", email="bilal@example.org")
    result = run_import(workbook_bytes([["learner", "run"], ["bilal@example.org", "ENG-A1-T1"]]))
    assert "2 learners share the email bilal@example.org" in result.errors[0]
    assert_nothing_saved()


def test_a_formula_cell(world):
    rows = [["learner", "run"], ["91234567", "ENG-A1-T1"], ["91234567", '=CONCAT("ENG","-A1")']]
    result = run_import(workbook_bytes(rows))
    assert len(result.errors) == 1
    assert result.errors[0].startswith("Row 3, column B (run): this cell holds a formula")
    assert_nothing_saved()


def test_a_formula_in_a_column_that_is_not_read_is_refused_too(world):
    rows = [["learner", "run", "notes"], ["91234567", "ENG-A1-T1", '=HYPERLINK("x")']]
    result = run_import(workbook_bytes(rows))
    assert result.errors[0].startswith("Row 2, column C (notes): this cell holds a formula")
    assert_nothing_saved()


@pytest.mark.parametrize(
    "header",
    [["learner"], ["Learner ID", "run"], ["learner", "class"], ["", ""]],
)
def test_a_missing_or_renamed_heading(world, header):
    result = run_import(workbook_bytes([header, ["91234567", "ENG-A1-T1"]]))
    assert len(result.errors) == 1
    assert result.errors[0].startswith("Row 1: The column")
    assert "is missing" in result.errors[0]
    assert_nothing_saved()


def test_too_many_rows(world):
    rows = [["learner", "run"]] + [["91234567", "ENG-A1-T1"]] * (MAX_ROWS + 1)
    result = run_import(workbook_bytes(rows))
    assert result.errors == [
        "The file has more than 500 rows. Split it into files of 500 rows or fewer."
    ]
    assert_nothing_saved()


def test_exactly_the_row_limit_is_checked_not_refused(world):
    rows = [["learner", "run"]] + [["91234567", "ENG-A1-T1"]] * MAX_ROWS
    result = run_import(workbook_bytes(rows))
    assert not result.ok
    assert "more than" not in result.errors[0]  # duplicates, named by row
    assert result.errors[0].startswith("Row 3, column A (learner): the same learner")


# --- bad files --------------------------------------------------------------------------------


def macro_content_types(data: bytes) -> bytes:
    """The same workbook, but its [Content_Types].xml declares a macro-enabled workbook."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                content = content.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                )
                assert b"macroEnabled" in content
            target.writestr(item, content)
    return output.getvalue()


def with_extra_part(data: bytes, name: str, content: bytes) -> bytes:
    output = io.BytesIO(data)
    with zipfile.ZipFile(output, "a") as target:
        target.writestr(name, content)
    return output.getvalue()


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda rows: workbook_bytes(rows), "enrolments.xlsm"),
        (lambda rows: macro_content_types(workbook_bytes(rows)), "enrolments.xlsx"),
        (
            lambda rows: with_extra_part(workbook_bytes(rows), "xl/vbaProject.bin", b"\0" * 64),
            "enrolments.xlsx",
        ),
    ],
    ids=["xlsm-extension", "macro-content-type", "vba-project-part"],
)
def test_a_macro_workbook_is_refused(world, make, name):
    result = run_import(make(good_rows(world)), name=name)
    assert len(result.errors) == 1
    assert "Files with macros (.xlsm) are refused" in result.errors[0]
    assert_nothing_saved()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF", "enrolments.xlsx"),
        (os.urandom(4096), "enrolments.xlsx"),
        (b"learner,run\n91234567,ENG-A1-T1\n", "enrolments.csv"),
        (b"learner,run\n91234567,ENG-A1-T1\n", "enrolments.xlsx"),
    ],
    ids=["renamed-pdf", "random-bytes", "csv", "csv-renamed"],
)
def test_a_file_that_is_not_a_spreadsheet(world, data, name):
    result = run_import(data, name=name)
    assert len(result.errors) == 1
    assert "not an Excel spreadsheet (.xlsx)" in result.errors[0]
    assert_nothing_saved()


def test_a_zip_that_is_not_a_workbook(world):
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        target.writestr("[Content_Types].xml", b"<Types/>")
        target.writestr("word/document.xml", b"<document/>")
    result = run_import(output.getvalue())
    assert "not an Excel spreadsheet" in result.errors[0]


def test_a_damaged_workbook(world):
    data = workbook_bytes(good_rows(world))
    output = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(output, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]  # cut off mid-XML
            target.writestr(item, content)
    result = run_import(output.getvalue())
    assert len(result.errors) == 1
    assert "not an Excel spreadsheet" in result.errors[0] or "damaged" in result.errors[0]
    assert_nothing_saved()


def test_an_empty_file(world):
    assert run_import(b"").errors == ["The file is empty."]


def test_a_file_over_two_megabytes(world):
    result = run_import(os.urandom(2 * 1024 * 1024 + 1))
    assert result.errors == ["The file is larger than 2 MB. Split it into smaller files."]
    assert_nothing_saved()


def test_a_file_like_object_without_a_name_or_size(world):
    result = enrolments_import(file=io.BytesIO(workbook_bytes(good_rows(world))), by=None)
    assert result.ok, result.errors


# --- all or nothing at the last moment --------------------------------------------------------


def test_a_refusal_while_saving_rolls_everything_back(world, monkeypatch):
    real_create = spreadsheets.enrolment_create
    calls = []

    def create_then_refuse(**kwargs):
        calls.append(kwargs["learner"].preferred_name)
        if len(calls) == 3:
            raise EnrolmentError("This class has been cancelled.")
        return real_create(**kwargs)

    monkeypatch.setattr(spreadsheets, "enrolment_create", create_then_refuse)
    result = run_import(workbook_bytes(good_rows(world)))
    assert result.errors == ["Row 4: This class has been cancelled. Nothing was saved."]
    assert len(calls) == 3
    assert_nothing_saved()


def test_too_many_rows_counts_rows_with_formulas_too(world):
    rows = [["learner", "run"]] + [["91234567", "=A1"]] * (MAX_ROWS + 1)
    result = run_import(workbook_bytes(rows))
    assert result.errors == [
        "The file has more than 500 rows. Split it into files of 500 rows or fewer."
    ]


def test_a_sheet_used_far_down_is_refused_quickly(world):
    workbook = openpyxl.Workbook()
    workbook.active.append(["learner", "run"])
    workbook.active.append(["91234567", "ENG-A1-T1"])
    workbook.active.cell(row=200_000, column=1, value="far away")
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run_import(buffer.getvalue())
    assert "more than 500 rows" in result.errors[0]
    assert_nothing_saved()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(world):
    output = io.BytesIO(workbook_bytes(good_rows(world)))
    with zipfile.ZipFile(output, "a", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/a.bin", bytes(10**7))  # 10 MB of zeros, 10 KB packed
    result = run_import(output.getvalue())
    assert "unpacks to more than" in result.errors[0]
    assert_nothing_saved()
