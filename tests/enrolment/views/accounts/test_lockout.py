import pytest
from django.test import override_settings

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site")]


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
