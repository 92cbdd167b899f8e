import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.choices import RunStatus
from enrolment.models import AttendanceStatus, Certificate, EnrolmentStatus
from enrolment.services.certification import (
    CertificationError,
    certificate_issue,
    certificate_revoke,
    certificates_issue_for_run,
    completion_override,
    result_record,
    run_close,
)
from enrolment.services.enrolling import enrolment_create, enrolment_withdraw
from enrolment.services.registers import Mark, register_mark
from tests.dates import local_today
from tests.factories import CourseRunFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus
A = AttendanceStatus


@pytest.fixture
def finished_run(site, cast):
    """A run that ended yesterday, with four sessions, and learners who came or did not."""
    return CourseRunFactory(
        course__parent=site.catalogue,
        teachers=[cast.teacher],
        start_date=local_today() - dt.timedelta(days=30),
        end_date=local_today() - dt.timedelta(days=1),
        min_attendance_percent=75,
    )


def seat(run, legal_name="Amina Hassan Ali"):
    enrolment = enrolment_create(
        learner=LearnerFactory(legal_name=legal_name),
        run=run,
        by=None,
        today=run.start_date - dt.timedelta(days=1),
    )
    enrolment.enrolled_at = timezone.make_aware(
        dt.datetime.combine(run.start_date - dt.timedelta(days=1), dt.time(9))
    )
    enrolment.save()
    return enrolment


def attend(run, teacher, pattern: dict):
    """pattern: enrolment -> list of statuses, one per session."""
    sessions = [
        SessionFactory(run=run, date=run.start_date + dt.timedelta(days=7 * i)) for i in range(4)
    ]
    for i, session in enumerate(sessions):
        register_mark(
            session=session,
            marks={e.pk: Mark(statuses[i]) for e, statuses in pattern.items()},
            by=teacher,
        )


def test_closing_a_run_completes_those_who_met_the_attendance_minimum(finished_run, cast):
    good, poor = seat(finished_run), seat(finished_run)
    waiting = enrolment_create(
        learner=LearnerFactory(), run=CourseRunFactory(course=finished_run.course), by=None
    )
    attend(
        finished_run,
        cast.teacher,
        {
            good: [A.PRESENT, A.PRESENT, A.LATE, A.ABSENT],  # 75%
            poor: [A.PRESENT, A.ABSENT, A.ABSENT, A.PRESENT],  # 50%
        },
    )

    outcome = run_close(run=finished_run, by=cast.coordinator)

    good.refresh_from_db()
    poor.refresh_from_db()
    assert (good.status, poor.status) == (S.COMPLETED, S.NOT_COMPLETED)
    assert outcome.completed == [good]
    assert "50%" in poor.events.last().reason
    finished_run.refresh_from_db()
    assert finished_run.status == RunStatus.CLOSED
    assert waiting.status == S.ENROLLED  # another run is untouched


def test_a_run_with_a_pass_mark_needs_the_result_too(finished_run, cast):
    finished_run.pass_mark = Decimal("60")
    finished_run.save()
    passed, failed, missing = seat(finished_run), seat(finished_run), seat(finished_run)
    attend(finished_run, cast.teacher, {e: [A.PRESENT] * 4 for e in (passed, failed, missing)})
    result_record(enrolment=passed, score=Decimal("60"), by=cast.teacher)
    result_record(enrolment=failed, score=Decimal("59.5"), by=cast.teacher)

    run_close(run=finished_run, by=cast.coordinator)

    statuses = [e.__class__.objects.get(pk=e.pk).status for e in (passed, failed, missing)]
    assert statuses == [S.COMPLETED, S.NOT_COMPLETED, S.NOT_COMPLETED]


def test_a_run_cannot_be_closed_before_it_ends_or_twice(site, cast, finished_run):
    running = CourseRunFactory(course__parent=site.catalogue)
    with pytest.raises(CertificationError, match="close it after its last day"):
        run_close(run=running, by=cast.coordinator)
    run_close(run=finished_run, by=cast.coordinator)
    with pytest.raises(CertificationError, match="already closed"):
        run_close(run=finished_run, by=cast.coordinator)


def test_only_the_runs_teachers_record_results(finished_run, cast):
    enrolment = seat(finished_run)
    with pytest.raises(CertificationError):
        result_record(enrolment=enrolment, score=Decimal("80"), by=cast.other_teacher)
    with pytest.raises(CertificationError):
        result_record(enrolment=enrolment, score=Decimal("101"), by=cast.teacher)
    assert not hasattr(enrolment.__class__.objects.get(pk=enrolment.pk), "result")


