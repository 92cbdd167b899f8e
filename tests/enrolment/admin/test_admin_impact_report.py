"""/admin/reports/impact/: the report's page, XLSX and PDF over the seeded quarter
(tests/worlds/impact.py), small cells suppressed in each; bad filters; the query count."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from enrolment.models import Attendance
from tests.conftest import html_of
from tests.factories import EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db

Q1 = {"date_from": "2025-01-01", "date_to": "2025-03-31"}


def test_a_coordinator_sees_the_quarters_figures_and_charts(coordinator_client, impact_world):
    response = coordinator_client.get(reverse("impact_report"), Q1)
    assert response.status_code == 200
    html = html_of(response)
    assert '<svg class="impact-chart"' in html and 'role="img"' in html
    assert '<title id="chart-gender-title">Gender</title>' in html
    sections = dict(response.context["report"].sections)
    teaching = {figure.label: figure.shown for figure in sections["Teaching"]}
    assert teaching == {"Sessions held": "3", "Contact hours": "12.0", "Attendance rate": "83%"}


def test_small_counts_show_as_less_than_five_on_the_page(coordinator_client, impact_world):
    response = coordinator_client.get(reverse("impact_report"), Q1)
    report = response.context["report"]
    learners = {figure.label: figure.shown for figure in dict(report.sections)["Learners"]}
    assert learners == {"Learners served": "<5", "New learners": "<5", "Returning learners": "<5"}
    gender = next(b for b in report.breakdowns if b.key == "gender")
    assert [cell.shown for cell in gender.cells] == ["<5", "<5", 0, "<5"]
    assert gender.total.shown == "<5"  # four people in all: the total would tell
    html = html_of(response)
    assert '<td class="impact-count">&lt;5</td>' in html
    assert "woman: &lt;5" in html  # the chart's description says the same


def test_the_spreadsheet_suppresses_the_same_cells(coordinator_client, impact_world):
    response = coordinator_client.get(reverse("impact_report_xlsx"), Q1)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2)]
    assert ("Learners", "Learners served", "<5") in rows
    assert ("Gender", "woman", "<5") in rows
    assert ("Teaching", "Sessions held", 3) in rows
    assert ("Outcomes", "Completions", "<5") in rows
    small = [row for row in rows if isinstance(row[2], int) and 0 < row[2] < 5]
    assert small == [("Teaching", "Sessions held", 3)]  # sessions are not people


def test_the_pdf_suppresses_the_same_cells(coordinator_client, impact_world):
    response = coordinator_client.get(reverse("impact_report_pdf"), Q1)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Learners served" in text and "<5" in text
    assert "HK$6,500.00" in text  # the funding gap


@pytest.mark.parametrize(
    "query, message",
    [
        ({"date_from": "2025-13-01", "date_to": "2025-03-31"}, "Enter a valid date."),
        ({"date_from": "2025-01-01"}, "Give both dates, from and to, or neither."),
        ({"date_from": "2025-03-01", "date_to": "2025-01-01"}, "cannot end before it starts"),
        ({"date_from": "0001-01-01", "date_to": "2025-01-01"}, "year"),
        ({"period": "sy-1900"}, "Select a valid choice."),
        ({"category": "abc"}, "Select a valid choice."),
        ({"sponsor": str(2**70)}, "Select a valid choice."),
    ],
)
def test_bad_filters_say_what_is_wrong_and_show_no_figures(
    coordinator_client, impact_world, query, message
):
    for name in ("impact_report", "impact_report_xlsx", "impact_report_pdf"):
        response = coordinator_client.get(reverse(name), query)
        assert response.status_code == 400
        assert response.context["report"] is None
        assert message in html_of(response)


def test_a_funder_and_a_programme_narrow_the_report(coordinator_client, impact_world):
    response = coordinator_client.get(
        reverse("impact_report"), {**Q1, "sponsor": impact_world.funder.pk}
    )
    assert response.context["report"].figures.children_sponsored == 1
    assert "Funder (sponsor): <bdi>Harbour Trust</bdi>" in html_of(response)
    response = coordinator_client.get(
        reverse("impact_report"), {**Q1, "category": impact_world.vocational.pk}
    )
    assert response.context["report"].figures.learners_served == 1


def test_the_report_costs_the_same_queries_however_many_learners(coordinator_client, impact_world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(reverse("impact_report"), Q1).status_code == 200
        return len(captured)

    before = queries()
    session = SessionFactory(run=impact_world.run_a, date=dt.date(2025, 3, 3))
    for n in range(30):
        enrolment = EnrolmentFactory(
            learner=LearnerFactory(gender="woman" if n % 2 else "man"),
            run=impact_world.run_a,
            childcare_children=n % 3,
        )
        Attendance.objects.create(
            enrolment=enrolment, session=session, status="present", marked_at=session.run.created_at
        )
    assert queries() == before


@pytest.mark.parametrize("who", ["translator", "teacher", "sponsor"])
def test_only_coordinators_see_the_report(client, cast, site, who):
    client.force_login(getattr(cast, who))
    response = client.get(reverse("impact_report"))
    assert response.status_code in (302, 403)
    assert b"<svg" not in response.content


def test_the_reports_menu_offers_the_impact_report_to_coordinators(coordinator_client):
    html = html_of(coordinator_client.get(reverse("wagtailadmin_home")))
    assert reverse("impact_report") in html
