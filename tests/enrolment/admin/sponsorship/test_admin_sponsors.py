"""The sponsorship admin's sponsors: their accounts, what may be edited, and deleting."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from enrolment.models import Sponsor
from tests.conftest import html_of, logged, messages_of
from tests.dates import local_today
from tests.enrolment.admin.conftest import errors_of
from tests.enrolment.admin.sponsorship.conftest import SPONSORS
from tests.factories import ChildFactory, SponsorFactory, SponsorshipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_a_sponsor_and_is_told_how_they_sign_in(coordinator_client):
    response = coordinator_client.post(
        SPONSORS + "new/",
        {"display_name": "St Andrew's Church", "email": "Giving@Example.org"},
        follow=True,
    )
    assert response.status_code == 200
    sponsor = Sponsor.objects.get()
    assert sponsor.display_name == "St Andrew's Church"
    assert sponsor.user.email == "giving@example.org"
    assert sponsor.user.groups.filter(name="Sponsors").exists()
    assert not sponsor.user.has_usable_password()
    message = " ".join(messages_of(response))
    assert "Forgot your password?" in message and "giving@example.org" in message
    assert logged(sponsor, "wagtail.create") == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"display_name": "Copy", "email": "taken@example.org"}, "email", "already exists"),
        ({"display_name": "Copy", "email": "TAKEN@example.org"}, "email", "already exists"),
        ({"display_name": "Copy", "email": "not-an-email"}, "email", "valid email"),
        ({"display_name": "Copy", "email": ""}, "email", "required"),
        ({"display_name": "", "email": "new@example.org"}, "display_name", "required"),
        ({"display_name": "   ", "email": "new@example.org"}, "display_name", "required"),
    ],
)
def test_a_bad_sponsor_is_refused_on_its_field(coordinator_client, data, field, message):
    UserFactory(username="taken", email="taken@example.org")
    users = get_user_model().objects.count()
    response = coordinator_client.post(SPONSORS + "new/", data)
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not Sponsor.objects.exists()
    assert get_user_model().objects.count() == users


def test_editing_a_sponsor_changes_the_name_and_notes_only(coordinator_client):
    sponsor = SponsorFactory(display_name="Old name")
    email = sponsor.user.email
    html = html_of(coordinator_client.get(f"{SPONSORS}edit/{sponsor.pk}/"))
    assert 'name="display_name"' in html and 'name="notes"' in html
    assert 'name="email"' not in html
    response = coordinator_client.post(
        f"{SPONSORS}edit/{sponsor.pk}/",
        {"display_name": "New name", "notes": "Pays by cheque.", "email": "evil@example.org"},
    )
    assert response.status_code == 302
    sponsor.refresh_from_db()
    sponsor.user.refresh_from_db()
    assert (sponsor.display_name, sponsor.notes) == ("New name", "Pays by cheque.")
    assert sponsor.user.email == email
    assert logged(sponsor, "wagtail.edit") == 1


def test_the_sponsor_list_counts_the_children_sponsored_now(coordinator_client):
    sponsor = SponsorFactory(display_name="Harbour Rotary")
    SponsorshipFactory(sponsor=sponsor, starts_on=local_today() - dt.timedelta(days=30))
    child = ChildFactory()
    SponsorshipFactory(
        sponsor=sponsor, child=child, starts_on=local_today() - dt.timedelta(days=30)
    )
    SponsorshipFactory(
        sponsor=sponsor, child=child, starts_on=local_today() - dt.timedelta(days=10)
    )
    SponsorshipFactory(
        sponsor=sponsor,
        starts_on=local_today() - dt.timedelta(days=400),
        ends_on=local_today() - dt.timedelta(days=1),
    )
    SponsorshipFactory(sponsor=sponsor, starts_on=local_today() + dt.timedelta(days=5))
    response = coordinator_client.get(SPONSORS)
    row = next(s for s in response.context["object_list"] if s.pk == sponsor.pk)
    assert row.children_now == 2
    assert sponsor.user.email in html_of(response)


def test_a_sponsor_with_sponsorships_is_not_deleted(coordinator_client):
    sponsorship = SponsorshipFactory()
    response = coordinator_client.post(f"{SPONSORS}delete/{sponsorship.sponsor_id}/", follow=True)
    assert response.status_code == 200
    assert "cannot be deleted" in " ".join(messages_of(response))
    assert Sponsor.objects.filter(pk=sponsorship.sponsor_id).exists()


def test_deleting_a_sponsor_made_by_mistake_frees_the_email(coordinator_client):
    coordinator_client.post(SPONSORS + "new/", {"display_name": "Typo", "email": "x@example.org"})
    sponsor = Sponsor.objects.get()
    response = coordinator_client.post(f"{SPONSORS}delete/{sponsor.pk}/")
    assert response.status_code == 302
    assert not Sponsor.objects.exists()
    assert not get_user_model().objects.filter(email="x@example.org").exists()
