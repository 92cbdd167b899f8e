"""Every spreadsheet upload refuses crafted files before openpyxl parses them, says what to do,
and saves nothing: through the services and through the pages a teacher and a coordinator use.

The files are built in tests/hostile_xlsx.py. Speed is not timed here: each refusal is shown
to come before openpyxl is called, which is where the minutes went.
"""

import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from enrolment.models import Attendance, Enrolment, EnrolmentEvent
from enrolment.services import workbooks
from enrolment.services.register_sheets import register_workbook
from enrolment.services.register_uploads import register_import
from enrolment.services.spreadsheets import enrolments_import
from tests.conftest import html_of
from tests.factories import CoursePageFactory, CourseRunFactory, LearnerFactory
from tests.hostile_xlsx import CRAFTED, declared_huge, workbook_bytes

pytestmark = pytest.mark.django_db
IMPORT_PAGE = "/admin/enrolment/enrolments/import/"


@pytest.fixture
def world(site):
    course = CoursePageFactory(title="English A1", parent=site.catalogue)
    return SimpleNamespace(run=CourseRunFactory(course=course, code="ENG-A1-T1"))


@pytest.fixture
def openpyxl_calls(monkeypatch):
    """The files openpyxl was asked to open."""
    calls = []
    real = workbooks.load_workbook

    def load_workbook(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(workbooks, "load_workbook", load_workbook)
    return calls


def upload(data: bytes, name: str = "upload.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def import_rows(run) -> bytes:
    return workbook_bytes([("learner", "run"), ("91234567", run.code)])


def register_rows(run) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(register_workbook(run=run)))
    workbook["Register"]["C2"] = "P"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def assert_nothing_saved():
    assert not Enrolment.objects.exists()
    assert not EnrolmentEvent.objects.exists()
    assert not Attendance.objects.exists()


# --- through the services ---------------------------------------------------------------------


@pytest.mark.parametrize("crafted", CRAFTED)
def test_the_enrolment_import_refuses_it_before_parsing(world, openpyxl_calls, crafted):
    make, words = CRAFTED[crafted]
    LearnerFactory(phone="91234567")
    result = enrolments_import(file=upload(make(import_rows(world.run))), by=None)
    assert len(result.errors) == 1
    assert words in result.errors[0]
    assert openpyxl_calls == []
    assert_nothing_saved()


@pytest.mark.parametrize("crafted", CRAFTED)
def test_the_register_upload_refuses_it_before_parsing(english, cast, openpyxl_calls, crafted):
    Attendance.objects.all().delete()
    make, words = CRAFTED[crafted]
    result = register_import(
        run=english.run, file=upload(make(register_rows(english.run))), by=cast.teacher
    )
    assert len(result.errors) == 1
    assert words in result.errors[0]
    assert openpyxl_calls == []
    assert not Attendance.objects.exists()


def test_the_size_refusals_say_what_to_do_instead_for_an_import(world):
    make, _ = CRAFTED["zip-bomb"]
    imported = enrolments_import(file=upload(make(import_rows(world.run))), by=None)
    assert imported.errors[0].endswith("Copy the two columns into the template.")


def test_the_size_refusals_say_what_to_do_instead_for_a_register(english, cast):
    make, _ = CRAFTED["zip-bomb"]
    registered = register_import(
        run=english.run, file=upload(make(register_rows(english.run))), by=cast.teacher
    )
    assert registered.errors[0].endswith("Download the register again and fill that in.")


# Tiny and well formed, so openpyxl opens them; the reader is shown the limits only.


def test_an_import_that_says_it_is_16384_columns_wide_is_read_no_further(world):
    imported = enrolments_import(file=upload(declared_huge(import_rows(world.run))), by=None)
    assert imported.errors == [
        "The sheet has values beyond column AX. Keep the learner and run columns and delete "
        "the columns far to the right."
    ]
    assert_nothing_saved()


def test_a_register_that_says_it_is_16384_columns_wide_is_read_no_further(english, cast):
    registered = register_import(
        run=english.run, file=upload(declared_huge(register_rows(english.run))), by=cast.teacher
    )
    assert "values far to the right of the register (up to column XFD)" in registered.errors[0]
    assert not Attendance.objects.exists()


def test_an_honest_import_still_goes_in(world, openpyxl_calls):
    LearnerFactory(phone="91234567")
    assert enrolments_import(file=upload(import_rows(world.run)), by=None).ok
    assert len(openpyxl_calls) == 1


def test_an_honest_register_still_goes_in(english, cast, openpyxl_calls):
    data = register_rows(english.run)
    assert register_import(run=english.run, file=upload(data), by=cast.teacher).ok
    assert len(openpyxl_calls) == 1


# --- through the pages ------------------------------------------------------------------------


@pytest.mark.parametrize("crafted", CRAFTED)
def test_a_teacher_uploading_it_as_a_register_is_told_why(client, cast, english, crafted):
    make, words = CRAFTED[crafted]
    client.force_login(cast.teacher)
    response = client.post(
        f"/teach/runs/{english.run.pk}/register/upload/",
        {"file": upload(make(register_rows(english.run)), "register.xlsx")},
    )
    assert response.status_code == 200
    assert words in html_of(response)
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("crafted", CRAFTED)
def test_a_coordinator_importing_it_is_told_why(client, cast, world, crafted):
    make, words = CRAFTED[crafted]
    client.force_login(cast.coordinator)
    response = client.post(
        IMPORT_PAGE, {"file": upload(make(import_rows(world.run)), "enrolments.xlsx")}
    )
    assert response.status_code == 200
    assert words in html_of(response)
    assert_nothing_saved()
