"""Pages answered to someone signed in are kept by no browser or proxy (issue 11, defect 14)."""

import pytest

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize(
    ("member", "path"),
    [
        ("learner", "/learn/"),
        ("learner", "/learn/profile/"),
        ("teacher", "/teach/"),
        ("learner", "/"),
    ],
)
def test_a_signed_in_page_is_private_and_not_stored(client, site, cast, member, path):
    client.force_login(getattr(cast, member))
    response = client.get(path)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_control(response)


def test_a_visitors_page_is_not_marked_private(client, site):
    response = client.get("/")
    assert response.status_code == 200
    assert "private" not in cache_control(response)
