"""What the admin's tests share: a coordinator signed in, and a form's errors."""

import pytest


def errors_of(response) -> dict:
    return response.context["form"].errors


@pytest.fixture
def coordinator_client(client, cast, site):
    client.force_login(cast.coordinator)
    return client


@pytest.fixture
def caseworker(db):
    """A coordinator who also holds the learners' case files (the Caseworkers group)."""
    from tests.factories import UserFactory

    return UserFactory(username="caseworker", groups=["Coordinators", "Caseworkers"])
