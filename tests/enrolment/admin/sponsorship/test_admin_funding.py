"""The sponsorship admin's funding worklist: the children to find money for, and its export."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolment.models import Learner
from enrolment.models.schools import school_year_label
from tests.conftest import html_of, messages_of
from tests.enrolment.admin.sponsorship.conftest import FUNDING, YEAR
from tests.exports import xlsx_formulas
from tests.factories import (
    ChildFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def funding(site):
    """One child of each status, this school year (costs HK$6,000 each)."""
    waiting = SchoolPlacementFactory(
        child=ChildFactory(preferred_name="Waiting Wanjiru"), school=SchoolFactory(name="Hill")
    )
    under = SchoolPlacementFactory(child=ChildFactory(preferred_name="Under Uwase"))
    SponsorshipFactory(child=under.child, amount=100)
    SponsorshipFactory(child=under.child, amount=100)
    funded = SchoolPlacementFactory(child=ChildFactory(preferred_name="Funded Faraji"))
    SponsorshipFactory(child=funded.child, amount=500)
    unplaced = SponsorshipFactory(child=ChildFactory(preferred_name="Unplaced Umi"))
    return waiting, under, funded, unplaced


def test_the_funding_page_lists_the_children_to_find_money_for(coordinator_client, funding):
    waiting, under, funded, unplaced = funding
    response = coordinator_client.get(FUNDING)
    assert response.status_code == 200
    html = html_of(response)
    assert "Waiting Wanjiru" in html and "Under Uwase" in html and "Unplaced Umi" in html
    assert "Funded Faraji" not in html
    for text in ["Waiting for a sponsor", "Under-funded", "No school place recorded", "Hill"]:
        assert text in html
    assert "HK$3,600.00" in html  # Uwase's gap: 6,000 less 2 × 12 × 100
    assert f"/admin/enrolment/learners/edit/{waiting.child_id}/" in html
    assert html.index("Waiting Wanjiru") < html.index("Under Uwase") < html.index("Unplaced Umi")
    rows = {row.child.preferred_name: row for row, _url in response.context["rows"]}
    assert rows["Under Uwase"].sponsor_count == 2


@pytest.mark.parametrize(
    ("status", "shown"),
    [("waiting", "Waiting Wanjiru"), ("under_funded", "Under Uwase"), ("no_placement", "Unplaced")],
)
def test_the_funding_page_filters_by_status(coordinator_client, funding, status, shown):
    html = html_of(coordinator_client.get(f"{FUNDING}?status={status}"))
    assert shown in html
    for name in {"Waiting Wanjiru", "Under Uwase", "Unplaced Umi"}:
        if shown not in name:
            assert name not in html, name


def test_another_school_year_has_its_own_list(coordinator_client, funding):
    html = html_of(coordinator_client.get(f"{FUNDING}?school_year={YEAR - 1}"))
    assert "Waiting Wanjiru" not in html
    assert school_year_label(YEAR - 1) in html


@pytest.mark.parametrize(
    "query", ["school_year=abc", "school_year=1900", "school_year=2026.5", "status=rich"]
)
def test_a_bad_filter_falls_back_to_the_default_with_a_message(coordinator_client, funding, query):
    response = coordinator_client.get(f"{FUNDING}?{query}")
    assert response.status_code == 200
    assert "not one to choose from" in " ".join(messages_of(response))
    assert "Waiting Wanjiru" in html_of(response)
    response = coordinator_client.get(f"{FUNDING}?{query}&export=xlsx")
    assert response.status_code == 200


def test_the_funding_export_is_the_same_rows_with_no_formulas(coordinator_client, funding):
    ChildFactory(preferred_name='=HYPERLINK("http://evil.example","Click")')
    evil = Learner.objects.get(preferred_name__startswith="=HYPERLINK")
    SchoolPlacementFactory(child=evil)
    response = coordinator_client.get(f"{FUNDING}?export=xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Child" and rows[0][8] == "Gap"
    names = [row[0] for row in rows[1:]]
    assert "Funded Faraji" not in names and len(names) == 4
    assert '=HYPERLINK("http://evil.example","Click")' in names
    assert xlsx_formulas(response.content) == []
    uwase = next(row for row in rows if row[0] == "Under Uwase")
    assert uwase[5:10] == (6000, 2400, 0, 3600, 2)  # costs, sponsored, received, gap
    assert sheet.cell(row=2, column=6).number_format == '"HK$"#,##0.00'
    only_waiting = coordinator_client.get(f"{FUNDING}?status=waiting&export=xlsx")
    rows = list(openpyxl.load_workbook(io.BytesIO(only_waiting.content)).active.values)
    assert "Under Uwase" not in [row[0] for row in rows]


def test_the_funding_page_needs_view_sponsorship(client, site):
    staff = UserFactory(username="editor", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert client.get(FUNDING).status_code in (302, 403)
    assert client.get(FUNDING + "?export=xlsx").status_code in (302, 403)
    assert "/admin/sponsorship/funding/" not in html_of(client.get("/admin/"))


def _waiting_children(n: int, school) -> None:
    for i in range(n):
        SchoolPlacementFactory(child=ChildFactory(preferred_name=f"Child {i:03d}"), school=school)


def test_the_funding_page_shows_50_children_a_page_and_counts_them_all(coordinator_client, site):
    school = SchoolFactory(name="Valley")
    _waiting_children(53, school)

    first = coordinator_client.get(FUNDING)
    second = coordinator_client.get(FUNDING + "?p=2")

    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 3
    assert "53 children; still to find: HK$318,000.00." in html_of(first)
    assert 'href="?p=2"' in html_of(first) or "p=2" in html_of(first)
    sheet = openpyxl.load_workbook(
        io.BytesIO(coordinator_client.get(FUNDING + "?export=xlsx").content)
    )
    assert sheet.worksheets[0].max_row == 1 + 53  # the download is every child, not a page


def test_the_funding_page_costs_the_same_queries_for_5_or_60_children(coordinator_client, site):
    school = SchoolFactory(name="Valley")

    def add(n: int, first: int) -> None:
        for i in range(first, first + n):
            child = ChildFactory(preferred_name=f"Sponsored {i:03d}")
            SchoolPlacementFactory(child=child, school=school)
            SponsorshipFactory(child=child, amount=100)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = coordinator_client.get(FUNDING)
        return len(response.context["rows"]), len(queries)

    _waiting_children(4, school)
    add(1, 0)
    coordinator_client.get(FUNDING)  # warm the caches
    few_rows, few = count()
    add(55, 1)
    many_rows, many = count()

    assert (few_rows, many_rows) == (5, 50)
    assert many == few
