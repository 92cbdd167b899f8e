"""/sponsor/: what a sponsor sent, against what they promised, on the statement's page,
spreadsheet and PDF; sponsorships that have not started; the child's reports on a phone."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from tests.enrolment.views.sponsor.conftest import (
    child_url,
    first_of_september,
    pdf_text,
    report_url,
    sponsor_child,
    statement_url,
    text_of,
    this_year,
)
from tests.factories import (
    ChildFactory,
    ProgressReportFactory,
    SponsorshipFactory,
    SponsorshipPaymentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def part_paid(site, sponsor):
    """Amani's HK$500 a month since 1 September; HK$700 has arrived."""
    sponsorship = SponsorshipFactory(
        sponsor=sponsor,
        child=ChildFactory(preferred_name="Amani Okello"),
        starts_on=first_of_september(),
        amount=500,
    )
    SponsorshipPaymentFactory(sponsorship=sponsorship, received_on=first_of_september())
    SponsorshipPaymentFactory(sponsorship=sponsorship, received_on=first_of_september(), amount=200)
    return sponsorship


def test_the_statement_page_shows_received_beside_due(client, cast, part_paid):
    client.force_login(cast.sponsor)

    text = text_of(client.get(statement_url(this_year())))

    assert "Due so far" in text and "Received" in text and "Paid so far" not in text
    assert '<td class="money received">HK$700</td>' in text
    assert '<td class="money statement-received">HK$700</td>' in text


def test_the_statement_files_show_received(client, cast, part_paid):
    client.force_login(cast.sponsor)

    xlsx = client.get(statement_url(this_year(), ".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headings = next(row for row in rows if row[0] == "Child")
    amani = next(row for row in rows if row[0] == "Amani")
    total = next(row for row in rows if row[0] == "Total")
    received = headings.index("Received")
    assert amani[received] == 700 and total[received] == 700
    assert headings[received - 1] == "Due so far"

    pdf = pdf_text(client.get(statement_url(this_year(), ".pdf")).content)
    assert "Received" in pdf and "HK$700" in pdf


def test_a_sponsorship_starting_next_month_shows_as_upcoming_and_nothing_more(
    client, cast, sponsor, site
):
    starts = timezone.localdate().replace(day=1) + dt.timedelta(days=40)
    child = ChildFactory(
        preferred_name="Hawa Noor",
        legal_name="Hawa Abdi Noor",
        guardian_name="Fadumo Noor",
        consent_share_progress=True,
    )
    SponsorshipFactory(sponsor=sponsor, child=child, starts_on=starts)
    ProgressReportFactory(child=child, shared_with_sponsors=True)
    client.force_login(cast.sponsor)

    text = text_of(client.get("/sponsor/"))

    assert "Starting soon" in text
    assert "Hawa" in text and starts.strftime("%Y") in text
    for secret in ("Noor", "Abdi", "Fadumo"):
        assert secret not in text
    assert child_url(child) not in text
    assert "You are not supporting a child" not in text
    # Access starts with the sponsorship, not before.
    assert client.get(child_url(child)).status_code == 404


def test_a_renewal_of_a_running_sponsorship_is_not_listed_as_upcoming(client, cast, sponsor, site):
    child = sponsor_child(sponsor, preferred_name="Amani")
    SponsorshipFactory(sponsor=sponsor, child=child, starts_on=dt.date(this_year() + 1, 9, 1))
    client.force_login(cast.sponsor)

    text = text_of(client.get("/sponsor/"))

    assert "Starting soon" not in text and child_url(child) in text


def test_another_sponsors_upcoming_sponsorship_is_not_shown(
    client, cast, sponsor, other_sponsor, site
):
    starts = timezone.localdate() + dt.timedelta(days=30)
    SponsorshipFactory(
        sponsor=other_sponsor, child=ChildFactory(preferred_name="Zawadi"), starts_on=starts
    )
    client.force_login(cast.sponsor)

    assert "Zawadi" not in text_of(client.get("/sponsor/"))


def test_the_child_page_lists_reports_as_cards_not_a_sideways_table(client, cast, sponsor, site):
    child = sponsor_child(sponsor, preferred_name="Amani", consent_share_progress=True)
    report = ProgressReportFactory(child=child, shared_with_sponsors=True)
    client.force_login(cast.sponsor)

    text = text_of(client.get(child_url(child)))

    assert "<table" not in text and "table-scroll" not in text
    assert 'class="card report-card"' in text
    assert f'href="{report_url(child, report)}"' in text
