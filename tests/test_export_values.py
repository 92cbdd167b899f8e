"""Exports survive whatever text is stored and never hand Excel a formula: control characters
saved before names were checked, formula-looking names in Wagtail's site history, phone
numbers that start with "+"."""

import csv
import io

import openpyxl
import pytest
from wagtail.log_actions import log

from enrolment.services.register_sheets import register_workbook
from tests.exports import xlsx_formulas, xlsx_text_cells
from tests.factories import LearnerFactory
from tests.worlds.registers import build_class

pytestmark = pytest.mark.django_db
CONTROL = "a\x01\x1b[31mb"
FORMULA = '=HYPERLINK("http://evil.example","click")'
HISTORY = "/admin/reports/site-history/"


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8"))))


def xlsx_values(data: bytes) -> list:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/enrolment/learners/?export=xlsx",
        "/admin/enrolment/learners/?export=csv",
        "/admin/enrolment/enrolments/?export=xlsx",
        HISTORY + "?export=xlsx",
        HISTORY + "?export=csv",
    ],
)
def test_a_stored_control_character_no_longer_breaks_an_export(client, cast, site, url):
    world = build_class(site, cast, names=["Amina"])
    world.amina.learner.preferred_name = CONTROL
    world.amina.learner.save()
    log(instance=world.amina.learner, action="wagtail.edit", user=cast.coordinator)
    client.force_login(cast.coordinator)

    response = client.get(url)

    assert response.status_code == 200
    if "csv" in url:
        cells = [cell for row in csv_rows(response) for cell in row]
    else:
        cells = [str(value) for value in xlsx_values(body(response))]
    # As typed, or as the start of the name a list shows ("a[31mb E. (L5)").
    assert [cell for cell in cells if cell.startswith("a[31mb")]


def test_the_register_sheet_of_a_learner_with_a_control_character(site, cast):
    world = build_class(site, cast, names=["Amina"])
    world.amina.learner.preferred_name = CONTROL
    world.amina.learner.save()
    names = [str(value) for value in xlsx_values(register_workbook(run=world.run))]
    assert [name for name in names if name.startswith("a[31mb")]


def test_the_site_history_csv_neutralises_a_formula_in_a_name(client, cast):
    learner = LearnerFactory(preferred_name=FORMULA)
    log(instance=learner, action="wagtail.edit", user=cast.coordinator)
    client.force_login(cast.coordinator)

    response = client.get(HISTORY + "?export=csv")

    assert response.status_code == 200
    cells = [cell for row in csv_rows(response) for cell in row]
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]
    assert "'" + str(learner) in cells


def test_the_site_history_xlsx_shows_a_formula_in_a_name_as_text(client, cast):
    learner = LearnerFactory(preferred_name=FORMULA)
    log(instance=learner, action="wagtail.edit", user=cast.coordinator)
    client.force_login(cast.coordinator)

    data = body(client.get(HISTORY + "?export=xlsx"))

    assert xlsx_formulas(data) == []
    assert xlsx_text_cells(data)[str(learner)] == ("s", True)


def test_the_site_history_is_still_for_admin_users_only(client, cast):
    client.force_login(cast.teacher)
    response = client.get(HISTORY + "?export=csv")
    assert response.status_code in (302, 403)
    assert b"Action type" not in body(response)


def test_a_phone_number_is_exported_as_typed(client, cast):
    LearnerFactory(preferred_name="Amina", phone="+85291230004")
    client.force_login(cast.coordinator)

    data = body(client.get("/admin/enrolment/learners/?export=xlsx"))

    cells = xlsx_text_cells(data)
    assert cells["+85291230004"] == ("s", True)  # text, no visible quote
    assert "'+85291230004" not in cells
    # CSV has no cell types: there the quote is what keeps Excel from reading a formula.
    rows = csv_rows(client.get("/admin/enrolment/learners/?export=csv"))
    assert "'+85291230004" in [cell for row in rows for cell in row]
