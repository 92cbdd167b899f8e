"""Learners' photos as the centre keeps them: redrawn from their pixels alone.

A phone's camera writes where and when a picture was taken, and on what device, into the file
(EXIF, XMP, PNG text). A child's photo reaches sponsors, who must never learn where the child
lives, so nothing but the pixels is kept: the picture is turned upright as the camera meant,
made no larger than a card needs, and saved afresh in its own format.

A photo replaced or cleared is deleted from storage once the change commits (enrolment.apps
connects the learner's save and delete to the functions below): a child's old picture must not
stay on disk, where a backup, a misconfigured web server or a later leak would still find it.
"""

import datetime as dt
import io
import logging

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageOps

from enrolment.models import Learner
from enrolment.models.people import PHOTO_FOLDER

logger = logging.getLogger(__name__)
# A photo file younger than this may belong to a save that has not committed yet.
ORPHAN_GRACE = dt.timedelta(days=1)

PHOTO_MAX_SIDE = 1200
# Pillow's format name -> the extension the stored file gets (learner_photo_path keeps it).
FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def photo_redraw(*, upload: File) -> ContentFile:
    """A copy of an uploaded JPEG, PNG or WebP picture with no metadata at all.

    The caller has checked that ``upload`` is one of those formats (Django's ImageField opened
    it with Pillow).
    """
    upload.seek(0)
    with Image.open(upload) as original:
        image_format = original.format
        picture = ImageOps.exif_transpose(original)  # a copy, upright, without orientation
    picture.info = {}  # what the file said besides its pixels: none of it is saved
    picture.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    if image_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format=image_format, quality=85)
    return ContentFile(buffer.getvalue(), name=f"photo.{FORMAT_EXTENSIONS[image_format]}")


def photo_remember_stored(*, learner: Learner) -> None:
    """Before a learner is saved: note the photo the database holds, to compare after."""
    learner._stored_photo = (
        Learner.objects.filter(pk=learner.pk).values_list("photo", flat=True).first() or ""
        if learner.pk
        else ""
    )


def photo_discard_replaced(*, learner: Learner) -> None:
    """After a learner is saved: discard the photo it had if it has another one now, or none."""
    stored = getattr(learner, "_stored_photo", "")
    if stored and stored != learner.photo.name:
        photo_discard(name=stored)


def photo_discard(*, name: str) -> None:
    """Delete a photo file once the change that dropped it commits.

    Not before: if the change rolls back, the learner keeps that photo and needs the file.
    """

    def delete() -> None:
        if Learner.objects.filter(photo=name).exists():
            return  # still someone's photo (a restored backup row, a copied record)
        storage = Learner._meta.get_field("photo").storage
        try:
            storage.delete(name)
        except OSError:
            # The change is saved; a file that cannot be deleted is for the logs, not a 500.
            logger.exception("Could not delete the replaced learner photo %s", name)

    transaction.on_commit(delete)


def photo_discard_orphans(*, now: dt.datetime | None = None) -> list[str]:
    """Delete the photo files no learner refers to: those replaced before replaced photos were
    deleted, and new ones whose save rolled back. Returns the names deleted."""
    storage = Learner._meta.get_field("photo").storage
    try:
        _folders, files = storage.listdir(PHOTO_FOLDER)
    except FileNotFoundError:
        return []
    in_use = set(Learner.objects.exclude(photo="").values_list("photo", flat=True))
    cutoff = (now or timezone.now()) - ORPHAN_GRACE
    discarded = []
    for file in sorted(files):
        name = f"{PHOTO_FOLDER}/{file}"
        if name in in_use or storage.get_modified_time(name) > cutoff:
            continue
        storage.delete(name)
        discarded.append(name)
    return discarded
