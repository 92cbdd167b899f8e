"""A person's copy of everything held about them, from their record in the admin: a page that
says what it holds, a POST that downloads the ZIP and logs it; coordinators only."""

import io
import json
import zipfile

import pytest

from enrolment.models import AccessAction, AccessLog
from tests.conftest import html_of
from tests.enrolment import subject_access_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast, site):
    return subject_access_world.build(staff=cast.coordinator, catalogue=site.catalogue)


def data_url(learner) -> str:
    return f"/admin/enrolment/learners/{learner.pk}/data/"


def test_the_learners_page_links_to_the_download(coordinator_client, world):
    html = html_of(coordinator_client.get(f"/admin/enrolment/learners/edit/{world.child.pk}/"))

    assert "Download all data held (access request)" in html
    assert data_url(world.child) in html


def test_the_page_says_what_the_file_holds_and_downloads_nothing_by_itself(
    coordinator_client, world
):
    response = coordinator_client.get(data_url(world.child))

    assert response.status_code == 200
    html = html_of(response)
    assert "data.pdf" in html and "data.json" in html
    assert 'method="post"' in html
    assert not AccessLog.objects.filter(action=AccessAction.DOWNLOADED).exists()


def test_the_button_downloads_a_zip_of_the_persons_data_and_logs_it(
    coordinator_client, world, cast
):
    response = coordinator_client.post(data_url(world.child))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["data.json", "data.pdf"]
        data = json.loads(archive.read("data.json"))
        assert archive.read("data.pdf").startswith(b"%PDF")
    text = json.dumps(data, ensure_ascii=False)
    assert world.values["message"] in text and world.values["sponsor"] in text
    assert world.other_values["message"] not in text
    # A coordinator who is not a caseworker learns only that a case reference exists.
    assert world.values["case_reference"] not in text
    log = AccessLog.objects.get(action=AccessAction.DOWNLOADED)
    assert (log.learner, log.user, log.what) == (
        world.child,
        cast.coordinator,
        "Data access request",
    )


def test_an_unknown_learner_is_a_404(coordinator_client, world):
    assert coordinator_client.get("/admin/enrolment/learners/999999/data/").status_code == 404
    assert coordinator_client.post("/admin/enrolment/learners/999999/data/").status_code == 404


@pytest.mark.parametrize("member", ["learner", "teacher", "sponsor", "translator"])
def test_no_one_but_coordinators_downloads(client, cast, world, member):
    client.force_login(getattr(cast, member))

    response = client.post(data_url(world.child))

    assert response.status_code in (302, 403)
    assert response.get("Content-Type") != "application/zip"
    assert not AccessLog.objects.filter(action=AccessAction.DOWNLOADED).exists()


def test_a_visitor_is_sent_to_sign_in(client, world):
    response = client.post(data_url(world.child))

    assert response.status_code == 302 and "/login/" in response["Location"]
