"""The sponsor's photo view serves the child's current photo after it was replaced, while the
old file is gone from storage and the media address answers nothing."""

import pytest
from django.core.files.storage import default_storage

from tests.enrolment.views.sponsor.conftest import give_photo, photo_url, sponsor_child

pytestmark = pytest.mark.django_db


def test_the_checked_view_serves_the_current_photo_after_a_replacement(
    client, cast, sponsor, site, django_capture_on_commit_callbacks
):
    child = sponsor_child(sponsor, consent_photo=True)
    give_photo(child, "red")
    old = child.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        current = give_photo(child, "blue")
    client.force_login(cast.sponsor)

    response = client.get(photo_url(child))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == current
    assert not default_storage.exists(old)
    assert client.get(f"/media/{old}").status_code == 404
    assert client.get(f"/media/{child.photo.name}").status_code == 404
