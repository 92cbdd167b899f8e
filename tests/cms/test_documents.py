"""Documents uploaded in the admin are downloaded by staff only (issue 11, defect 2)."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(site, settings, tmp_path):
    # On disk, as in production: the serve view sends a local file (the tests' in-memory
    # storage has no files to send).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return Document.objects.create(
        title="Consent forms", file=ContentFile(b"names and phones", name="consent.txt")
    )


def test_a_visitor_is_sent_to_sign_in(client, document):
    response = client.get(document.url)
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


@pytest.mark.parametrize("member", ["learner", "teacher", "sponsor"])
def test_someone_who_may_not_use_the_admin_is_refused(client, cast, document, member):
    client.force_login(getattr(cast, member))
    response = client.get(document.url)
    assert response.status_code == 403
    assert b"names and phones" not in b"".join(getattr(response, "streaming_content", [b""]))


def test_a_coordinator_downloads_it(client, cast, document):
    client.force_login(cast.coordinator)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"names and phones"
