import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory, override_settings

from enrolment.auth import axes_username
from enrolment.services.accounts import learner_register
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site"), pytest.mark.ratelimit]


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_it_pauses_an_account_after_repeated_wrong_passwords(client, cast):
    for _ in range(3):
        sign_in(client, "learner", "wrong password")

    response = sign_in(client, "learner", PASSWORD)

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_neighbour_on_the_same_wifi_can_still_sign_in(client, cast):
    for _ in range(3):
        sign_in(client, "learner", "wrong password")

    response = sign_in(client, "other_learner", PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.other_learner.pk)


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, PROXY_COUNT=1)
def test_behind_the_load_balancer_the_lockout_is_per_visitor(client, cast):
    # Everyone arrives from the proxy's address; the visitor is the one it forwarded.
    def sign_in_from(visitor, password):
        return client.post(
            "/accounts/login/",
            {"username": "learner", "password": password},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=visitor,
        )

    for _ in range(3):
        sign_in_from("198.51.100.7", "wrong password")
    assert sign_in_from("198.51.100.7", PASSWORD).status_code == 429
    assert sign_in_from("203.0.113.9", PASSWORD).status_code == 302


LEARNER_PASSWORD = "river-lantern-bicycle"


@pytest.fixture
def amina(db):
    return learner_register(
        password=LEARNER_PASSWORD,
        preferred_name="Amina",
        date_of_birth=dt.date(1994, 3, 2),
        phone="9123 0001",
        email="amina@example.org",
    )


SPELLINGS = ["9123 0001", "91230001", "+852 9123 0001", "(9123)0001", "AMINA@example.org"]


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_guesses_spread_over_spellings_lock_the_account(client, amina, url):
    for typed in SPELLINGS[:3]:
        client.post(url, {"username": typed, "password": "wrong"})

    # Every spelling, including the email of the same account, is now paused, even with
    # the right password.
    for typed in SPELLINGS:
        response = client.post(url, {"username": typed, "password": LEARNER_PASSWORD})
        assert response.status_code == 429, typed
        assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_guesses_at_a_number_without_an_account_are_counted_together(client):
    for typed in ["6000 0000", "60000000", "+852 6000-0000"]:
        sign_in(client, typed, "wrong")

    assert sign_in(client, "(6000) 0000", "wrong").status_code == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_a_staff_username_is_counted_as_typed_without_spaces(client, cast):
    for typed in ["coordinator", " coordinator", "coordinator  "]:
        sign_in(client, typed, "wrong")

    assert sign_in(client, "coordinator", PASSWORD).status_code == 429


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_signing_in_resets_the_count_of_every_spelling(client, amina):
    sign_in(client, "9123 0001", "wrong")
    sign_in(client, "amina@example.org", "wrong")
    assert sign_in(client, "+85291230001", LEARNER_PASSWORD).status_code == 302
    client.post("/accounts/logout/")

    sign_in(client, "91230001", "wrong")
    sign_in(client, "91230001", "wrong")

    assert sign_in(client, "9123 0001", LEARNER_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "url, message",
    [
        ("/accounts/login/", "That is too long for a phone number, email or username."),
        ("/admin/login/", "Ensure this value has at most 254 characters"),
    ],
)
@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_an_overlong_username_is_refused_with_a_message(client, url, message):
    response = client.post(url, {"username": "9" * 300, "password": "wrong"})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert all(len(a.username) <= 255 for a in AccessAttempt.objects.all())


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_lockout_counts_an_overlong_username_within_its_column():
    request = RequestFactory().post("/accounts/login/")

    assert len(axes_username(request, {"username": "x" * 300})) == 255
