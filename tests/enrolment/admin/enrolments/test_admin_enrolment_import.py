"""The import page: a spreadsheet of enrolments, its template, and junk."""

import io

import openpyxl
import pytest

from enrolment.models import Enrolment
from tests.conftest import html_of
from tests.enrolment.admin.enrolments.conftest import INDEX
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "enrolments.xlsx"
    return buffer


def test_the_import_page_and_its_template(client, cast, world):
    client.force_login(cast.coordinator)
    page = client.get(INDEX + "import/")
    assert page.status_code == 200
    assert "L123" in html_of(page)
    template = client.get(INDEX + "import/template.xlsx")
    assert template.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in workbook.worksheets[0][1]] == ["learner", "run"]


def test_importing_through_the_page(client, cast, world):
    amina = LearnerFactory(preferred_name="Amina", phone="91234567")
    client.force_login(cast.coordinator)
    response = client.post(
        INDEX + "import/", {"file": _xlsx([["learner", "run"], ["9123 4567", "ENG-A1-T1"]])}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(learner=amina).run == world.run

    again = client.post(
        INDEX + "import/", {"file": _xlsx([["learner", "run"], ["9123 4567", "ENG-A1-T1"]])}
    )
    assert again.status_code == 200
    assert "Row 2, column A (learner): Amina is already enrolled in ENG-A1-T1." in html_of(again)
    assert Enrolment.objects.count() == 1


def test_the_import_page_never_fails_on_junk(client, cast, world):
    client.force_login(cast.coordinator)
    junk = io.BytesIO(b"%PDF-1.4 not a spreadsheet")
    junk.name = "list.xlsx"
    response = client.post(INDEX + "import/", {"file": junk})
    assert response.status_code == 200
    assert "not an Excel spreadsheet" in html_of(response)


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor"])
def test_importing_is_refused_to_everyone_else(client, cast, world, who):
    LearnerFactory(phone="91234567")
    client.force_login(getattr(cast, who))
    response = client.post(
        INDEX + "import/", {"file": _xlsx([["learner", "run"], ["91234567", "ENG-A1-T1"]])}
    )
    assert response.status_code in (302, 403)
    assert not Enrolment.objects.exists()
