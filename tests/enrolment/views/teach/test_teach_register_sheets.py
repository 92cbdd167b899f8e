"""The paper register's three pages: the XLSX download, the printable page and the upload."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile

from enrolment.models import Attendance, AttendanceStatus
from enrolment.services.register_sheets import register_workbook
from enrolment.services.registers import Mark, register_mark
from tests.conftest import html_of, messages_of
from tests.factories import SessionFactory
from tests.worlds.registers import days

pytestmark = pytest.mark.django_db
A = AttendanceStatus
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_url(run) -> str:
    return f"/teach/runs/{run.pk}/register.xlsx"


def print_url(run) -> str:
    return f"/teach/runs/{run.pk}/register/print/"


def upload_url(run) -> str:
    return f"/teach/runs/{run.pk}/register/upload/"


def filled(run, cells) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(register_workbook(run=run)))
    for where, value in cells.items():
        workbook["Register"][where] = value
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_file(data: bytes, name: str = "register.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


# --- who may have them -------------------------------------------------------------------------


@pytest.mark.parametrize("page", [xlsx_url, print_url, upload_url])
def test_they_send_a_visitor_to_sign_in(client, english, page):
    response = client.get(page(english.run))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["other_teacher", "learner", "sponsor"])
@pytest.mark.parametrize("page", [xlsx_url, print_url, upload_url])
def test_they_are_a_404_for_anyone_but_the_classs_teachers(client, cast, english, page, who):
    client.force_login(getattr(cast, who))
    assert client.get(page(english.run)).status_code == 404


@pytest.mark.parametrize("who", ["other_teacher", "learner", "sponsor"])
def test_an_upload_by_someone_else_saves_nothing(client, cast, english, who):
    client.force_login(getattr(cast, who))
    data = filled(english.run, {"C2": "P"})
    response = client.post(upload_url(english.run), {"file": xlsx_file(data)})
    assert response.status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "coordinator"])
@pytest.mark.parametrize("page", [xlsx_url, print_url, upload_url])
def test_the_teacher_and_coordinators_have_them(client, cast, english, page, who):
    client.force_login(getattr(cast, who))
    assert client.get(page(english.run)).status_code == 200


# --- the download ------------------------------------------------------------------------------


def test_the_download_is_the_runs_register(client, cast, english):
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.LATE)}, by=cast.teacher)
    client.force_login(cast.teacher)

    response = client.get(xlsx_url(english.run))

    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="register-ENG-A1.xlsx"'
    assert "no-store" in response["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Register"]
    assert [c.value for c in sheet[2]][:4] == [f"E{english.amina.pk}", "Amina", None, "L"]


# --- the printable page ------------------------------------------------------------------------


def test_the_printable_register_has_a_box_per_learner_and_class(client, cast, english):
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.ABSENT)}, by=cast.teacher)
    client.force_login(cast.teacher)

    html = html_of(client.get(print_url(english.run)))

    assert '<link rel="stylesheet" href="/static/css/teach.css">' in html
    assert html.count('<table class="paper-register">') == 1
    assert html.count('<th scope="row" class="col-name">') == 3
    assert html.count('<td class="box">') == 3 * 3 - 1  # three classes; one already marked
    assert '<td class="box box-marked">A</td>' in html
    assert "<script" not in html
    for name in ("Amina", "Bilal", "Chloe"):
        assert name in html
    assert "Amina Example" not in html


def test_a_long_run_prints_as_several_tables_that_fit_a4(client, cast, english):
    for week in range(2, 14):
        SessionFactory(run=english.run, date=days(7 * week))
    client.force_login(cast.teacher)
    response = client.get(print_url(english.run))
    html = html_of(response)
    assert len(response.context["tables"]) == 2  # 15 classes: 12, then 3
    assert html.count('<table class="paper-register">') == 2
    css = Path(finders.find("css/teach.css")).read_text()
    assert "@media print" in css
    assert "size: A4 landscape" in css


# --- the upload -------------------------------------------------------------------------------


def test_the_upload_page_explains_the_codes(client, cast, english):
    client.force_login(cast.teacher)
    html = html_of(client.get(upload_url(english.run)))
    assert "Upload a paper register" in html
    assert 'enctype="multipart/form-data"' in html
    assert '<label for="id_file">Filled-in register (.xlsx)</label>' in html
    assert "P present, L late, E excused, A absent" in html


def test_a_good_upload_saves_and_a_second_changes_nothing(client, cast, english):
    client.force_login(cast.teacher)
    data = filled(english.run, {"C2": "P", "C3": "a", "D2": "L"})

    first = client.post(upload_url(english.run), {"file": xlsx_file(data)}, follow=True)
    second = client.post(upload_url(english.run), {"file": xlsx_file(data)}, follow=True)

    assert first.redirect_chain == [(upload_url(english.run), 302)]
    assert messages_of(first) == ["Register uploaded: 3 marks read, 3 new, 0 changed."]
    assert messages_of(second) == ["Register uploaded: 3 marks read, 0 new, 0 changed."]
    assert Attendance.objects.count() == 3
    assert Attendance.objects.get(enrolment=english.bilal).status == A.ABSENT


def test_a_bad_upload_lists_every_problem_and_saves_nothing(client, cast, english):
    client.force_login(cast.teacher)
    data = filled(english.run, {"C2": "P", "C3": "X", "E4": "P"})

    response = client.post(upload_url(english.run), {"file": xlsx_file(data)})

    html = html_of(response)
    assert response.status_code == 200
    assert "Nothing was saved: 2 problems to fix." in html
    assert "Cell C3: “X” is not one of P, L, E, A." in html
    assert "Cell E4 (class on" in html
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.4 not a spreadsheet", "register.xlsx"),
        (b"PK\x03\x04 random", "register.xlsx"),
    ],
    ids=["renamed-pdf", "broken-zip"],
)
def test_a_file_that_is_not_a_register(client, cast, english, data, name):
    client.force_login(cast.teacher)
    response = client.post(upload_url(english.run), {"file": xlsx_file(data, name)})
    assert "This file is not an Excel spreadsheet (.xlsx)" in html_of(response)
    assert not Attendance.objects.exists()


def test_an_upload_without_a_file(client, cast, english):
    client.force_login(cast.teacher)
    response = client.post(upload_url(english.run), {})
    assert "This field is required." in html_of(response)


def test_a_long_list_of_problems_is_cut_short(client, cast, english):
    client.force_login(cast.coordinator)
    cells = {f"{col}{row}": "?" for col in "CDE" for row in range(2, 5)}
    cells |= {f"F{row}": "x" for row in range(2, 60)} | {f"A{row}": "E1" for row in range(5, 60)}
    response = client.post(upload_url(english.run), {"file": xlsx_file(filled(english.run, cells))})
    assert response.context["problem_count"] > 50
    assert len(response.context["problems"]) == 50
    assert "more problems" in html_of(response)
