"""The sponsorship admin: nobody but a coordinator gets in, and no listing costs more
queries for more rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolment.models import Sponsorship
from tests.conftest import html_of
from tests.enrolment.admin.sponsorship.conftest import (
    FUNDING,
    PAYMENTS,
    PLACEMENTS,
    REPORTS,
    SCHOOLS,
    SPONSORS,
    SPONSORSHIPS,
    YEAR,
)
from tests.factories import (
    ChildFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SponsorshipFactory,
    SponsorshipPaymentFactory,
    SubjectGradeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site):
    report = ProgressReportFactory(child=ChildFactory(preferred_name="Amani"))
    SubjectGradeFactory(report=report)
    placement = SchoolPlacementFactory(child=report.child, school=SchoolFactory(name="Hillside"))
    sponsorship = SponsorshipFactory(child=report.child)
    SponsorshipPaymentFactory(sponsorship=sponsorship)
    return report, placement, sponsorship


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor", "anonymous"])
def test_everyone_but_coordinators_is_refused(client, cast, world, who):
    report, placement, sponsorship = world
    payment = sponsorship.payments.get()
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    urls = [
        SCHOOLS,
        SCHOOLS + "add/",
        f"{SCHOOLS}edit/{placement.school_id}/",
        SPONSORS,
        SPONSORS + "new/",
        f"{SPONSORS}edit/{sponsorship.sponsor_id}/",
        SPONSORSHIPS,
        SPONSORSHIPS + "new/",
        f"{SPONSORSHIPS}edit/{sponsorship.pk}/",
        PLACEMENTS,
        PLACEMENTS + "new/",
        f"{PLACEMENTS}edit/{placement.pk}/",
        REPORTS,
        REPORTS + "new/",
        f"{REPORTS}edit/{report.pk}/",
        f"{REPORTS}{report.pk}/share/",
        FUNDING,
        FUNDING + "?export=xlsx",
        PAYMENTS,
        PAYMENTS + "new/",
        PAYMENTS + "?export=xlsx",
        f"{PAYMENTS}edit/{payment.pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Amani" not in html_of(response) and "Hillside" not in html_of(response), url
    response = client.post(f"{REPORTS}{report.pk}/share/", {"action": "share"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    response = client.post(f"{SPONSORSHIPS}delete/{sponsorship.pk}/")
    assert Sponsorship.objects.filter(pk=sponsorship.pk).exists()
    client.post(f"{PAYMENTS}delete/{payment.pk}/")
    assert sponsorship.payments.exists()


def test_the_sponsorship_menu_shows_for_coordinators(coordinator_client, world):
    html = html_of(coordinator_client.get("/admin/"))
    for label in ["Sponsorship", "Funding", "Sponsors", "School places", "Progress reports"]:
        assert label in html
    assert "Payments received" in html
    for url in [SCHOOLS, SPONSORS, SPONSORSHIPS, PLACEMENTS, REPORTS, FUNDING, PAYMENTS]:
        assert url in html


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _children_with_everything(count: int):
    for _ in range(count):
        child = ChildFactory()
        placement = SchoolPlacementFactory(child=child)
        SponsorshipFactory(child=child, amount=100)
        SponsorshipPaymentFactory(sponsorship=SponsorshipFactory(child=child, amount=100))
        SubjectGradeFactory(report=ProgressReportFactory(child=child, school_year=YEAR))
        SchoolFactory()
        assert placement.school_id


@pytest.mark.parametrize(
    "url",
    [
        SCHOOLS,
        SPONSORS,
        SPONSORSHIPS,
        PLACEMENTS,
        REPORTS,
        FUNDING,
        FUNDING + "?export=xlsx",
        f"{FUNDING}?status=under_funded",
        PAYMENTS,
        PAYMENTS + "?export=xlsx",
    ],
)
def test_the_listings_cost_the_same_queries_for_2_or_12_rows(coordinator_client, url):
    _children_with_everything(2)
    coordinator_client.get(url)  # warm caches
    at_2 = _queries(coordinator_client, url)
    _children_with_everything(10)
    assert _queries(coordinator_client, url) == at_2
