"""The at-risk rule decided in SQL agrees with the learner's own summary, worked out in
Python from the marks in session order, for awkward patterns of marks."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from courses.models import CourseRun
from enrolment.models import Attendance, AttendanceStatus, EnrolmentStatus
from enrolment.services.at_risk import at_risk_enrolments, at_risk_queryset
from enrolment.services.registers import attendance_summaries
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


def test_the_database_agrees_with_the_summary_for_every_pattern():
    today = local_today()
    run = CourseRunFactory(start_date=today - dt.timedelta(days=60), end_date=today, capacity=500)
    # Two sessions on some days (one moved there), the later one second: order is date,
    # then start time.
    days = [today - dt.timedelta(days=40 - n // 2) for n in range(12)]
    sessions = [
        SessionFactory(
            run=run,
            date=day,
            scheduled_date=today - dt.timedelta(days=100 + n),
            start_time=dt.time(9 + 9 * (n % 2)),
            end_time=dt.time(10 + 9 * (n % 2)),
        )
        for n, day in enumerate(days)
    ]
    rng = random.Random(16)
    patterns = PATTERNS + [
        [rng.choice(A.values) for _ in range(rng.randint(1, 12))] for _ in range(40)
    ]
    enrolments = [EnrolmentFactory(run=run, status=EnrolmentStatus.ENROLLED) for _ in patterns]
    now = timezone.now()
    # Marks written out of session order, so that nothing relies on insertion order.
    Attendance.objects.bulk_create(
        Attendance(enrolment=e, session=sessions[i], status=status, marked_at=now)
        for e, pattern in zip(enrolments, patterns, strict=True)
        for i, status in reversed(list(enumerate(pattern)))
    )
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
    # The last day attended is the last present or late session's date.
    for pk, row in found.items():
        pattern = patterns[[e.pk for e in enrolments].index(pk)]
        attended = [days[i] for i, s in enumerate(pattern) if s in (A.PRESENT, A.LATE)]
        assert row.last_attended == (max(attended) if attended else None)
