"""Ending a run early: its later classes are cancelled (and leave the teacher's /teach/), and
each enrolled learner is told once, after commit, in one message."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.choices import RunStatus, SessionStatus
from enrolment.errors import EnrolmentError
from enrolment.models import Attendance, AttendanceStatus, Message, MessageKind
from enrolment.services.message_backends import MemoryBackend
from enrolment.services.run_ending import run_end_early
from tests.dates import local_today
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(site, cast):
    run = CourseRunFactory(
        course__parent=site.catalogue,
        code="ENG-ENDS",
        capacity=2,
        teachers=[cast.teacher],
        start_date=local_today() - dt.timedelta(days=14),
        end_date=local_today() + dt.timedelta(days=28),
        enrolment_closes=local_today() + dt.timedelta(days=20),
    )
    for days in (-7, 2, 5, 9):
        SessionFactory(run=run, date=local_today() + dt.timedelta(days=days))
    return run


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def later(run):
    return run.sessions.filter(date__gt=local_today()).order_by("date")


def test_ending_early_cancels_the_later_classes_and_tells_each_learner_once(run, committed):
    learners = [EnrolmentFactory(run=run, learner=LearnerFactory(by_sms=True)) for _ in range(2)]
    EnrolmentFactory(run=run, learner=LearnerFactory(by_sms=True), status="waitlisted")

    with committed():
        ending = run_end_early(
            run=run, last_day=local_today(), reason="Teacher moved abroad", by=None
        )

    assert (ending.cancelled, ending.told) == (3, 2)
    assert {s.status for s in later(run)} == {SessionStatus.CANCELLED}
    assert {s.note for s in later(run)} == {"Teacher moved abroad"}
    assert run.sessions.get(date__lt=local_today()).status == SessionStatus.SCHEDULED
    run.refresh_from_db()
    assert (run.end_date, run.enrolment_closes) == (local_today(), local_today())
    # One message per learner, not one per cancelled class.
    messages = Message.objects.all()
    assert {m.kind for m in messages} == {MessageKind.RUN_ENDED}
    assert sorted(m.learner_id for m in messages) == sorted(e.learner_id for e in learners)
    assert len(MemoryBackend.outbox) == 2
    assert "ends early" in messages[0].body and "Teacher moved abroad" in messages[0].body


def test_nothing_is_sent_before_the_ending_commits(run, django_capture_on_commit_callbacks):
    EnrolmentFactory(run=run, learner=LearnerFactory(by_sms=True))
    with django_capture_on_commit_callbacks(execute=False):
        run_end_early(run=run, last_day=local_today(), reason="Venue closed", by=None)
    assert MemoryBackend.outbox == []


def test_the_teacher_no_longer_sees_the_cancelled_classes(client, cast, run):
    client.force_login(cast.teacher)
    before = client.get("/teach/").context
    assert len(before["week_sessions"]) == 2  # in 2 and 5 days (9 days is beyond the week)
    run_end_early(run=run, last_day=local_today(), reason="Teacher moved abroad", by=None)
    after = client.get("/teach/").context
    assert after["week_sessions"] == [] and after["today_sessions"] == []


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [
        (0, " ", "Say why"),
        (28, "Ends", "must be between"),
        (-30, "Ends", "must be between"),
        (0, "x" * 201, "under 200 characters"),
    ],
)
def test_an_impossible_ending_is_refused_and_changes_nothing(run, days, reason, message):
    EnrolmentFactory(run=run, learner=LearnerFactory(by_sms=True))
    with pytest.raises(EnrolmentError, match=message):
        run_end_early(
            run=run, last_day=local_today() + dt.timedelta(days=days), reason=reason, by=None
        )
    run.refresh_from_db()
    assert run.end_date == local_today() + dt.timedelta(days=28)
    assert {s.status for s in later(run)} == {SessionStatus.SCHEDULED}
    assert not Message.objects.exists()


def test_a_day_with_registers_taken_after_it_is_refused(run):
    enrolment = EnrolmentFactory(run=run)
    past = run.sessions.get(date__lt=local_today())
    Attendance.objects.create(
        enrolment=enrolment, session=past, status=AttendanceStatus.PRESENT, marked_at=timezone.now()
    )
    with pytest.raises(EnrolmentError, match="Registers were taken"):
        run_end_early(run=run, last_day=past.date - dt.timedelta(days=1), reason="x", by=None)


def test_a_closed_run_cannot_be_ended_early(run):
    run.status = RunStatus.CLOSED
    run.save()
    with pytest.raises(EnrolmentError, match="Only a published class"):
        run_end_early(run=run, last_day=local_today(), reason="x", by=None)
