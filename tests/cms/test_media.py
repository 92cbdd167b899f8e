"""/media/ in development (DEBUG=1) serves the site's images and nothing else from MEDIA_ROOT:
never a learner's photo, however the address is spelled, nor an admin document."""

import importlib

import pytest
from django.urls import clear_url_caches

import cms.urls

pytestmark = pytest.mark.django_db

PHOTO = "learner-photos/0123456789abcdef.jpg"


@pytest.fixture
def debug_media(settings, tmp_path):
    """The site's URLs as `DEBUG=1` builds them, over a MEDIA_ROOT holding a photo, a document
    and an image."""
    for name in (PHOTO, "documents/minutes.pdf", "images/banner.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"file " + name.encode())
    settings.MEDIA_ROOT = str(tmp_path)
    settings.DEBUG = True
    settings.ROOT_URLCONF = importlib.reload(cms.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(cms.urls)  # as the other tests know it
    clear_url_caches()


def test_the_sites_images_are_served(client, debug_media):
    response = client.get("/media/images/banner.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"file images/banner.png"


@pytest.mark.parametrize(
    "path",
    [
        PHOTO,
        "/" + PHOTO,
        "./" + PHOTO,
        "images/../" + PHOTO,
        "images/..%2F" + PHOTO,
        PHOTO.replace("learner-photos", "Learner-Photos"),
        "images\\..\\" + PHOTO,
        "learner-photos/",
        "documents/minutes.pdf",
        "images/",
    ],
)
def test_anything_else_under_media_is_a_404(client, debug_media, path):
    response = client.get("/media/" + path)
    assert response.status_code == 404
    assert b"file " not in response.content


def test_without_debug_nothing_is_served_from_media(client, settings, tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "banner.png").write_bytes(b"file")
    settings.MEDIA_ROOT = str(tmp_path)
    assert client.get("/media/images/banner.png").status_code == 404
