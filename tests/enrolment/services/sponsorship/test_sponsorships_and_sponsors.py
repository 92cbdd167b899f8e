"""What a sponsorship and a sponsor must be; a sponsor's account."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from enrolment.models import Frequency, Sponsor
from enrolment.services.sponsorship import (
    SponsorshipError,
    sponsor_create,
    sponsor_delete,
    sponsorship_check,
    sponsorship_save,
)
from tests.conftest import logged
from tests.enrolment.services.sponsorship.conftest import YEAR, D
from tests.factories import ChildFactory, SponsorFactory, SponsorshipFactory


def check(**overrides):
    values = {
        "child": overrides.pop("child", None) or ChildFactory(),
        "starts_on": D(YEAR, 9, 1),
        "ends_on": None,
        "amount": Decimal(500),
        "frequency": Frequency.MONTHLY,
        "covers": ["fees"],
        **overrides,
    }
    sponsorship_check(**values)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": Decimal("-10")}, "amount"),
        ({"amount": Decimal(1_000_000)}, "amount"),
        ({"ends_on": D(YEAR, 8, 31)}, "ends_on"),
        ({"frequency": "fortnightly"}, "frequency"),
        ({"covers": ["fees", "pocket money"]}, "covers"),
    ],
)
def test_a_sponsorship_with_bad_terms_is_refused_on_its_field(db, overrides, field):
    with pytest.raises(SponsorshipError) as refused:
        check(**overrides)
    assert refused.value.field == field
    assert refused.value.message


def test_a_child_18_on_the_start_date_cannot_be_sponsored(db):
    child = ChildFactory(date_of_birth=D(2010, 3, 15))
    with pytest.raises(SponsorshipError) as refused:
        check(child=child, starts_on=D(2028, 3, 15))
    assert refused.value.field == "child" and "18" in refused.value.message


def test_a_child_17_the_day_before_the_18th_birthday_can_be_sponsored(db):
    check(child=ChildFactory(date_of_birth=D(2010, 3, 15)), starts_on=D(2028, 3, 14))


def test_a_child_without_a_guardian_or_a_birthday_cannot_be_sponsored(db):
    with pytest.raises(SponsorshipError) as refused:
        check(child=ChildFactory(guardian_name="  "))
    assert refused.value.field == "child" and "guardian" in refused.value.message
    with pytest.raises(SponsorshipError) as refused:
        check(child=ChildFactory(date_of_birth=None))
    assert refused.value.field == "child" and "date of birth" in refused.value.message


def test_sponsorship_save_records_who_and_logs_once(db, cast):
    sponsorship = SponsorshipFactory.build(sponsor=SponsorFactory(), child=ChildFactory())
    sponsorship_save(sponsorship=sponsorship, by=cast.coordinator)
    assert sponsorship.created_by == cast.coordinator
    assert logged(sponsorship, "wagtail.create") == 1
    sponsorship.amount = Decimal(0)
    with pytest.raises(SponsorshipError):
        sponsorship_save(sponsorship=sponsorship, by=cast.coordinator)
    sponsorship.refresh_from_db()
    assert sponsorship.amount == Decimal(500)
    with pytest.raises(SponsorshipError):
        sponsorship_save(sponsorship=sponsorship, by=cast.sponsor)


# --- sponsors ---------------------------------------------------------------------------------


def test_a_new_sponsor_gets_an_account_without_a_password(db, cast):
    sponsor = sponsor_create(
        display_name=" St Andrew's Church ", email=" Giving@Example.org ", by=cast.coordinator
    )
    assert sponsor.display_name == "St Andrew's Church"
    assert sponsor.user.email == "giving@example.org"
    assert not sponsor.user.has_usable_password()
    assert list(sponsor.user.groups.values_list("name", flat=True)) == ["Sponsors"]
    assert logged(sponsor, "wagtail.create") == 1


def test_a_second_sponsor_with_the_same_email_is_refused(db, cast):
    sponsor_create(display_name="First", email="giving@example.org", by=cast.coordinator)
    with pytest.raises(SponsorshipError) as refused:
        sponsor_create(display_name="Second", email="GIVING@example.org", by=cast.coordinator)
    assert refused.value.field == "email"
    assert Sponsor.objects.count() == 1


@pytest.mark.parametrize(
    ("display_name", "email", "field"), [("", "a@example.org", "display_name"), ("A", " ", "email")]
)
def test_a_sponsor_needs_a_name_and_an_email(db, cast, display_name, email, field):
    with pytest.raises(SponsorshipError) as refused:
        sponsor_create(display_name=display_name, email=email, by=cast.coordinator)
    assert refused.value.field == field
    assert not Sponsor.objects.exists()


def test_deleting_a_sponsor_frees_their_email(db, cast):
    sponsor = sponsor_create(display_name="Mistake", email="oops@example.org", by=cast.coordinator)
    sponsor_delete(sponsor=sponsor, by=cast.coordinator)
    assert not Sponsor.objects.exists()
    assert not get_user_model().objects.filter(email="oops@example.org").exists()
    sponsor_create(display_name="Again", email="oops@example.org", by=cast.coordinator)


def test_a_sponsor_with_sponsorships_cannot_be_deleted(db, cast):
    sponsorship = SponsorshipFactory()
    with pytest.raises(SponsorshipError):
        sponsor_delete(sponsor=sponsorship.sponsor, by=cast.coordinator)
    assert Sponsor.objects.filter(pk=sponsorship.sponsor_id).exists()


def test_deleting_a_sponsor_keeps_an_account_with_other_roles(db, cast):
    sponsor = SponsorFactory(user=cast.teacher)
    sponsor_delete(sponsor=sponsor, by=cast.coordinator)
    cast.teacher.refresh_from_db()
    assert list(cast.teacher.groups.values_list("name", flat=True)) == ["Teachers"]
