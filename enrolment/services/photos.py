"""Learners' photos as the centre keeps them: redrawn from their pixels alone.

A phone's camera writes where and when a picture was taken, and on what device, into the file
(EXIF, XMP, PNG text). A child's photo reaches sponsors, who must never learn where the child
lives, so nothing but the pixels is kept: the picture is turned upright as the camera meant,
made no larger than a card needs, and saved afresh in its own format.
"""

import io

from django.core.files.base import ContentFile, File
from PIL import Image, ImageOps

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
