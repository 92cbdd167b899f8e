import datetime as dt

import pytest
from django.core import mail

from enrolment.services.accounts import learner_register, learner_set_password_link
from tests.factories import PASSWORD, LearnerFactory, SponsorFactory

pytestmark = pytest.mark.django_db

URL = "/accounts/login/"
LEARNER_PASSWORD = "river-lantern-bicycle"


@pytest.fixture
def amina(db):
    return learner_register(
        password=LEARNER_PASSWORD,
        preferred_name="Amina",
        date_of_birth=dt.date(1994, 3, 2),
        phone="+852 9123 4567",
        email="amina@example.org",
    )


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("typed", ["9123 4567", "91234567", "+852 9123-4567", "852 9123 4567"])
def test_it_signs_in_with_the_phone_number_typed_any_way(client, site, amina, typed):
    response = client.post(URL, {"username": typed, "password": LEARNER_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/learn/"
    assert signed_in_user_id(client) == str(amina.user.pk)


def test_it_signs_in_with_the_email_in_any_case(client, site, amina):
    client.post(URL, {"username": " Amina@Example.ORG ", "password": LEARNER_PASSWORD})

    assert signed_in_user_id(client) == str(amina.user.pk)


def test_it_refuses_a_wrong_password(client, site, amina):
    response = client.post(URL, {"username": "9123 4567", "password": "not-the-password"})

    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert signed_in_user_id(client) is None


def test_it_refuses_an_unknown_phone_number(client, site, amina):
    client.post(URL, {"username": "6000 0000", "password": LEARNER_PASSWORD})

    assert signed_in_user_id(client) is None


@pytest.mark.parametrize("username", ["coordinator", "teacher.grace"])
def test_it_still_signs_staff_in_with_their_username(client, site, cast, username):
    cast.coordinator.username = username
    cast.coordinator.save()

    response = client.post(URL, {"username": username, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signed_in_user_id(client) == str(cast.coordinator.pk)


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [
        ("coordinator", "/admin/"),
        ("teacher", "/teach/"),
        ("sponsor", "/sponsor/"),
        ("learner", "/learn/"),
        ("translator", "/"),
    ],
)
def test_each_role_lands_on_its_own_page_after_signing_in(client, site, cast, who, lands_on):
    SponsorFactory(user=cast.sponsor)
    response = client.post(URL, {"username": who, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == lands_on


def test_a_teacher_who_also_learns_lands_on_teach(client, site, cast):
    LearnerFactory(user=cast.teacher)

    response = client.post(URL, {"username": "teacher", "password": PASSWORD})

    assert response["Location"] == "/teach/"


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [
        ("/courses/", "/courses/"),
        ("https://evil.example/", "/teach/"),
        ("//evil.example/", "/teach/"),
    ],
)
def test_a_teacher_follows_a_safe_next_only(client, site, cast, next_url, lands_on):
    response = client.post(URL, {"username": "teacher", "password": PASSWORD, "next": next_url})

    assert response["Location"] == lands_on


def test_it_signs_in_with_the_phone_of_an_account_a_coordinator_made(client, site):
    learner = LearnerFactory(phone="6123 4567")  # registered at the desk, no email
    page = client.get(learner_set_password_link(learner=learner), follow=True)
    set_password_url = page.redirect_chain[-1][0]
    client.post(
        set_password_url, {"new_password1": LEARNER_PASSWORD, "new_password2": LEARNER_PASSWORD}
    )
    client.logout()

    client.post(URL, {"username": "61234567", "password": LEARNER_PASSWORD})

    learner.refresh_from_db()
    assert signed_in_user_id(client) == str(learner.user_id)


def test_it_follows_next_after_signing_in(client, site, amina):
    response = client.post(
        URL, {"username": "91234567", "password": LEARNER_PASSWORD, "next": "/courses/x/"}
    )

    assert response["Location"] == "/courses/x/"


def test_it_labels_the_field_for_phone_email_or_username(client, site):
    html = client.get(URL).content.decode()

    assert "Phone number, email or username" in html
    assert "/accounts/signup/" in html
    assert "/accounts/password/reset/" in html


def test_it_changes_the_password(client, site, amina):
    client.force_login(amina.user)

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": LEARNER_PASSWORD,
            "new_password1": "quiet-harbour-morning",
            "new_password2": "quiet-harbour-morning",
        },
    )

    assert response.status_code == 302
    client.logout()
    client.post(URL, {"username": "91234567", "password": "quiet-harbour-morning"})
    assert signed_in_user_id(client) == str(amina.user.pk)


def test_it_sends_a_password_reset_link_by_email(
    client, site, amina, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "AMINA@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["amina@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    page = client.get(link, follow=True)
    assert page.context["validlink"] is True


def test_it_sends_nothing_for_an_unknown_email(
    client, site, amina, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert response.status_code == 302  # the same answer, so it reveals nothing
    assert mail.outbox == []


def test_signing_out_says_so(client, cast, site):
    client.force_login(cast.learner)
    response = client.post("/accounts/logout/", follow=True)
    assert "You are signed out." in response.content.decode()
    assert "_auth_user_id" not in client.session
