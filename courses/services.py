"""Timetable rules: generating a run's sessions, moving and cancelling them."""

import datetime as dt
from dataclasses import dataclass, field

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from courses.choices import SessionStatus
from courses.models import CourseRun, Session, Venue


@dataclass
class SessionPlan:
    created: list[Session] = field(default_factory=list)
    skipped_holidays: list[tuple[dt.date, str]] = field(default_factory=list)
    already_there: int = 0


def hong_kong_holidays(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    calendar = holidays.country_holidays("HK", years=range(start.year, end.year + 1))
    return {day: name for day, name in calendar.items() if start <= day <= end}


def schedule_dates(*, run: CourseRun) -> list[dt.date]:
    """Every date from the run's first to last day that falls on one of its weekdays."""
    weekdays = {int(d) for d in run.weekdays}
    days = (run.end_date - run.start_date).days + 1
    return [
        day
        for day in (run.start_date + dt.timedelta(days=i) for i in range(days))
        if day.weekday() in weekdays
    ]


@transaction.atomic
def sessions_generate(*, run: CourseRun) -> SessionPlan:
    """Create the run's missing sessions from its schedule, skipping Hong Kong public holidays.

    Safe to run again: a slot that already has a session (even one moved or cancelled since)
    is left alone.
    """
    run = CourseRun.objects.select_for_update().get(pk=run.pk)
    plan = SessionPlan()
    closed = hong_kong_holidays(run.start_date, run.end_date)
    existing = set(run.sessions.values_list("scheduled_date", flat=True))
    to_create = []
    for day in schedule_dates(run=run):
        if day in existing:
            plan.already_there += 1
        elif day in closed:
            plan.skipped_holidays.append((day, closed[day]))
        else:
            to_create.append(
                Session(
                    run=run,
                    scheduled_date=day,
                    date=day,
                    start_time=run.start_time,
                    end_time=run.end_time,
                )
            )
    plan.created = Session.objects.bulk_create(to_create)
    return plan


def session_check(*, status: str, note: str, start_time: dt.time, end_time: dt.time) -> None:
    """The rules every change to a session keeps, as field errors a form can show."""
    errors = {}
    if start_time and end_time and end_time <= start_time:
        errors["end_time"] = _("A class must end after it starts.")
    if status == SessionStatus.CANCELLED and not note.strip():
        errors["note"] = _("Say why the session is cancelled; learners will see it.")
    if errors:
        raise ValidationError(errors)


def session_move(
    *,
    session: Session,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    venue: Venue | None = None,
    note: str = "",
) -> Session:
    session_check(status=session.status, note=note, start_time=start_time, end_time=end_time)
    session.date = date
    session.start_time = start_time
    session.end_time = end_time
    session.venue = venue
    session.note = note
    session.full_clean()
    session.save()
    return session


def session_cancel(*, session: Session, note: str) -> Session:
    session_check(
        status=SessionStatus.CANCELLED,
        note=note,
        start_time=session.start_time,
        end_time=session.end_time,
    )
    session.status = SessionStatus.CANCELLED
    session.note = note.strip()
    session.full_clean()
    session.save(update_fields=["status", "note"])
    return session
