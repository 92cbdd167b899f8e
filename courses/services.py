"""Timetable rules: generating a run's sessions, moving and cancelling them."""

import datetime as dt
from dataclasses import dataclass, field

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from courses.choices import RunStatus, SessionStatus
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


# --- double booking -------------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """One of our sessions and another run's session at an overlapping time on the same day,
    sharing a teacher or a venue. A warning for the coordinator, never a refusal: a
    teacher may really cover two rooms next door, a venue host two small groups."""

    session: Session
    other: Session
    teachers: tuple[str, ...]
    venue: str


def _teacher_name(user) -> str:
    return user.get_full_name() or user.get_username()


def _clashes(*, mine: QuerySet, run: CourseRun) -> list[Clash]:
    """Sessions of other runs that overlap one of `mine` (sessions of `run`), found in the
    database: same date, each starting before the other ends (back-to-back is no clash),
    neither cancelled, and one of the run's teachers or the same venue (a session's own, or
    else its run's)."""
    place = Coalesce("venue_id", "run__venue_id")
    mine = mine.exclude(status=SessionStatus.CANCELLED).annotate(place=place)
    overlapping = mine.filter(
        date=OuterRef("date"),
        start_time__lt=OuterRef("end_time"),
        end_time__gt=OuterRef("start_time"),
    )
    teacher_ids = list(run.teachers.values_list("pk", flat=True))
    shares_teacher = Exists(
        CourseRun.teachers.through.objects.filter(
            courserun_id=OuterRef("run_id"), user_id__in=teacher_ids
        )
    )
    others = (
        Session.objects.exclude(run=run)
        .exclude(status=SessionStatus.CANCELLED)
        .exclude(run__status=RunStatus.CANCELLED)
        .annotate(place=place)
        .filter(
            Q(Exists(overlapping.filter(place=OuterRef("place"))))
            | Q(shares_teacher, Exists(overlapping))
        )
        .select_related("run", "run__course", "run__venue", "venue")
        .prefetch_related("run__teachers")
        .order_by("date", "start_time", "run__code")
    )
    ours = list(mine)
    our_teachers = {user.pk: _teacher_name(user) for user in run.teachers.all()}
    clashes = []
    for other in others:
        for session in ours:
            if not (
                session.date == other.date
                and session.start_time < other.end_time
                and other.start_time < session.end_time
            ):
                continue
            shared = tuple(
                our_teachers[user.pk]
                for user in other.run.teachers.all()
                if user.pk in our_teachers
            )
            same_place = (session.venue_id or run.venue_id) == other.place
            if shared or same_place:
                venue = other.effective_venue.name if same_place else ""
                clashes.append(Clash(session=session, other=other, teachers=shared, venue=venue))
    return clashes


def run_clashes(*, run: CourseRun) -> list[Clash]:
    """Where this run's sessions double-book a teacher or a venue with another run's."""
    return _clashes(mine=run.sessions.all(), run=run)


def session_clashes(*, session: Session) -> list[Clash]:
    """Where this session double-books a teacher or a venue with another run's session."""
    return _clashes(mine=Session.objects.filter(pk=session.pk), run=session.run)