def test_an_override_needs_a_reason_and_is_in_the_history(finished_run, cast):
    enrolment = seat(finished_run)
    attend(finished_run, cast.teacher, {enrolment: [A.ABSENT] * 4})
    run_close(run=finished_run, by=cast.coordinator)
    with pytest.raises(CertificationError, match="reason"):
        completion_override(enrolment=enrolment, completed=True, reason=" ", by=cast.coordinator)
    completion_override(
        enrolment=enrolment,
        completed=True,
        reason="Hospital stay, work caught up",
        by=cast.coordinator,
    )
    enrolment.refresh_from_db()
    assert enrolment.status == S.COMPLETED
    event = enrolment.events.last()
    assert event.by == cast.coordinator and "Hospital stay" in event.reason


def test_certificates_are_for_completed_enrolments_only_and_never_twice(finished_run, cast):
    done, not_done = seat(finished_run, "Amina Hassan"), seat(finished_run)
    attend(finished_run, cast.teacher, {done: [A.PRESENT] * 4, not_done: [A.ABSENT] * 4})
    run_close(run=finished_run, by=cast.coordinator)

    certificate = certificate_issue(enrolment=done, by=cast.coordinator)

    assert certificate.holder_name == "Amina Hassan"
    assert certificate.number == f"HLC-{timezone.localdate().year}-00001"
    assert len(certificate.verification_code) >= 22
    with pytest.raises(CertificationError, match="already has a certificate"):
        certificate_issue(enrolment=done, by=cast.coordinator)
    with pytest.raises(CertificationError, match="only for completed"):
        certificate_issue(enrolment=not_done, by=cast.coordinator)
    assert Certificate.objects.count() == 1


def test_a_withdrawn_enrolment_gets_no_certificate(finished_run, cast):
    enrolment = seat(finished_run)
    enrolment_withdraw(enrolment=enrolment, by=None)
    with pytest.raises(CertificationError):
        certificate_issue(enrolment=enrolment, by=cast.coordinator)


def test_bulk_issue_numbers_in_sequence_and_skips_the_rest(finished_run, cast):
    learners = [seat(finished_run, f"Learner {i}") for i in range(5)]
    attend(
        finished_run,
        cast.teacher,
        {e: [A.PRESENT] * 4 if i < 4 else [A.ABSENT] * 4 for i, e in enumerate(learners)},
    )
    run_close(run=finished_run, by=cast.coordinator)
    certificate_issue(enrolment=learners[0], by=cast.coordinator)

    outcome = certificates_issue_for_run(run=finished_run, by=cast.coordinator)

    assert (len(outcome.issued), outcome.already, outcome.not_completed) == (3, 1, 1)
    assert sorted(Certificate.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]


def test_revoking_needs_a_reason(finished_run, cast):
    enrolment = seat(finished_run)
    attend(finished_run, cast.teacher, {enrolment: [A.PRESENT] * 4})
    run_close(run=finished_run, by=cast.coordinator)
    certificate = certificate_issue(enrolment=enrolment, by=cast.coordinator)
    with pytest.raises(CertificationError, match="reason"):
        certificate_revoke(certificate=certificate, reason="", by=cast.coordinator)
    certificate.refresh_from_db()
    assert certificate.is_valid
    certificate_revoke(certificate=certificate, reason="Issued in error", by=cast.coordinator)
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revocation_reason == "Issued in error"


def _bulk_issue_queries(site, cast, learners: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run = CourseRunFactory(
        course__parent=site.catalogue,
        teachers=[cast.teacher],
        start_date=local_today() - dt.timedelta(days=30),
        end_date=local_today() - dt.timedelta(days=1),
        capacity=50,
    )
    seated = [seat(run, f"Learner {i}") for i in range(learners)]
    attend(run, cast.teacher, {e: [A.PRESENT] * 4 for e in seated})
    run_close(run=run, by=cast.coordinator)
    with CaptureQueriesContext(connection) as ctx:
        outcome = certificates_issue_for_run(run=run, by=cast.coordinator)
    assert len(outcome.issued) == learners
    return len(ctx.captured_queries)


def test_bulk_issue_costs_the_same_queries_for_4_or_40_learners(site, cast):
    from enrolment.models import CertificateCounter

    CertificateCounter.objects.create(year=timezone.localdate().year)  # as after the 1st issue
    assert _bulk_issue_queries(site, cast, 4) == _bulk_issue_queries(site, cast, 40)
    numbers = sorted(Certificate.objects.values_list("sequence", flat=True))
    assert numbers == list(range(1, 45))  # one unbroken sequence across both runs
