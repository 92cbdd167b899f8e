"""No download holds a case reference or a caseworker note, whoever downloads it: a caseworker
reads them in the admin, and a file travels by email and USB stick beyond the caseworkers."""

import io
import zipfile

import pytest
from pypdf import PdfReader

from enrolment.models import Learner, ProgressReport
from tests.factories import UserFactory
from tests.test_every_export import EXPORTS, url_of
from tests.test_url_inventory import _world

pytestmark = pytest.mark.django_db

CASE_REFERENCE = "UNHCR-PLANTED-4471"
CHILD_CASE_REFERENCE = "UNHCR-PLANTED-4472"
NOTE = "PLANTED-NOTE eviction pending at the flat"


@pytest.fixture
def planted(site, cast):
    world = _world(site.catalogue, cast)
    world.cast = cast
    Learner.objects.filter(pk=world.learner).update(case_reference=CASE_REFERENCE)
    Learner.objects.filter(pk=world.child).update(case_reference=CHILD_CASE_REFERENCE)
    ProgressReport.objects.filter(pk=world.report).update(caseworker_note=NOTE)
    return world


def text_of(data: bytes, fmt: str) -> str:
    """What the file says: an XLSX's XML parts, a PDF's extracted text, a CSV as it is."""
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(archive.read(name).decode() for name in archive.namelist())
    if fmt == "pdf":
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8")


# Each download as its usual reader, and each staff download again as a caseworker.
DOWNLOADS = [(name, False) for name in EXPORTS] + [
    (name, True) for name, (_spec, who, _fmt) in EXPORTS.items() if who == "coordinator"
]


@pytest.mark.parametrize(
    ("export", "as_caseworker"),
    DOWNLOADS,
    ids=[
        f"{name} {'caseworker' if caseworker else who}"
        for name, caseworker in DOWNLOADS
        for who in [EXPORTS[name][1]]
    ],
)
def test_no_export_holds_a_case_reference_or_a_caseworker_note(
    client, planted, export, as_caseworker
):
    spec, who, fmt = EXPORTS[export]
    user = getattr(planted.cast, who)
    if as_caseworker:
        user = UserFactory(username="caseworker", groups=["Coordinators", "Caseworkers"])
    client.force_login(user)

    response = client.get(url_of(spec, planted))

    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = text_of(data, fmt)
    assert text  # the file was read, so the checks below can fail
    for secret in (CASE_REFERENCE, CHILD_CASE_REFERENCE, "PLANTED-NOTE"):
        assert secret not in text
