"""What coordinators read about attendance: who is slipping away and which registers nobody
took, as rows for the admin and as XLSX files to pass on.

Every list costs the same few queries however long it grows. Exported text goes through
``cms.exports.xlsx_cell``: a learner's name is text, never a formula.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.exports import Percent, table_workbook
from courses.choices import RunStatus
from courses.models import CourseRun, Session
from enrolment.services.at_risk import AtRisk, at_risk_enrolments
from enrolment.services.registers import registers_not_taken


def runs_under_way(*, today: dt.date | None = None) -> QuerySet[CourseRun]:
    """Published runs that have started and not yet finished."""
    today = today or timezone.localdate()
    return CourseRun.objects.filter(
        status=RunStatus.PUBLISHED, start_date__lte=today, end_date__gte=today
    )


# --- at risk ----------------------------------------------------------------------------------


def at_risk_rows(*, runs: QuerySet[CourseRun]) -> list[AtRisk]:
    """Every learner at risk in these runs, with the last day they came (one query however
    many rows); the page shows them a page at a time, through ``at_risk_queryset``."""
    return at_risk_enrolments(runs=runs)


def at_risk_workbook(rows: list[AtRisk]) -> bytes:
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
) -> QuerySet[Session]:
    """Started sessions of these runs with no mark yet, oldest first, teachers at hand (two
    queries however many rows, for a page or for them all)."""
    teachers = get_user_model().objects.order_by("first_name", "last_name", "username")
    return registers_not_taken(user=user, now=now, runs=runs).prefetch_related(
        Prefetch("run__teachers", queryset=teachers)
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
