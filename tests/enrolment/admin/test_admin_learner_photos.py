"""A child's photo in the learner admin: kept redrawn, without what the camera wrote into
it, or refused."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageFile

from enrolment.forms.admin import PHOTO_MAX_BYTES
from tests.conftest import html_of
from tests.enrolment.admin.conftest import errors_of
from tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def png(size=(8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format="PNG")
    return buffer.getvalue()


def _learner_post(client, learner, photo):
    data = {
        "preferred_name": learner.preferred_name,
        "legal_name": learner.legal_name,
        "date_of_birth": learner.date_of_birth.isoformat(),
        "preferred_language": "en",
        "english_level": "none",
        "guardian_name": learner.guardian_name,
        "consent_photo": "on",
        "photo": photo,
    }
    return client.post(f"/admin/enrolment/learners/edit/{learner.pk}/", data)


def test_a_coordinator_adds_a_childs_photo(coordinator_client):
    child = ChildFactory()
    html = html_of(coordinator_client.get(f"/admin/enrolment/learners/edit/{child.pk}/"))
    assert 'name="photo"' in html and "only while photo consent" in html
    assert 'enctype="multipart/form-data"' in html
    response = _learner_post(
        coordinator_client, child, SimpleUploadedFile("me.png", png(), content_type="image/png")
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.photo.name.startswith("learner-photos/")


# What a phone writes into a picture: where the family lives, and the camera.
HOME_ADDRESS = "Flat 12B, Block 3, Kwai Chung Estate"
CAMERA = "Harbour-Phone-X9"


def camera_picture(image_format: str, size=(2000, 1000)) -> bytes:
    """A picture as a phone saves it: turned on its side (EXIF orientation 6, "rotate 90°
    clockwise to show"), with the place it was taken, a description and the camera."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.ImageDescription] = HOME_ADDRESS
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (22.0, 21.0, 50.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (114.0, 7.0, 40.0)
    buffer = io.BytesIO()
    Image.new("RGB", size, "orange").save(buffer, format=image_format, exif=exif)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("image_format", "extension"), [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp")]
)
def test_a_photo_is_kept_without_what_the_camera_wrote_into_it(
    coordinator_client, image_format, extension
):
    child = ChildFactory()
    raw = camera_picture(image_format)
    with Image.open(io.BytesIO(raw)) as sent:  # the picture really carries it all
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert HOME_ADDRESS.encode() in raw and CAMERA.encode() in raw

    upload = SimpleUploadedFile(f"IMG_0042.{extension}", raw, content_type="image/png")
    assert _learner_post(coordinator_client, child, upload).status_code == 302

    child.refresh_from_db()
    assert child.photo.name.endswith(f".{extension}")
    with child.photo.open("rb") as stored_file:
        stored = stored_file.read()
    assert HOME_ADDRESS.encode() not in stored and CAMERA.encode() not in stored
    with Image.open(io.BytesIO(stored)) as kept:
        assert kept.format == image_format
        assert not kept.getexif() and "exif" not in kept.info and "xmp" not in kept.info
        # Upright as the camera meant it (2000 wide on its side is 1000 wide standing), and
        # no larger than a card needs.
        assert kept.size == (600, 1200)


def cut_off_picture() -> SimpleUploadedFile:
    """A photo whose upload stopped a third of the way into its pixels."""
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, format="JPEG")
    whole = buffer.getvalue()
    return SimpleUploadedFile("cut.jpg", whole[: len(whole) // 3], content_type="image/jpeg")


def test_a_cut_off_picture_is_refused_and_nothing_is_kept(coordinator_client, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)  # Pillow's default
    child = ChildFactory()

    response = _learner_post(coordinator_client, child, cut_off_picture())

    assert response.status_code == 200
    assert "could not be read" in " ".join(errors_of(response)["photo"])
    child.refresh_from_db()
    assert not child.photo


def test_once_weasyprint_has_loaded_a_cut_off_picture_is_kept_redrawn(
    coordinator_client, monkeypatch
):
    """WeasyPrint, on import, tells Pillow to draw what a cut-off file holds (grey for the
    rest) for the whole process. After a PDF, a cut-off photo is then kept as drawn: still
    redrawn, never the uploaded bytes."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    child = ChildFactory()
    upload = cut_off_picture()

    assert _learner_post(coordinator_client, child, upload).status_code == 302

    child.refresh_from_db()
    with child.photo.open("rb") as stored_file:
        stored = stored_file.read()
    upload.seek(0)
    assert stored != upload.read()
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", False)
    with Image.open(io.BytesIO(stored)) as kept:
        assert kept.size == (400, 300)
        kept.load()  # the stored file is whole: strict Pillow reads it to the end


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.png", b"not a picture at all", "image/png"), "image"),
        (SimpleUploadedFile("a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"), "image"),
        ("big", "larger than 2 MB"),
    ],
)
def test_a_photo_that_is_not_a_small_picture_is_refused(coordinator_client, upload, message):
    child = ChildFactory()
    if upload == "big":
        raw = png() + b"\0" * PHOTO_MAX_BYTES
        upload = SimpleUploadedFile("big.png", raw, content_type="image/png")
    response = _learner_post(coordinator_client, child, upload)
    assert response.status_code == 200
    errors = " ".join(errors_of(response)["photo"])
    assert message in errors or "JPEG, PNG or WebP" in errors
    child.refresh_from_db()
    assert not child.photo
