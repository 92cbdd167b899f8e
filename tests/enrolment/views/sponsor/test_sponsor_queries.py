"""/sponsor/: the pages cost the same queries however many children, reports or sponsorships."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.enrolment.views.sponsor.conftest import (
    child_url,
    sponsor_child,
    statement_url,
    text_of,
    this_year,
)
from tests.factories import ProgressReportFactory, SchoolPlacementFactory, SubjectGradeFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def add_child(sponsor, n: int):
    child = sponsor_child(sponsor, preferred_name=f"Child{n}", photo=f"learner-photos/{n}.jpg")
    SchoolPlacementFactory(child=child)
    return child


def test_the_home_page_costs_the_same_queries_for_1_and_10_children(client, cast, sponsor, site):
    add_child(sponsor, 0)
    client.force_login(cast.sponsor)
    client.get("/sponsor/")  # warm the per-process caches (content types, site)
    one = queries_for(client, "/sponsor/")

    for n in range(1, 10):
        add_child(sponsor, n)
    ten = queries_for(client, "/sponsor/")

    assert text_of(client.get("/sponsor/")).count("See how") == 10
    assert ten == one


def test_the_child_page_costs_the_same_queries_for_1_and_10_reports(client, cast, sponsor, site):
    child = add_child(sponsor, 0)

    def shared(year, term):
        report = ProgressReportFactory(
            child=child, school_year=year, term=term, shared_with_sponsors=True
        )
        SubjectGradeFactory(report=report)

    shared(this_year(), 1)
    client.force_login(cast.sponsor)
    client.get(child_url(child))
    one = queries_for(client, child_url(child))

    for i in range(1, 10):
        shared(this_year() - i // 3 - 1, i % 3 + 1)
    ten = queries_for(client, child_url(child))

    assert text_of(client.get(child_url(child))).count("Read the report") == 10
    assert ten == one


def test_the_statement_costs_the_same_queries_for_1_and_10_sponsorships(
    client, cast, sponsor, site
):
    add_child(sponsor, 0)
    url = statement_url(this_year())
    client.force_login(cast.sponsor)
    client.get(url)
    one = queries_for(client, url)

    for n in range(1, 10):
        add_child(sponsor, n)
    ten = queries_for(client, url)

    assert text_of(client.get(url)).count('<th scope="row">Child') == 10
    assert ten == one
