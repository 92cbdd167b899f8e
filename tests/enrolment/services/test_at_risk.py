"""The at-risk list reads the totals each enrolment keeps, recounted as registers are saved:
they agree with the learner's own summary, worked out in Python from the marks in session
order, for awkward patterns of marks saved in any order, changed later, or moved."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from courses.models import CourseRun
from courses.services import session_move
from enrolment.models import AttendanceStatus, Enrolment, EnrolmentStatus
from enrolment.services.at_risk import at_risk_enrolments, at_risk_queryset
from enrolment.services.attendance_totals import attendance_summaries, enrolment_summary
from enrolment.services.registers import Mark, register_mark
from tests.dates import local_today
from tests.factories import CourseRunFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
A = AttendanceStatus

PATTERNS = [
    [],  # nothing marked yet: not at risk
    [A.ABSENT, A.ABSENT, A.ABSENT],  # never came
    [A.PRESENT, A.ABSENT, A.EXCUSED, A.ABSENT, A.ABSENT],  # excused does not break the row
    [A.ABSENT, A.ABSENT, A.ABSENT, A.LATE],  # came back late: the row is broken
    [A.EXCUSED, A.EXCUSED],  # nothing counted
    [A.PRESENT, A.PRESENT, A.PRESENT, A.PRESENT, A.ABSENT],  # 80%: at the minimum, not below
    [A.PRESENT, A.PRESENT, A.PRESENT, A.ABSENT, A.ABSENT],  # 60%
]


def _class(n_enrolments: int, *, sessions: int = 12, **run_fields):
    today = local_today()
    run = CourseRunFactory(
        start_date=today - dt.timedelta(days=60), end_date=today, capacity=500, **run_fields
    )
    # Two sessions on some days (one moved there), the later one second: order is date,
    # then start time.
    days = [today - dt.timedelta(days=40 - n // 2) for n in range(sessions)]
    held = [
        SessionFactory(
            run=run,
            date=day,
            scheduled_date=today - dt.timedelta(days=100 + n),
            start_time=dt.time(9 + 9 * (n % 2)),
            end_time=dt.time(10 + 9 * (n % 2)),
        )
        for n, day in enumerate(days)
    ]
    seated = timezone.now() - dt.timedelta(days=90)
    enrolments = [
        EnrolmentFactory(run=run, status=EnrolmentStatus.ENROLLED, enrolled_at=seated)
        for _ in range(n_enrolments)
    ]
    return run, held, enrolments


def _save(sessions, enrolments, patterns, by, *, order):
    """Each session's register saved once, sessions taken in ``order``."""
    for i in order:
        marks = {
            e.pk: Mark(pattern[i])
            for e, pattern in zip(enrolments, patterns, strict=True)
            if i < len(pattern)
        }
        if marks:
            register_mark(session=sessions[i], marks=marks, by=by)


def _agrees(run, enrolments, days, patterns):
    expected = attendance_summaries(enrolment_ids=[e.pk for e in enrolments])
    found = {row.enrolment.pk: row for row in at_risk_enrolments(runs=CourseRun.objects.all())}
    at_risk = {
        pk
        for pk, summary in expected.items()
        if summary.is_at_risk(minimum_percent=run.min_attendance_percent)
    }
    assert set(found) == at_risk
    assert {pk: row.summary for pk, row in found.items()} == {pk: expected[pk] for pk in at_risk}
    assert at_risk_queryset(runs=CourseRun.objects.all()).count() == len(at_risk)
    for enrolment in Enrolment.objects.filter(pk__in=expected):
        assert enrolment_summary(enrolment) == expected[enrolment.pk]
        # The last day attended is the last present or late session's date.
        pattern = patterns[[e.pk for e in enrolments].index(enrolment.pk)]
        attended = [days[i] for i, s in enumerate(pattern) if s in (A.PRESENT, A.LATE)]
        assert enrolment.last_attended == (max(attended) if attended else None)


def test_the_stored_totals_agree_with_the_summary_for_every_pattern(cast):
    rng = random.Random(16)
    patterns = PATTERNS + [
        [rng.choice(A.values) for _ in range(rng.randint(1, 12))] for _ in range(40)
    ]
    run, sessions, enrolments = _class(len(patterns))
    # Registers saved out of session order (a teacher catching up): nothing relies on it.
    order = list(range(12))
    rng.shuffle(order)
    _save(sessions, enrolments, patterns, cast.coordinator, order=order)

    _agrees(run, enrolments, [s.date for s in sessions], patterns)
    assert len(at_risk_enrolments(runs=CourseRun.objects.all())) >= 10  # the test has work


def test_a_corrected_mark_is_counted_again(cast):
    run, sessions, (e,) = _class(1, sessions=3)
    _save(sessions, [e], [[A.ABSENT] * 3], cast.coordinator, order=[0, 1, 2])
    assert [row.enrolment for row in at_risk_enrolments(runs=CourseRun.objects.all())] == [e]

    # A phone call: they were there the first two times (marked wrongly), then excused.
    patterns = [[A.PRESENT, A.LATE, A.EXCUSED]]
    _save(sessions, [e], patterns, cast.coordinator, order=[2, 1, 0])

    assert at_risk_enrolments(runs=CourseRun.objects.all()) == []
    _agrees(run, [e], [s.date for s in sessions], patterns)


def test_moving_a_marked_session_recounts_the_row_of_absences(cast):
    # No minimum rate: only the row of absences puts them at risk.
    run, sessions, (e,) = _class(1, sessions=4, min_attendance_percent=0)
    patterns = [[A.ABSENT, A.ABSENT, A.PRESENT, A.ABSENT]]
    _save(sessions, [e], patterns, cast.coordinator, order=[0, 1, 2, 3])
    assert at_risk_enrolments(runs=CourseRun.objects.all()) == []  # one absence in a row

    # The class they came to was in fact held first: the three absences now come in a row.
    present = sessions[2]
    session_move(
        session=present,
        date=sessions[0].date - dt.timedelta(days=1),
        start_time=present.start_time,
        end_time=present.end_time,
    )
    e.refresh_from_db()
    assert e.absences_in_a_row == 3
    assert [row.enrolment for row in at_risk_enrolments(runs=CourseRun.objects.all())] == [e]
