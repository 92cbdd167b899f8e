"""The coordinators' admin for completion and certificates: closing a run, overriding an
outcome, the register, issuing (in bulk and one at a time) and revoking."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.choices import RunStatus
from enrolment.models import AttendanceStatus, Certificate, EnrolmentStatus
from enrolment.services.certification import certificate_issue, run_close
from enrolment.services.enrolling import enrolment_create
from enrolment.services.registers import Mark, register_mark
from tests.conftest import html_of, messages_of
from tests.dates import local_today
from tests.exports import xlsx_formulas, xlsx_text_cells
from tests.factories import CoursePageFactory, CourseRunFactory, LearnerFactory, SessionFactory
from tests.worlds.certificates import certificate_earned

pytestmark = pytest.mark.django_db
S = EnrolmentStatus
INDEX = "/admin/enrolment/certificates/"
ENROLMENTS = "/admin/enrolment/enrolments/"


def finished_run(*, present: list[str], absent: list[str], by, code="ENG-DONE"):
    """A run that ended yesterday: four weekly sessions, some learners at all, some at none."""
    run = CourseRunFactory(
        course=CoursePageFactory(title="English for work"),
        code=code,
        capacity=40,
        start_date=local_today() - dt.timedelta(weeks=4, days=1),
        end_date=local_today() - dt.timedelta(days=1),
        min_attendance_percent=75,
        enrolment_opens=None,
        enrolment_closes=None,
    )
    enrolments = {}
    for name in present + absent:
        enrolments[name] = enrolment_create(
            learner=LearnerFactory(preferred_name=name),
            run=run,
            by=None,
            today=run.start_date - dt.timedelta(days=1),
        )
        # Enrolled before the first class, so that every register lists them.
        enrolments[name].enrolled_at = timezone.make_aware(
            dt.datetime.combine(run.start_date - dt.timedelta(days=1), dt.time(9))
        )
        enrolments[name].save()
    for week in range(4):
        session = SessionFactory(run=run, date=run.start_date + dt.timedelta(weeks=week))
        marks = {
            enrolments[name].pk: Mark(
                AttendanceStatus.PRESENT if name in present else AttendanceStatus.ABSENT
            )
            for name in enrolments
        }
        register_mark(session=session, marks=marks, by=by)
    return run, enrolments


# --- who may see it ---------------------------------------------------------------------------


def test_the_register_loads_for_a_coordinator(client, cast, site):
    certificate = certificate_earned(
        learner=LearnerFactory(preferred_name="Amina", legal_name="Amina Yusuf"),
        by=cast.coordinator,
    )
    client.force_login(cast.coordinator)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = html_of(response)
    assert certificate.number in html and "Amina Yusuf" in html and "English for work" in html
    assert f"/learn/certificates/{certificate.pk}/pdf/" in html
    assert f"/certificates/verify/{certificate.verification_code}/" in html
    assert f"{INDEX}{certificate.pk}/revoke/" in html
    assert f"{INDEX}new/" not in html  # read-only: no adding
    assert client.get(f"{INDEX}inspect/{certificate.pk}/").status_code == 200
    assert client.get(f"{INDEX}edit/{certificate.pk}/").status_code == 404
    assert client.get(f"{INDEX}new/").status_code == 404


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor", "anonymous"])
def test_the_register_and_actions_are_refused_to_everyone_else(client, cast, site, who):
    certificate = certificate_earned(
        learner=LearnerFactory(preferred_name="Amina", legal_name="Amina Yusuf"),
        by=cast.coordinator,
    )
    run = certificate.enrolment.run
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    for url in (
        INDEX,
        f"{INDEX}{certificate.pk}/revoke/",
        f"{INDEX}runs/{run.pk}/close/",
        f"{INDEX}runs/{run.pk}/issue/",
        f"{INDEX}enrolments/{certificate.enrolment_id}/override/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "Amina Yusuf" not in html_of(response)
    response = client.post(f"{INDEX}{certificate.pk}/revoke/", {"reason": "Because"})
    assert response.status_code in (302, 403)
    certificate.refresh_from_db()
    assert certificate.is_valid


# --- closing a run ----------------------------------------------------------------------------


def test_closing_a_run_previews_each_learner_then_closes(client, cast, site):
    run, enrolments = finished_run(present=["Amina"], absent=["Bashir"], by=cast.coordinator)
    client.force_login(cast.coordinator)
    runs_listing = html_of(client.get("/admin/timetable/runs/"))
    assert f"{INDEX}runs/{run.pk}/close/" in runs_listing
    filtered = html_of(client.get(f"{ENROLMENTS}?run={run.pk}"))
    assert f"{INDEX}runs/{run.pk}/close/" in filtered

    page = html_of(client.get(f"{INDEX}runs/{run.pk}/close/"))
    assert "Amina" in page and "Bashir" in page
    assert "Attendance 0%, below the minimum of 75%." in page
    assert "Not completed" in page and "Completed" in page
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED  # the preview changes nothing

    response = client.post(f"{INDEX}runs/{run.pk}/close/", follow=True)
    assert "1 completed, 1 not completed, 0 withdrawn" in " ".join(messages_of(response))
    run.refresh_from_db()
    assert run.status == RunStatus.CLOSED
    for enrolment in enrolments.values():
        enrolment.refresh_from_db()
    assert (enrolments["Amina"].status, enrolments["Bashir"].status) == (
        S.COMPLETED,
        S.NOT_COMPLETED,
    )
    runs_listing = html_of(client.get("/admin/timetable/runs/"))
    assert f"{INDEX}runs/{run.pk}/close/" not in runs_listing
    assert f"{INDEX}runs/{run.pk}/issue/" in runs_listing


def test_closing_a_run_that_has_not_ended_is_refused(client, cast, site):
    run = CourseRunFactory(code="ENG-LATER")
    client.force_login(cast.coordinator)
    assert f"{INDEX}runs/{run.pk}/close/" not in html_of(client.get("/admin/timetable/runs/"))
    response = client.post(f"{INDEX}runs/{run.pk}/close/")
    assert response.status_code == 200
    assert "close it after its last day" in html_of(response)
    run.refresh_from_db()
    assert run.status == RunStatus.PUBLISHED


# --- overriding an outcome --------------------------------------------------------------------


def test_override_needs_a_reason_and_is_kept_in_the_history(client, cast, site):
    run, enrolments = finished_run(present=[], absent=["Bashir"], by=cast.coordinator)
    run_close(run=run, by=cast.coordinator)
    bashir = enrolments["Bashir"]
    client.force_login(cast.coordinator)
    assert f"{INDEX}enrolments/{bashir.pk}/override/" in html_of(client.get(ENROLMENTS))
    url = f"{INDEX}enrolments/{bashir.pk}/override/"

    response = client.post(url, {"completed": "yes", "reason": ""})
    assert response.status_code == 200
    bashir.refresh_from_db()
    assert bashir.status == S.NOT_COMPLETED

    response = client.post(url, {"completed": "yes", "reason": "Hospital; did the work at home"})
    assert response.status_code == 302
    bashir.refresh_from_db()
    assert bashir.status == S.COMPLETED
    history = html_of(client.get(f"{ENROLMENTS}inspect/{bashir.pk}/"))
    assert "Override: Hospital; did the work at home" in history


# --- issuing ----------------------------------------------------------------------------------


def test_bulk_issue_for_a_run(client, cast, site):
    run, enrolments = finished_run(
        present=["Amina", "Chloe"], absent=["Bashir"], by=cast.coordinator
    )
    run_close(run=run, by=cast.coordinator)
    enrolments["Chloe"].refresh_from_db()
    certificate_issue(enrolment=enrolments["Chloe"], by=cast.coordinator)
    client.force_login(cast.coordinator)
    url = f"{INDEX}runs/{run.pk}/issue/"
    page = html_of(client.get(url))
    assert "Will be issued" in page and "Already has one" in page

    response = client.post(url, follow=True)
    assert "1 issued, 1 already had one, 1 not completed." in messages_of(response)
    assert Certificate.objects.filter(enrolment__run=run).count() == 2
    response = client.post(url, follow=True)
    assert "0 issued, 2 already had one, 1 not completed." in messages_of(response)
    assert Certificate.objects.count() == 2


def test_issuing_one_and_issuing_twice_is_refused(client, cast, site):
    run, enrolments = finished_run(present=["Amina"], absent=["Bashir"], by=cast.coordinator)
    run_close(run=run, by=cast.coordinator)
    amina, bashir = enrolments["Amina"], enrolments["Bashir"]
    client.force_login(cast.coordinator)
    listing = html_of(client.get(ENROLMENTS))
    assert f"{INDEX}enrolments/{amina.pk}/issue/" in listing
    assert f"{INDEX}enrolments/{bashir.pk}/issue/" not in listing

    response = client.post(f"{INDEX}enrolments/{amina.pk}/issue/")
    assert response.status_code == 302
    assert Certificate.objects.filter(enrolment=amina).count() == 1
    assert f"{INDEX}enrolments/{amina.pk}/issue/" not in html_of(client.get(ENROLMENTS))

    response = client.post(f"{INDEX}enrolments/{amina.pk}/issue/")
    assert response.status_code == 200
    assert "already has a certificate" in html_of(response)
    response = client.post(f"{INDEX}enrolments/{bashir.pk}/issue/")
    assert response.status_code == 200
    assert "only for completed enrolments" in html_of(response)
    assert Certificate.objects.count() == 1


# --- revoking ---------------------------------------------------------------------------------


def test_revoking_needs_a_reason(client, cast, site):
    certificate = certificate_earned(learner=LearnerFactory(), by=cast.coordinator)
    client.force_login(cast.coordinator)
    url = f"{INDEX}{certificate.pk}/revoke/"
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Give a reason for revoking" in html_of(response)
    certificate.refresh_from_db()
    assert certificate.is_valid

    response = client.post(url, {"reason": "Issued in error"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revocation_reason == "Issued in error"
    assert certificate.revoked_by == cast.coordinator

    response = client.post(url, {"reason": "Again"})
    assert "already revoked" in html_of(response)


# --- filters, export, query counts ------------------------------------------------------------


def test_filters_narrow_the_register(client, cast, site):
    amina = certificate_earned(
        learner=LearnerFactory(legal_name="Amina Yusuf"), by=cast.coordinator
    )
    bashir = certificate_earned(
        learner=LearnerFactory(legal_name="Bashir Khan"),
        by=cast.coordinator,
        course_title="Computers",
    )
    bashir.revoked_at = timezone.now()
    bashir.revocation_reason = "Error"
    bashir.save()
    client.force_login(cast.coordinator)
    for query, shown, hidden in [
        ("status=valid", "Amina Yusuf", "Bashir Khan"),
        ("status=revoked", "Bashir Khan", "Amina Yusuf"),
        (f"run={amina.enrolment.run_id}", "Amina Yusuf", "Bashir Khan"),
        (f"course={bashir.enrolment.run.course_id}", "Bashir Khan", "Amina Yusuf"),
        (f"year={local_today().year}", "Amina Yusuf", "nobody"),
        (f"issued_after={local_today().isoformat()}", "Amina Yusuf", "nobody"),
    ]:
        response = client.get(f"{INDEX}?{query}")
        assert response.status_code == 200, query
        html = html_of(response)
        assert shown in html and hidden not in html, query
    html = html_of(client.get(f"{INDEX}?year={local_today().year - 1}"))
    assert "Amina Yusuf" not in html and "Bashir Khan" not in html


def test_the_export_neutralises_formulas(client, cast, site):
    certificate_earned(
        learner=LearnerFactory(legal_name='=HYPERLINK("http://evil.example")'),
        by=cast.coordinator,
    )
    client.force_login(cast.coordinator)
    response = client.get(INDEX + "?export=xlsx")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Number", "Name as printed")
    assert xlsx_formulas(data) == []
    cells = xlsx_text_cells(data)
    assert cells['=HYPERLINK("http://evil.example")'] == ("s", True)
    assert "Valid" in cells


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_register_query_count_does_not_grow_with_rows(client, cast, site):
    run, enrolments = finished_run(
        present=[f"Learner {i}" for i in range(30)], absent=[], by=cast.coordinator
    )
    run_close(run=run, by=cast.coordinator)
    ordered = list(enrolments.values())
    for enrolment in ordered[:3]:
        enrolment.refresh_from_db()
        certificate_issue(enrolment=enrolment, by=cast.coordinator)
    client.force_login(cast.coordinator)
    client.get(INDEX)  # warm caches
    at_3 = _queries(client, INDEX)
    enrolments_at_3 = _queries(client, ENROLMENTS)
    for enrolment in ordered[3:]:
        enrolment.refresh_from_db()
        certificate_issue(enrolment=enrolment, by=cast.coordinator)
    assert Certificate.objects.count() == 30
    assert _queries(client, INDEX) == at_3
    # The enrolment listing's "Issue certificate" item costs no query per row either.
    assert _queries(client, ENROLMENTS) == enrolments_at_3
