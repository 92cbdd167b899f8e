"""/sponsor/statement/: the yearly statement as a page, a spreadsheet and a PDF."""

import io
from decimal import Decimal

import openpyxl
import pytest

from enrolment.models import Frequency
from enrolment.models.schools import school_year_label
from tests.enrolment.views.sponsor.conftest import (
    first_of_september,
    pdf_text,
    statement_url,
    text_of,
    this_year,
)
from tests.exports import xlsx_formulas, xlsx_text_cells
from tests.factories import ChildFactory, SponsorFactory, SponsorshipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sponsorships(site, sponsor):
    amani = ChildFactory(preferred_name="Amani Okello")
    baraka = ChildFactory(preferred_name="Baraka")
    SponsorshipFactory(
        sponsor=sponsor, child=amani, starts_on=first_of_september(), amount=500, covers=["fees"]
    )
    SponsorshipFactory(
        sponsor=sponsor,
        child=baraka,
        starts_on=first_of_september(),
        amount=1200,
        frequency=Frequency.TERMLY,
        covers=["uniform", "transport"],
    )
    return amani, baraka


def test_the_statement_page_lists_each_line_and_the_total(client, cast, two_sponsorships):
    client.force_login(cast.sponsor)
    year = this_year()

    text = text_of(client.get(statement_url(year)))

    assert f"Sponsorship statement {school_year_label(year)}" in text
    assert "Harbour Rotary Club" in text
    assert '<th scope="row">Amani</th>' in text
    assert "Uniform, Transport" in text
    assert "HK$6,000" in text  # 12 × 500
    assert "HK$3,600" in text  # 3 × 1,200
    assert '<td class="money statement-total">HK$9,600</td>' in text
    assert f'href="{statement_url(year, ".xlsx")}"' in text
    assert f'href="{statement_url(year, ".pdf")}"' in text


def test_the_statement_spreadsheet_adds_up(client, cast, two_sponsorships):
    client.force_login(cast.sponsor)

    response = client.get(statement_url(this_year(), ".xlsx"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    firsts = [row[0].value for row in sheet.iter_rows()]
    assert firsts[firsts.index("Child") + 1 :][:2] == ["Amani", "Baraka"]  # under the headings
    rows = [row for row in sheet.iter_rows() if row[0].value in {"Amani", "Baraka", "Total"}]
    totals = {row[0].value: row[10] for row in rows}
    assert totals["Amani"].value == Decimal(6000)
    assert rows[0][4].value == 12  # payments
    assert totals["Baraka"].value == Decimal(3600)
    assert rows[1][4].value == 3
    assert totals["Total"].value == Decimal(9600)
    assert "HK$" in totals["Total"].number_format
    assert rows[0][5].value.date() == first_of_september()


def test_the_statement_spreadsheet_neutralises_formula_like_text(client, cast, site):
    SponsorFactory(user=cast.sponsor, display_name='=HYPERLINK("http://evil")')
    client.force_login(cast.sponsor)

    response = client.get(statement_url(this_year(), ".xlsx"))

    assert xlsx_text_cells(response.content)['=HYPERLINK("http://evil")'] == ("s", True)
    assert xlsx_formulas(response.content) == []


def test_the_statement_pdf_lists_the_lines_and_total(client, cast, two_sponsorships):
    client.force_login(cast.sponsor)

    response = client.get(statement_url(this_year(), ".pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Harbour Rotary Club" in text
    assert "HK$9,600" in text
    assert "Amani" in text and "Baraka" in text
