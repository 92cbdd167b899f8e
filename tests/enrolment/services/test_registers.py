import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrolment.models import Attendance, AttendanceStatus
from enrolment.services.attendance_totals import attendance_summaries
from enrolment.services.enrolling import enrolment_create, enrolment_withdraw
from enrolment.services.registers import (
    Mark,
    RegisterError,
    register_enrolments,
    register_mark,
    registers_not_taken,
)
from tests.factories import CourseRunFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db
A = AttendanceStatus


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def run(site, cast):
    return CourseRunFactory(
        course__parent=site.catalogue,
        capacity=50,
        teachers=[cast.teacher],
        start_date=timezone.localdate() - dt.timedelta(days=14),
        enrolment_opens=None,
        enrolment_closes=None,
    )


def seat(run, n=1, **learner):
    return [enrolment_create(learner=LearnerFactory(**learner), run=run, by=None) for _ in range(n)]


def past_session(run, days_ago=1):
    return SessionFactory(run=run, date=timezone.localdate() - dt.timedelta(days=days_ago))


def test_the_register_lists_those_who_held_a_seat_at_the_time(run):
    session = past_session(run)
    early = seat(run)[0]
    early.enrolled_at = at(session.date - dt.timedelta(days=7), 9)
    early.save()
    late_comer = seat(run)[0]  # enrolled now, after the session
    leaver = seat(run)[0]
    enrolment_withdraw(enrolment=leaver, by=None)
    leaver.refresh_from_db()
    leaver.enrolled_at = at(session.date - dt.timedelta(days=7), 9)
    leaver.left_at = at(session.date - dt.timedelta(days=1), 9)  # withdrew before the class
    leaver.save()
    stayed = seat(run)[0]
    enrolment_withdraw(enrolment=stayed, by=None)  # withdrew today, after the class
    stayed.refresh_from_db()
    stayed.enrolled_at = early.enrolled_at
    stayed.save()
    assert set(register_enrolments(session=session)) == {early, stayed}
    assert late_comer not in register_enrolments(session=session)


def test_marking_records_who_and_when_and_is_idempotent(run, cast):
    session = past_session(run)
    enrolments = seat(run, 3)
    for e in enrolments:
        e.enrolled_at = at(session.date, 8)
        e.save()
    marks = {e.pk: Mark(A.PRESENT) for e in enrolments}
    marks[enrolments[0].pk] = Mark(A.ABSENT, "Sick")

    first = register_mark(session=session, marks=marks, by=cast.teacher)
    second = register_mark(session=session, marks=marks, by=cast.teacher)

    assert (first.created, second.created, second.changed, second.unchanged) == (3, 0, 0, 3)
    mark = Attendance.objects.get(enrolment=enrolments[0], session=session)
    assert (mark.status, mark.note, mark.marked_by) == (A.ABSENT, "Sick", cast.teacher)
    assert not mark.changes.exists()


def test_a_later_edit_keeps_the_old_mark_in_the_history(run, cast):
    session = past_session(run)
    (e,) = seat(run)
    e.enrolled_at = at(session.date, 8)
    e.save()
    register_mark(session=session, marks={e.pk: Mark(A.ABSENT)}, by=cast.teacher)
    register_mark(session=session, marks={e.pk: Mark(A.LATE, "Bus")}, by=cast.coordinator)
    change = Attendance.objects.get(enrolment=e).changes.get()
    assert (change.from_status, change.to_status, change.by) == (A.ABSENT, A.LATE, cast.coordinator)


@pytest.mark.parametrize("marks_for", ["stranger", "bad_status"])
def test_a_bad_mark_refuses_the_whole_register(run, cast, site, marks_for):
    session = past_session(run)
    (e,) = seat(run)
    e.enrolled_at = at(session.date, 8)
    e.save()
    other_run = CourseRunFactory(course__parent=site.catalogue)
    (stranger,) = seat(other_run)
    marks = {e.pk: Mark(A.PRESENT)}
    if marks_for == "stranger":
        marks[stranger.pk] = Mark(A.PRESENT)
    else:
        marks[e.pk] = Mark("asleep")
    with pytest.raises(RegisterError):
        register_mark(session=session, marks=marks, by=cast.teacher)
    assert not Attendance.objects.exists()


