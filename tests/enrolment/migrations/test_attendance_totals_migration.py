"""Marks taken before enrolments kept their totals are counted in by the backfill (enrolment
0031), by the same rule the register's save uses."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from enrolment.models import Attendance, AttendanceStatus, Enrolment
from enrolment.services.attendance_totals import attendance_summaries, enrolment_summary
from tests.factories import CourseRunFactory, EnrolmentFactory, SessionFactory

BEFORE = [("enrolment", "0030_enrolment_attendance_totals")]
AFTER = [("enrolment", "0031_enrolment_attendance_totals_backfill")]
A = AttendanceStatus


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_marks_already_taken_are_counted_in():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the same tables as now: the backfill only writes
    run = CourseRunFactory()
    today = timezone.localdate()
    sessions = [SessionFactory(run=run, date=today - dt.timedelta(days=9 - n)) for n in range(5)]
    patterns = [
        [A.PRESENT, A.ABSENT, A.EXCUSED, A.ABSENT, A.ABSENT],
        [A.ABSENT, A.LATE, A.PRESENT],
        [],
    ]
    enrolments = [EnrolmentFactory(run=run) for _ in patterns]
    now = timezone.now()
    Attendance.objects.bulk_create(  # written as marks were, before totals were kept
        Attendance(enrolment=e, session=sessions[i], status=status, marked_at=now)
        for e, pattern in zip(enrolments, patterns, strict=True)
        for i, status in reversed(list(enumerate(pattern)))
    )
    assert {e.absences_in_a_row for e in Enrolment.objects.all()} == {0}

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    expected = attendance_summaries(enrolment_ids=[e.pk for e in enrolments])
    stored = {e.pk: e for e in Enrolment.objects.all()}
    assert {pk: enrolment_summary(e) for pk, e in stored.items()} == expected
    assert stored[enrolments[0].pk].absences_in_a_row == 3
    assert stored[enrolments[0].pk].last_attended == sessions[0].date
    assert stored[enrolments[1].pk].last_attended == sessions[2].date
    assert stored[enrolments[2].pk].last_attended is None
