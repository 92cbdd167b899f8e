"""The admin's payments received: recorded from a sponsorship's row, refused with a reason,
listed per sponsorship and exported with labels, not codes."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from enrolment.models import SponsorshipPayment
from tests.conftest import html_of, logged
from tests.dates import local_today
from tests.enrolment.admin.conftest import errors_of
from tests.enrolment.admin.sponsorship.conftest import FUNDING, PAYMENTS, SPONSORSHIPS
from tests.factories import (
    SchoolPlacementFactory,
    SponsorFactory,
    SponsorshipFactory,
    SponsorshipPaymentFactory,
)

pytestmark = pytest.mark.django_db


def payment_data(sponsorship, **changes):
    return {
        "sponsorship": sponsorship.pk,
        "received_on": local_today().isoformat(),
        "amount": "500",
        "method": "cheque",
        "reference": "Cheque 000123",
    } | changes


def test_a_sponsorship_row_offers_to_record_a_payment_for_it(coordinator_client):
    sponsorship = SponsorshipFactory(sponsor=SponsorFactory(display_name="Harbour Rotary"))

    listing = html_of(coordinator_client.get(SPONSORSHIPS))
    assert f"{PAYMENTS}new/?sponsorship={sponsorship.pk}" in listing
    assert f"{PAYMENTS}?sponsorship={sponsorship.pk}" in listing

    form = coordinator_client.get(f"{PAYMENTS}new/?sponsorship={sponsorship.pk}")
    assert form.context["form"].initial["sponsorship"] == sponsorship.pk
    assert "Harbour Rotary" in html_of(form)


def test_a_good_payment_is_saved_and_logged_once(coordinator_client, cast):
    sponsorship = SponsorshipFactory()

    response = coordinator_client.post(PAYMENTS + "new/", payment_data(sponsorship))

    assert response.status_code == 302, errors_of(response)
    payment = SponsorshipPayment.objects.get()
    assert payment.amount == Decimal(500) and payment.method == "cheque"
    assert payment.recorded_by == cast.coordinator
    assert logged(payment, "wagtail.create") == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": "0"}, "amount", ""),
        (
            {"received_on": (local_today() + dt.timedelta(days=3)).isoformat()},
            "received_on",
            "future",
        ),
        ({"method": "bitcoin"}, "method", "valid choice"),
        ({"received_on": "1899-01-01"}, "received_on", ""),
    ],
)
def test_a_bad_payment_shows_why_and_saves_nothing(coordinator_client, changes, field, message):
    response = coordinator_client.post(
        PAYMENTS + "new/", payment_data(SponsorshipFactory(), **changes)
    )

    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not SponsorshipPayment.objects.exists()


def test_the_listing_shows_one_sponsorships_payments(coordinator_client):
    mine = SponsorshipPaymentFactory(reference="MINE-1")
    SponsorshipPaymentFactory(reference="OTHER-2")

    html = html_of(coordinator_client.get(f"{PAYMENTS}?sponsorship={mine.sponsorship_id}"))

    assert "MINE-1" in html and "OTHER-2" not in html


def test_the_export_names_the_method_and_who_recorded_it(coordinator_client, cast):
    cast.coordinator.first_name, cast.coordinator.last_name = "Esther", "Wong"
    cast.coordinator.save()
    SponsorshipPaymentFactory(method="bank_transfer", recorded_by=cast.coordinator)

    response = coordinator_client.get(PAYMENTS + "?export=csv")

    text = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:5] == ["Sponsor", "Child", "Learner number", "Received on", "Amount (HK$)"]
    assert "Bank transfer" in rows[1] and "bank_transfer" not in rows[1]
    assert "Esther Wong" in rows[1]


def test_the_funding_list_shows_received_beside_sponsored(coordinator_client):
    placement = SchoolPlacementFactory(fees=12000, uniform=0, books=0, transport=0)
    sponsorship = SponsorshipFactory(child=placement.child, amount=500)
    SponsorshipPaymentFactory(sponsorship=sponsorship, received_on=sponsorship.starts_on)

    html = html_of(coordinator_client.get(FUNDING))

    assert "Received" in html
    assert 'class="funding-received">HK$500.00<' in html
