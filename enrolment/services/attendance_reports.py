"""What coordinators read about attendance: who is slipping away and which registers nobody
took, as rows for the admin and as XLSX files to pass on.

Every list costs the same few queries however long it grows. Exported text goes through
``cms.exports.xlsx_cell``: a learner's name is text, never a formula.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Max, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.exports import Percent, table_workbook
from courses.choices import RunStatus
from courses.models import CourseRun, Session
from enrolment.models import Attendance, AttendanceStatus, Enrolment
from enrolment.services.registers import (
    AttendanceSummary,
    at_risk_enrolments,
    registers_not_taken,
)


def runs_under_way(*, today: dt.date | None = None) -> QuerySet[CourseRun]:
    """Published runs that have started and not yet finished."""
    today = today or timezone.localdate()
    return CourseRun.objects.filter(
        status=RunStatus.PUBLISHED, start_date__lte=today, end_date__gte=today
    )


# --- at risk ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AtRiskRow:
    enrolment: Enrolment
    summary: AttendanceSummary
    last_attended: dt.date | None

    @property
    def below_minimum(self) -> bool:
        rate = self.summary.rate
        return rate is not None and rate * 100 < self.enrolment.run.min_attendance_percent


def at_risk_rows(*, runs: QuerySet[CourseRun]) -> list[AtRiskRow]:
    """Learners below their run's minimum attendance or absent 3+ in a row, with the last day
    they came (three queries however many rows)."""
    at_risk = at_risk_enrolments(runs=runs)
    ids = [row.enrolment.pk for row in at_risk]
    last = dict(
        Attendance.objects.filter(
            enrolment_id__in=ids, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.LATE]
        )
        .values("enrolment_id")
        .annotate(last=Max("session__date"))
        .values_list("enrolment_id", "last")
        .order_by()
    )
    return [AtRiskRow(row.enrolment, row.summary, last.get(row.enrolment.pk)) for row in at_risk]


def at_risk_workbook(rows: list[AtRiskRow]) -> bytes:
    headings = [
        _("Learner"),
        _("Phone"),
        _("Parent or guardian"),
        _("Relationship to the child"),
        _("Guardian's phone"),
        _("Class"),
        _("Course"),
        _("Attendance"),
        _("Minimum"),
        _("Attended"),
        _("Counted classes"),
        _("Excused"),
        _("Absences in a row"),
        _("Last attended"),
    ]
    lines = [
        [
            row.enrolment.learner.list_name,
            row.enrolment.learner.phone,
            row.enrolment.learner.guardian_name,
            row.enrolment.learner.guardian_relationship,
            row.enrolment.learner.guardian_phone,
            row.enrolment.run.code,
            row.enrolment.run.course.title,
            Percent(row.summary.rate),
            Percent(row.enrolment.run.min_attendance_percent / 100),
            row.summary.present + row.summary.late,
            row.summary.counted,
            row.summary.excused,
            row.summary.absences_in_a_row,
            row.last_attended,
        ]
        for row in rows
    ]
    widths = [24, 16, 24, 16, 16, 24, 32, 12, 10]
    return table_workbook(_("At risk"), headings, lines, widths=widths)


# --- registers not taken ----------------------------------------------------------------------


def registers_not_taken_rows(
    *, user: AbstractBaseUser, runs: QuerySet[CourseRun], now: dt.datetime | None = None
) -> list[Session]:
    """Started sessions of these runs with no mark yet, oldest first, teachers at hand (two
    queries however many rows)."""
    teachers = get_user_model().objects.order_by("first_name", "last_name", "username")
    return list(
        registers_not_taken(user=user, now=now)
        .filter(run__in=runs)
        .prefetch_related(Prefetch("run__teachers", queryset=teachers))
    )


def teacher_names(session: Session) -> str:
    return ", ".join(
        teacher.get_full_name() or teacher.get_username() for teacher in session.run.teachers.all()
    )


def registers_not_taken_workbook(sessions: list[Session]) -> bytes:
    headings = [
        _("Date"),
        _("Starts"),
        _("Ends"),
        _("Class"),
        _("Course"),
        _("Teachers"),
        _("Venue"),
    ]
    lines = [
        [
            session.date,
            session.start_time.strftime("%H:%M"),
            session.end_time.strftime("%H:%M"),
            session.run.code,
            session.run.course.title,
            teacher_names(session),
            session.effective_venue.name,
        ]
        for session in sessions
    ]
    return table_workbook(_("Registers not taken"), headings, lines, widths=[12, 8, 8, 24, 32, 30])
