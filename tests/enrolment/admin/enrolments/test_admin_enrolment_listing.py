"""The enrolments listing: who may see it, its filters, search, export and query count."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolment.models import Enrolment
from tests.conftest import html_of
from tests.dates import local_today
from tests.enrolment.admin.enrolments.conftest import INDEX, enrol
from tests.exports import xlsx_formulas
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def test_the_listing_loads_for_a_coordinator(client, cast, world):
    enrol(LearnerFactory(preferred_name="Amina"), world.run)
    client.force_login(cast.coordinator)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = html_of(response)
    assert "Amina" in html and "ENG-A1-T1" in html and "English A1" in html
    assert "Import from spreadsheet" in html
    assert "Review applications" in html


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor", "anonymous"])
def test_the_listing_is_refused_to_everyone_else(client, cast, world, who):
    enrol(LearnerFactory(preferred_name="Amina"), world.run)
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert "Amina" not in html_of(response)


@pytest.fixture
def spread(world):
    """One enrolment in each corner of the filters."""
    enrol(LearnerFactory(preferred_name="Amina"), world.run)
    enrol(LearnerFactory(preferred_name="Bashir"), world.review)
    enrol(LearnerFactory(preferred_name="Chloe"), world.computers)
    late = CourseRunFactory(
        course=world.other_course,
        code="IT-LATER",
        start_date=dt.date(local_today().year + 1, 11, 2),
    )
    enrol(LearnerFactory(preferred_name="Dawit"), late)
    return world


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=applied", {"Bashir"}, {"Amina", "Chloe", "Dawit"}),
        ("status=enrolled", {"Amina", "Chloe", "Dawit"}, {"Bashir"}),
        ("category={english}", {"Amina", "Bashir"}, {"Chloe", "Dawit"}),
        ("course={other_course}", {"Chloe", "Dawit"}, {"Amina", "Bashir"}),
        ("run={computers}", {"Chloe"}, {"Amina", "Bashir", "Dawit"}),
        ("term={next_year}-T4", {"Dawit"}, {"Amina", "Bashir", "Chloe"}),
        (
            "starts_from={next_year}-10-01&starts_to={next_year}-12-31",
            {"Dawit"},
            {"Amina", "Bashir", "Chloe"},
        ),
    ],
)
def test_filters_narrow_the_listing(client, cast, spread, query, shown, hidden):
    query = query.format(
        english=spread.english.pk,
        other_course=spread.other_course.pk,
        computers=spread.computers.pk,
        next_year=local_today().year + 1,
    )
    client.force_login(cast.coordinator)
    response = client.get(f"{INDEX}?{query}")
    assert response.status_code == 200
    html = html_of(response)
    for name in shown:
        assert name in html, query
    for name in hidden:
        assert name not in html, query


def test_the_learner_link_filters_by_learner(client, cast, world):
    amina = LearnerFactory(preferred_name="Amina")
    enrol(amina, world.run)
    enrol(LearnerFactory(preferred_name="Bashir"), world.run)
    client.force_login(cast.coordinator)
    html = html_of(client.get(f"{INDEX}?learner={amina.pk}"))
    assert "Amina" in html and "Bashir" not in html


@pytest.mark.parametrize("query", ["6123 4567", "amina@", "Ami", "eng-a1-t1-b"])
def test_search_finds_by_name_phone_email_and_class(client, cast, world, query):
    amina = LearnerFactory(preferred_name="Amina", phone="61234567", email="amina@example.org")
    enrol(amina, world.sister)
    enrol(LearnerFactory(preferred_name="Bashir"), world.run)
    client.force_login(cast.coordinator)
    html = html_of(client.get(INDEX, {"q": query}))
    assert "Amina" in html and "Bashir" not in html


def test_a_run_filter_offers_that_runs_review_page(client, cast, world):
    client.force_login(cast.coordinator)
    html = html_of(client.get(f"{INDEX}?run={world.review.pk}"))
    assert f"/admin/enrolment/enrolments/review/{world.review.pk}/" in html


def test_the_export_neutralises_formulas(client, cast, world):
    enrol(LearnerFactory(preferred_name="=cmd|' /C calc'!A0", case_reference="CASE-X"), world.run)
    client.force_login(cast.coordinator)
    response = client.get(INDEX + "?export=xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Learner", "Class", "Course", "Status")
    assert rows[1][0].startswith("=cmd|' /C calc'!A0")  # as typed, then "E. (L12)"
    assert xlsx_formulas(data) == []
    assert rows[1][1:4] == ("ENG-A1-T1", "English A1", "Enrolled")
    assert "CASE-X" not in " ".join(str(cell) for row in rows for cell in row)


def _listing_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_listing_query_count_does_not_grow_with_rows(client, cast, world):
    client.force_login(cast.coordinator)
    runs = [world.run, world.sister, world.review, world.computers]
    for i in range(3):
        enrol(LearnerFactory(), runs[i % 4])
    client.get(INDEX)  # warm caches (content types, site settings)
    at_3 = _listing_queries(client, INDEX)
    for i in range(27):
        enrol(LearnerFactory(), runs[i % 4])
    assert Enrolment.objects.count() == 30
    at_30 = _listing_queries(client, INDEX)
    assert at_30 == at_3
    assert _listing_queries(client, f"{INDEX}?status=waitlisted") <= at_3 + 1


def test_an_existing_enrolment_factory_row_shows_in_the_listing(client, cast, world):
    EnrolmentFactory(run=world.run, learner=LearnerFactory(preferred_name="Zara"))
    client.force_login(cast.coordinator)
    assert "Zara" in html_of(client.get(INDEX))
