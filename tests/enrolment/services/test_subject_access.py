"""A person's copy of everything the centre holds about them: one ZIP with the same data as
JSON and as a PDF, logged; restricted fields only in a caseworker's copy; nobody else's data."""

import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from enrolment.models import AccessAction, AccessLog
from enrolment.services.subject_access import (
    ACCESS_LOG_WHAT,
    learner_data_collect,
    learner_data_export,
)
from enrolment.services.subject_access.sections import SECTIONS
from tests.enrolment import subject_access_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return subject_access_world.build(staff=cast.coordinator)


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_copy_has_a_section_for_every_kind_of_record_with_the_persons_values(world):
    data = learner_data_collect(learner=world.child, include_sensitive=True)
    text = json.dumps(data, ensure_ascii=False)

    assert [section["key"] for section in data["sections"]] == [
        function(world.child, True).key for function in SECTIONS
    ]
    for what, value in world.values.items():
        assert value in text, what
    for section in data["sections"]:
        assert section["records"], section["key"]  # something held in every section
    profile = data["sections"][0]["records"][0]
    assert profile["legal_name"] == "Amina Hassan Warsame"
    assert profile["date_of_birth"] == world.child.date_of_birth.isoformat()
    assert data["sections"][0]["labels"]["legal_name"] == "Legal name"


def test_another_learners_values_never_appear_in_the_copy(world):
    text = json.dumps(learner_data_collect(learner=world.child, include_sensitive=True))

    for what, value in world.other_values.items():
        assert value not in text, what
    assert "Zainab" not in text


def test_the_account_is_there_without_its_password(world):
    data = learner_data_collect(learner=world.child, include_sensitive=False)
    account = next(s for s in data["sections"] if s["key"] == "account")["records"][0]

    assert account["username"] == "amina.account"
    assert "password" not in json.dumps(account)
    assert world.child.user.password not in json.dumps(data)


def test_restricted_fields_are_withheld_but_named_in_a_copy_made_without_the_right(world):
    data = learner_data_collect(learner=world.child, include_sensitive=False)
    text = json.dumps(data)

    assert world.values["case_reference"] not in text
    assert world.values["caseworker_note"] not in text
    assert data["restricted_fields_included"] is False
    profile = data["sections"][0]["records"][0]
    assert profile["case_reference"].startswith("Recorded.")


def test_the_download_is_a_zip_of_json_and_a_pdf_naming_the_person_and_is_logged(world, cast):
    filename, content = learner_data_export(learner=world.child, by=cast.coordinator)

    files = unzip(content)
    assert set(files) == {"data.json", "data.pdf"}
    assert filename.endswith(".zip") and "Amina" not in filename
    data = json.loads(files["data.json"])
    assert data["learner_number"] == world.child.learner_number
    assert files["data.pdf"].startswith(b"%PDF")
    text = pdf_text(files["data.pdf"])
    assert "Amina Hassan Warsame" in text
    assert world.values["message"] in text
    assert "Zainab" not in text
    log = AccessLog.objects.get(action=AccessAction.DOWNLOADED)
    assert (log.learner, log.user, log.what) == (world.child, cast.coordinator, ACCESS_LOG_WHAT)


def test_a_caseworkers_download_includes_the_case_reference(world):
    from tests.factories import UserFactory

    caseworker = UserFactory(username="cw", groups=["Coordinators", "Caseworkers"])
    _, content = learner_data_export(learner=world.child, by=caseworker)

    data = json.loads(unzip(content)["data.json"])
    assert data["sections"][0]["records"][0]["case_reference"] == "CASE-AMINA-77"
    assert world.values["caseworker_note"] in json.dumps(data)


def test_a_name_in_any_script_survives_into_the_json(cast):
    from tests.factories import LearnerFactory

    learner = LearnerFactory(preferred_name="أمينة", legal_name="علي 王小明 محمد")
    _, content = learner_data_export(learner=learner, by=cast.coordinator)

    data = json.loads(unzip(content)["data.json"])
    assert data["sections"][0]["records"][0]["legal_name"] == "علي 王小明 محمد"
    assert unzip(content)["data.pdf"].startswith(b"%PDF")


def test_a_photo_on_file_is_in_the_zip_beside_the_data(cast, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import LearnerFactory
    from tests.test_url_inventory import PNG

    settings.MEDIA_ROOT = tmp_path
    learner = LearnerFactory()
    learner.photo.save("face.png", SimpleUploadedFile("face.png", PNG))

    files = unzip(learner_data_export(learner=learner, by=cast.coordinator)[1])

    assert files["photo.png"] == PNG
    assert sorted(files) == ["data.json", "data.pdf", "photo.png"]


def test_collecting_costs_the_same_queries_for_one_class_or_many(cast, site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EnrolmentFactory, LearnerFactory

    def cost(classes: int) -> int:
        learner = LearnerFactory()
        for _ in range(classes):
            EnrolmentFactory(learner=learner, run__course__parent=site.catalogue)
        with CaptureQueriesContext(connection) as queries:
            learner_data_collect(learner=learner, include_sensitive=True)
        return len(queries)

    assert cost(1) == cost(6)
