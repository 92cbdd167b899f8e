"""The case reference and the caseworker notes: caseworkers read and edit them; everyone else,
coordinators included, sees only that one is recorded, cannot find a learner by it, and keeps
it unchanged by saving the form."""

import pytest
from django.contrib.auth.models import Group

from cms.roles import is_caseworker
from enrolment import access
from enrolment.models import Learner
from tests.conftest import html_of
from tests.enrolment.admin.sponsorship.conftest import REPORTS
from tests.enrolment.admin.sponsorship.test_admin_progress_reports import _edit_report
from tests.enrolment.admin.test_admin_learners import INDEX, _edit
from tests.factories import (
    ChildFactory,
    LearnerFactory,
    ProgressReportFactory,
    SubjectGradeFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "UNHCR-HK-5521-Z"
NOTE = "SECRET-NOTE: the family moved to the Sham Shui Po shelter."
RECORDED = "Recorded — visible to caseworkers only"
CHOOSER = "/admin/enrolment/choose-learner/"


@pytest.fixture
def amina(site):
    return LearnerFactory(preferred_name="Amina", case_reference=SECRET)


@pytest.fixture
def report(site):
    report = ProgressReportFactory(child=ChildFactory(preferred_name="Amani"), caseworker_note=NOTE)
    SubjectGradeFactory(report=report, subject="Mathematics", grade="A-")
    return report


def test_only_caseworkers_and_superusers_hold_the_sensitive_fields(cast, caseworker):
    caseworkers = Group.objects.get(name="Caseworkers")
    assert caseworkers.permissions.filter(codename="change_sensitive_fields").exists()
    assert is_caseworker(caseworker) and access.can_see_sensitive_fields(caseworker)
    assert caseworker.has_perm(access.SENSITIVE_FIELDS_PERMISSION)
    for name in ["coordinator", "teacher", "sponsor", "learner", "translator", "anonymous"]:
        user = getattr(cast, name)
        assert not access.can_see_sensitive_fields(user), name
        assert not user.has_perm(access.SENSITIVE_FIELDS_PERMISSION), name


def test_a_coordinator_sees_that_a_case_reference_is_recorded_not_what_it_is(client, cast, amina):
    client.force_login(cast.coordinator)
    html = html_of(client.get(f"{INDEX}edit/{amina.pk}/"))
    assert SECRET not in html
    assert 'name="case_reference"' not in html
    assert RECORDED in html
    assert "Restricted: caseworkers only" in html


def test_a_coordinator_sees_when_no_case_reference_is_recorded(client, cast, site):
    learner = LearnerFactory(case_reference="")
    client.force_login(cast.coordinator)
    html = html_of(client.get(f"{INDEX}edit/{learner.pk}/"))
    assert "Not recorded" in html and RECORDED not in html


def test_a_coordinators_save_keeps_the_case_reference(client, cast, amina):
    client.force_login(cast.coordinator)
    response = _edit(client, amina, phone="6999 0000", case_reference="OVERWRITTEN")
    assert response.status_code == 302
    amina.refresh_from_db()
    assert amina.phone == "+85269990000"
    assert amina.case_reference == SECRET


def test_a_coordinator_adding_a_learner_cannot_set_a_case_reference(client, cast, site):
    client.force_login(cast.coordinator)
    data = {"preferred_name": "Yusuf", "preferred_language": "en", "english_level": "none"}
    response = client.post(INDEX + "new/", data | {"case_reference": "SMUGGLED"})
    assert response.status_code == 302
    assert Learner.objects.get(preferred_name="Yusuf").case_reference == ""


def test_a_caseworker_sees_and_edits_the_case_reference(client, caseworker, amina):
    client.force_login(caseworker)
    html = html_of(client.get(f"{INDEX}edit/{amina.pk}/"))
    assert 'name="case_reference"' in html and SECRET in html
    assert RECORDED not in html

    assert _edit(client, amina, case_reference="UNHCR-HK-0001-A").status_code == 302
    amina.refresh_from_db()
    assert amina.case_reference == "UNHCR-HK-0001-A"


def test_only_a_caseworker_finds_a_learner_by_case_reference(client, cast, caseworker, amina):
    client.force_login(cast.coordinator)
    for url in [INDEX, CHOOSER, CHOOSER + "results/"]:
        response = client.get(url, {"q": SECRET})
        assert response.status_code == 200
        assert "Amina" not in html_of(response), url  # the page echoes only what was typed
    assert "Amina" in html_of(client.get(INDEX, {"q": "Amina"}))  # the search itself works

    client.force_login(caseworker)
    for url in [INDEX, CHOOSER + "results/"]:
        assert "Amina" in html_of(client.get(url, {"q": SECRET})), url


def test_the_learner_listing_never_shows_a_case_reference(client, cast, caseworker, amina):
    for user in [cast.coordinator, caseworker]:
        client.force_login(user)
        html = html_of(client.get(INDEX))
        assert "Amina" in html and SECRET not in html


def test_a_coordinator_sees_that_a_caseworker_note_is_recorded_not_what_it_says(
    client, cast, report
):
    client.force_login(cast.coordinator)
    for url in [REPORTS, f"{REPORTS}edit/{report.pk}/", f"{REPORTS}{report.pk}/share/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "SECRET-NOTE" not in html_of(response), url
    html = html_of(client.get(f"{REPORTS}edit/{report.pk}/"))
    assert 'name="caseworker_note"' not in html and RECORDED in html


def test_a_coordinators_save_keeps_the_caseworker_note(client, cast, report):
    client.force_login(cast.coordinator)
    response = _edit_report(
        client, report, teacher_comment="Now reads aloud.", caseworker_note="OVERWRITTEN"
    )
    assert response.status_code == 200
    report.refresh_from_db()
    assert report.teacher_comment == "Now reads aloud."
    assert report.caseworker_note == NOTE


def test_a_caseworker_reads_and_edits_the_caseworker_note(client, caseworker, report):
    client.force_login(caseworker)
    html = html_of(client.get(f"{REPORTS}edit/{report.pk}/"))
    assert 'name="caseworker_note"' in html and "SECRET-NOTE" in html

    _edit_report(client, report, caseworker_note="Rent paid in November.")
    report.refresh_from_db()
    assert report.caseworker_note == "Rent paid in November."