def test_a_teacher_cannot_take_a_register_before_the_class_starts(run, cast):
    session = SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=2))
    with pytest.raises(RegisterError, match="once the class has started"):
        register_mark(session=session, marks={}, by=cast.teacher)


def test_another_teacher_cannot_take_the_register(run, cast):
    with pytest.raises(RegisterError, match="Only the class's teachers"):
        register_mark(session=past_session(run), marks={}, by=cast.other_teacher)


def test_saving_a_register_of_40_costs_the_same_queries_as_4(run, cast):
    def save(n, days_ago):
        session = past_session(run, days_ago)
        for e in run.enrolments.all():
            e.enrolled_at = at(session.date - dt.timedelta(days=30), 8)
            e.save()
        marks = {e.pk: Mark(A.PRESENT) for e in register_enrolments(session=session)}
        assert len(marks) == n
        teacher = type(cast.teacher).objects.get(pk=cast.teacher.pk)  # as a new request has
        with CaptureQueriesContext(connection) as ctx:
            register_mark(session=session, marks=marks, by=teacher)
        first = len(ctx.captured_queries)
        changed = {pk: Mark(A.ABSENT) for pk in marks}
        teacher = type(cast.teacher).objects.get(pk=cast.teacher.pk)
        with CaptureQueriesContext(connection) as ctx:
            register_mark(session=session, marks=changed, by=teacher)
        return first, len(ctx.captured_queries)

    # The register's own cost: absence alerts are one message per learner who reaches a streak
    # (tests/enrolment/messaging/test_class_notices.py), not part of saving marks.
    run.absence_alert_after = 0
    run.save()
    seat(run, 4)
    four = save(4, 3)
    seat(run, 36)
    forty = save(40, 2)
    assert four == forty


def test_rates_and_absences_in_a_row(run, cast):
    (e,) = seat(run)
    e.enrolled_at = at(timezone.localdate() - dt.timedelta(days=30), 8)
    e.save()
    for days_ago, status in [
        (6, A.PRESENT),
        (5, A.LATE),
        (4, A.ABSENT),
        (3, A.EXCUSED),
        (2, A.ABSENT),
        (1, A.ABSENT),
    ]:
        register_mark(
            session=past_session(run, days_ago), marks={e.pk: Mark(status)}, by=cast.teacher
        )
    summary = attendance_summaries(enrolment_ids=[e.pk])[e.pk]
    assert summary.percent == 40  # 2 attended of 5 counted; excused counts neither way
    assert summary.absences_in_a_row == 3  # the excused absence does not break the streak
    assert summary.is_at_risk(minimum_percent=0)


def test_registers_not_taken(run, cast):
    taken, missed = past_session(run, 2), past_session(run, 1)
    SessionFactory(run=run, date=timezone.localdate() + dt.timedelta(days=1))  # not yet
    (e,) = seat(run)
    e.enrolled_at = at(taken.date, 8)
    e.save()
    register_mark(session=taken, marks={e.pk: Mark(A.PRESENT)}, by=cast.teacher)
    assert list(registers_not_taken(user=cast.teacher)) == [missed]
    assert list(registers_not_taken(user=cast.other_teacher)) == []
    assert list(registers_not_taken(user=cast.coordinator)) == [missed]


def test_the_runs_rate_counts_every_learners_marks(run, cast):
    from enrolment.services.attendance_totals import run_attendance_summary

    assert run_attendance_summary(run=run).percent is None  # nothing marked yet
    session = past_session(run)
    enrolments = seat(run, 4)
    for e in enrolments:
        e.enrolled_at = at(session.date, 8)
        e.save()
    statuses = [A.PRESENT, A.LATE, A.ABSENT, A.EXCUSED]
    register_mark(
        session=session,
        marks={e.pk: Mark(s) for e, s in zip(enrolments, statuses, strict=True)},
        by=cast.teacher,
    )
    assert run_attendance_summary(run=run).percent == 67  # 2 of 3; the excused one not counted
