"""The sponsorship admin's sponsorships: good and bad terms, and the listing."""

import datetime as dt
from decimal import Decimal

import pytest
from wagtail.models import ModelLogEntry

from enrolment.models import Sponsorship
from tests.conftest import html_of, logged
from tests.dates import local_today
from tests.enrolment.admin.conftest import errors_of
from tests.enrolment.admin.sponsorship.conftest import SPONSORSHIPS, YEAR
from tests.factories import (
    ChildFactory,
    LearnerFactory,
    SponsorFactory,
    SponsorshipFactory,
    years_ago,
)

pytestmark = pytest.mark.django_db


def sponsorship_data(sponsor, child, **changes):
    return {
        "sponsor": sponsor.pk,
        "child": child.pk,
        "starts_on": dt.date(YEAR, 9, 1).isoformat(),
        "ends_on": "",
        "amount": "500",
        "frequency": "monthly",
        "covers": ["fees", "books"],
        "note": "",
    } | changes


def test_a_good_sponsorship_is_saved_and_logged_once(coordinator_client, cast):
    sponsor, child = SponsorFactory(), ChildFactory()
    response = coordinator_client.post(SPONSORSHIPS + "new/", sponsorship_data(sponsor, child))
    assert response.status_code == 302, errors_of(response)
    sponsorship = Sponsorship.objects.get()
    assert sponsorship.covers == ["fees", "books"]
    assert sponsorship.amount == Decimal(500)
    assert sponsorship.created_by == cast.coordinator
    assert ModelLogEntry.objects.filter(object_id=str(sponsorship.pk)).count() == 1
    assert logged(sponsorship, "wagtail.create") == 1

    response = coordinator_client.post(
        f"{SPONSORSHIPS}edit/{sponsorship.pk}/",
        sponsorship_data(sponsor, child, amount="600", covers=["uniform"]),
    )
    assert response.status_code == 302, errors_of(response)
    sponsorship.refresh_from_db()
    assert sponsorship.amount == Decimal(600) and sponsorship.covers == ["uniform"]
    assert logged(sponsorship, "wagtail.edit") == 1


def _nearly_18():
    """A child today whose 18th birthday is in ten days."""
    born = years_ago(18) + dt.timedelta(days=10)
    return ChildFactory(date_of_birth=born), born.replace(year=born.year + 18)


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("zero", "amount", "above HK$0"),
        ("negative", "amount", "above HK$0"),
        ("end_before_start", "ends_on", "cannot end"),
        ("turns_18", "child", "only children under 18"),
        ("no_guardian", "child", "guardian"),
        ("adult", "child", "valid choice"),
        ("unknown_cover", "covers", "valid choice"),
    ],
)
def test_a_bad_sponsorship_shows_why_and_saves_nothing(coordinator_client, case, field, message):
    sponsor, child = SponsorFactory(), ChildFactory()
    data = sponsorship_data(sponsor, child)
    if case == "zero":
        data["amount"] = "0"
    elif case == "negative":
        data["amount"] = "-50"
    elif case == "end_before_start":
        data["ends_on"] = dt.date(YEAR, 8, 1).isoformat()
    elif case == "turns_18":
        nearly, birthday = _nearly_18()
        data |= {"child": nearly.pk, "starts_on": birthday.isoformat()}
    elif case == "no_guardian":
        data["child"] = ChildFactory(guardian_name="").pk
    elif case == "adult":
        data["child"] = LearnerFactory(date_of_birth=years_ago(30)).pk
    elif case == "unknown_cover":
        data["covers"] = ["fees", "holiday"]
    response = coordinator_client.post(SPONSORSHIPS + "new/", data)
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not Sponsorship.objects.exists()
    assert not ModelLogEntry.objects.filter(action="wagtail.create").exists()


def test_a_bad_edit_changes_nothing(coordinator_client):
    sponsorship = SponsorshipFactory(amount=500)
    response = coordinator_client.post(
        f"{SPONSORSHIPS}edit/{sponsorship.pk}/",
        sponsorship_data(sponsorship.sponsor, sponsorship.child, amount="0"),
    )
    assert response.status_code == 200
    sponsorship.refresh_from_db()
    assert sponsorship.amount == Decimal(500)
    assert logged(sponsorship, "wagtail.edit") == 0


def test_the_child_list_offers_children_only(coordinator_client):
    ChildFactory(preferred_name="Zawadi")
    LearnerFactory(preferred_name="Grown-up", date_of_birth=years_ago(40))
    form = coordinator_client.get(SPONSORSHIPS + "new/").context["form"]
    names = [learner.preferred_name for learner in form.fields["child"].queryset]
    assert "Zawadi" in names and "Grown-up" not in names


def test_the_sponsorship_list_shows_and_filters(coordinator_client):
    rotary = SponsorFactory(display_name="Harbour Rotary")
    SponsorshipFactory(
        sponsor=rotary,
        child=ChildFactory(preferred_name="Amani"),
        starts_on=local_today() - dt.timedelta(days=30),
        amount=1200,
        covers=["fees", "uniform"],
    )
    SponsorshipFactory(
        child=ChildFactory(preferred_name="Baraka"),
        starts_on=local_today() - dt.timedelta(days=400),
        ends_on=local_today() - dt.timedelta(days=2),
        frequency="yearly",
    )
    html = html_of(coordinator_client.get(SPONSORSHIPS))
    assert "Harbour Rotary" in html and "Amani" in html and "HK$1,200.00" in html
    assert "School fees, Uniform" in html and "ongoing" in html
    for query, shown, hidden in [
        (f"sponsor={rotary.pk}", "Amani", "Baraka"),
        ("active=yes", "Amani", "Baraka"),
        ("active=no", "Baraka", "Amani"),
        ("frequency=yearly", "Baraka", "Amani"),
        ("frequency=monthly", "Amani", "Baraka"),
    ]:
        html = html_of(coordinator_client.get(f"{SPONSORSHIPS}?{query}"))
        assert shown in html and hidden not in html, query
