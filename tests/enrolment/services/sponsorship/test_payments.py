"""Payments received from sponsors: recorded by coordinators only, refused with a reason and
nothing saved, and counted against what was promised on statements and the funding list."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from wagtail.models import ModelLogEntry

from enrolment.errors import SponsorshipError
from enrolment.models import PaymentMethod, SponsorshipPayment
from enrolment.services.funding import funding_for_year
from enrolment.services.sponsor_payments import payment_delete, payment_record
from enrolment.services.sponsor_portal import sponsorship_years
from enrolment.services.sponsor_statements import sponsor_statement
from tests.conftest import logged
from tests.enrolment.services.sponsorship.conftest import YEAR, D
from tests.factories import (
    SchoolPlacementFactory,
    SponsorFactory,
    SponsorshipFactory,
    SponsorshipPaymentFactory,
)

pytestmark = pytest.mark.django_db


def record(sponsorship, by, **changes):
    data = {
        "sponsorship": sponsorship,
        "received_on": timezone.localdate(),
        "amount": Decimal(500),
        "method": PaymentMethod.FPS,
        "reference": "  FPS 1234  ",
    } | changes
    return payment_record(by=by, **data)


def test_a_coordinator_records_a_payment_and_it_is_logged(cast):
    sponsorship = SponsorshipFactory()

    payment = record(sponsorship, cast.coordinator)

    assert payment.sponsorship == sponsorship and payment.amount == Decimal(500)
    assert payment.reference == "FPS 1234"  # trimmed
    assert payment.recorded_by == cast.coordinator
    assert logged(payment, "wagtail.create") == 1

    record(sponsorship, cast.coordinator, amount=Decimal(450), payment=payment)
    payment.refresh_from_db()
    assert payment.amount == Decimal(450) and SponsorshipPayment.objects.count() == 1
    assert logged(payment, "wagtail.edit") == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"amount": Decimal(0)}, "amount", "above HK$0"),
        ({"amount": Decimal(-5)}, "amount", "above HK$0"),
        ({"amount": Decimal(1_000_000)}, "amount", "below HK$1,000,000"),
        ({"method": "bitcoin"}, "method", "how the payment was made"),
        ({"reference": "x" * 81}, "reference", "80 characters"),
        ({"received_on": None}, "received_on", "the day the payment was received"),
    ],
)
def test_a_bad_payment_is_refused_and_nothing_is_saved(cast, changes, field, message):
    sponsorship = SponsorshipFactory()
    with pytest.raises(SponsorshipError) as refused:
        record(sponsorship, cast.coordinator, **changes)
    assert refused.value.field == field and message in refused.value.message
    assert not SponsorshipPayment.objects.exists()


def test_a_payment_cannot_be_received_tomorrow(cast):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(SponsorshipError, match="cannot be received in the future"):
        record(SponsorshipFactory(), cast.coordinator, received_on=tomorrow)
    assert not SponsorshipPayment.objects.exists()


@pytest.mark.parametrize("who", ["sponsor", "learner", "teacher"])
def test_only_coordinators_record_or_delete_payments(cast, who):
    sponsorship = SponsorshipFactory()
    with pytest.raises(SponsorshipError, match="Only coordinators"):
        record(sponsorship, getattr(cast, who))
    payment = SponsorshipPaymentFactory(sponsorship=sponsorship)
    with pytest.raises(SponsorshipError, match="Only coordinators"):
        payment_delete(payment=payment, by=getattr(cast, who))
    assert SponsorshipPayment.objects.count() == 1


def test_deleting_a_mistaken_payment_leaves_a_log(cast):
    payment = SponsorshipPaymentFactory()
    pk = payment.pk
    payment_delete(payment=payment, by=cast.coordinator)
    assert not SponsorshipPayment.objects.exists()
    assert ModelLogEntry.objects.filter(object_id=str(pk), action="wagtail.delete").count() == 1


def test_the_statement_shows_what_arrived_in_the_year_against_what_was_promised(cast):
    sponsor = SponsorFactory(user=cast.sponsor)
    sponsorship = SponsorshipFactory(sponsor=sponsor, starts_on=D(YEAR, 9, 1), amount=500)
    other = SponsorshipFactory(starts_on=D(YEAR, 9, 1))  # another sponsor's money
    for day, amount in [(D(YEAR, 9, 3), 500), (D(YEAR, 10, 2), 300), (D(YEAR - 1, 8, 30), 900)]:
        SponsorshipPaymentFactory(sponsorship=sponsorship, received_on=day, amount=amount)
    SponsorshipPaymentFactory(sponsorship=other, received_on=D(YEAR, 9, 2), amount=700)

    (line,) = sponsorship_years(user=cast.sponsor, school_year=YEAR, today=D(YEAR, 11, 15))

    assert line.due_so_far == Decimal(1500)  # promised: September, October, November
    assert line.received == Decimal(800)  # arrived: last August's 900 is last year's
    statement = sponsor_statement(user=cast.sponsor, school_year=YEAR)
    assert statement.received == Decimal(800) and statement.total == Decimal(6000)


def test_a_late_payment_shows_in_a_year_the_sponsorship_no_longer_pays(cast):
    sponsor = SponsorFactory(user=cast.sponsor)
    ended = SponsorshipFactory(
        sponsor=sponsor, starts_on=D(YEAR - 1, 9, 1), ends_on=D(YEAR, 6, 30), amount=500
    )
    SponsorshipPaymentFactory(sponsorship=ended, received_on=D(YEAR + 1, 9, 10), amount=500)

    (line,) = sponsorship_years(user=cast.sponsor, school_year=YEAR + 1)

    assert line.payments == () and line.total == 0
    assert line.received == Decimal(500)


def test_the_funding_list_counts_received_beside_sponsored():
    placement = SchoolPlacementFactory(school_year=YEAR, fees=6000)
    one = SponsorshipFactory(child=placement.child, starts_on=D(YEAR, 9, 1), amount=250)
    two = SponsorshipFactory(child=placement.child, starts_on=D(YEAR, 9, 1), amount=250)
    SponsorshipPaymentFactory(sponsorship=one, received_on=D(YEAR, 9, 5), amount=250)
    SponsorshipPaymentFactory(sponsorship=two, received_on=D(YEAR, 9, 6), amount=100)
    SponsorshipPaymentFactory(sponsorship=two, received_on=D(YEAR + 1, 9, 6), amount=999)

    (row,) = funding_for_year(school_year=YEAR)

    assert row.sponsored == Decimal(6000) and row.received == Decimal(350)
