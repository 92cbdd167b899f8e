"""A replaced or cleared photo leaves storage once the change commits, and only then: a child's
old picture must not stay on disk."""

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from PIL import Image

from enrolment.services.photos import ORPHAN_GRACE, photo_discard_orphans
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def png(colour: str = "orange") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, format="PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def edit(client, child, **photo):
    data = {
        "preferred_name": child.preferred_name,
        "legal_name": child.legal_name,
        "date_of_birth": child.date_of_birth.isoformat(),
        "preferred_language": "en",
        "english_level": "none",
        "guardian_name": child.guardian_name,
        "consent_photo": "on",
        **photo,
    }
    response = client.post(f"/admin/enrolment/learners/edit/{child.pk}/", data)
    assert response.status_code == 302, response.content[:2000]
    child.refresh_from_db()
    return child.photo.name


@pytest.fixture
def child(coordinator_client, django_capture_on_commit_callbacks):
    child = ChildFactory()
    with django_capture_on_commit_callbacks(execute=True):
        edit(coordinator_client, child, photo=png("red"))
    return child


def test_replacing_a_photo_deletes_the_old_file(
    coordinator_client, child, django_capture_on_commit_callbacks
):
    old = child.photo.name
    assert default_storage.exists(old)

    with django_capture_on_commit_callbacks(execute=True):
        new = edit(coordinator_client, child, photo=png("blue"))

    assert new != old and new.startswith("learner-photos/")
    assert default_storage.exists(new)
    assert not default_storage.exists(old)


def test_clearing_a_photo_deletes_its_file(
    coordinator_client, child, django_capture_on_commit_callbacks
):
    old = child.photo.name

    with django_capture_on_commit_callbacks(execute=True):
        assert edit(coordinator_client, child, **{"photo-clear": "on"}) == ""

    assert not default_storage.exists(old)


def test_saving_the_record_without_a_new_photo_keeps_the_file(
    coordinator_client, child, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert edit(coordinator_client, child) == child.photo.name
    assert default_storage.exists(child.photo.name)


def test_a_change_that_rolls_back_keeps_the_photo_in_use(child, django_capture_on_commit_callbacks):
    old = child.photo.name
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            child.photo = ""
            child.save()
            raise RuntimeError("the rest of the change failed")

    child.refresh_from_db()
    assert child.photo.name == old
    assert default_storage.exists(old)


def test_deleting_a_learner_deletes_the_photo(child, django_capture_on_commit_callbacks):
    old = child.photo.name
    with django_capture_on_commit_callbacks(execute=True):
        child.delete()
    assert not default_storage.exists(old)


def test_the_command_deletes_old_photo_files_nobody_uses(child):
    """Photos replaced before this was fixed are still on disk: a one-off command finds them."""
    stray = default_storage.save("learner-photos/replaced-long-ago.png", png("green"))
    just_saved = default_storage.save("learner-photos/not-committed-yet.png", png("green"))
    later = timezone.now() + ORPHAN_GRACE + dt.timedelta(minutes=1)

    # A day younger than the files: each may belong to a save under way.
    assert {stray, just_saved}.isdisjoint(photo_discard_orphans(now=later - ORPHAN_GRACE))
    assert {stray, just_saved} <= set(photo_discard_orphans(now=later))
    assert not default_storage.exists(stray)
    assert default_storage.exists(child.photo.name)  # in use: kept

    output = io.StringIO()
    call_command("discard_orphan_photos", stdout=output)
    assert output.getvalue() == "Deleted 0 photo files no learner uses.\n"
