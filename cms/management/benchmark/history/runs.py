"""The history's classes: runs of ten weeks spread over the school years, a few dozen under
way, each a copy of one of the demo's runs, and their sessions twice a week."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.management.benchmark.bulk import Adapt, Table, next_id
from cms.management.benchmark.history.plan import History, PlannedRun, PlannedSession
from cms.roles import TEACHERS
from courses.choices import RunStatus, SessionStatus
from courses.models import CourseRun, Session


def build_history_runs(
    *, plan: History, today: dt.date, counts: dict[str, int]
) -> list[PlannedRun]:
    """Classes of ten weeks spread over the school years, then a few dozen under way; each
    copies one of the demo's runs (course, venue, times, rules)."""
    models = list(
        CourseRun.objects.filter(status=RunStatus.PUBLISHED).order_by("pk").select_related()
    )
    first_day = today - dt.timedelta(days=365 * plan.years)
    last_start = today - dt.timedelta(weeks=12)  # every finished one ended before today
    span = (last_start - first_day).days
    first_pk = next_id(CourseRun)
    planned = []
    for n in range(plan.runs + plan.under_way):
        under_way = n >= plan.runs
        if under_way:
            start = today - dt.timedelta(days=35 + n % 14)
        else:
            start = first_day + dt.timedelta(days=span * n // max(plan.runs, 1))
        planned.append(
            PlannedRun(
                first_pk + n,
                models[n % len(models)],
                start,
                start + dt.timedelta(weeks=10),
                under_way,
            )
        )
    table = Table(
        CourseRun,
        [
            "id",
            "course_id",
            "code",
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "venue_id",
            "capacity",
            "enrolment_opens",
            "enrolment_closes",
            "mode",
            "status",
            "min_attendance_percent",
            "absence_alert_after",
            "pass_mark",
            "offer_hold_hours",
            "transport_per_session",
        ],
    )
    counts["runs"] = table.write(
        (
            run.pk,
            run.model.course_id,
            f"h{run.pk}-{run.model.code}"[:40],
            run.start,
            run.end,
            run.model.start_time,
            run.model.end_time,
            run.model.venue_id,
            max(run.model.capacity, plan.class_size),
            run.start - dt.timedelta(weeks=4),
            run.start + dt.timedelta(weeks=1),
            run.model.mode,
            RunStatus.PUBLISHED,
            run.model.min_attendance_percent,
            run.model.absence_alert_after,
            run.model.pass_mark,
            run.model.offer_hold_hours,
            run.model.transport_per_session,
        )
        for run in planned
    )
    teachers = list(
        get_user_model()
        .objects.filter(groups__name=TEACHERS)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    through = CourseRun.teachers.through
    Table(through, ["courserun_id", "user_id"]).write(
        (run.pk, teachers[run.pk % len(teachers)]) for run in planned
    )
    return planned


def build_history_sessions(
    runs: list[PlannedRun], *, plan: History, today: dt.date, counts: dict[str, int]
) -> dict[int, list[PlannedSession]]:
    """Twice a week for ten weeks (Monday and Thursday of each week)."""
    pk = next_id(Session)
    by_run: dict[int, list[PlannedSession]] = {}
    rows = []
    tz = timezone.get_current_timezone()
    for run in runs:
        mine = []
        for k in range(plan.sessions):
            day = run.start + dt.timedelta(days=7 * (k // 2) + 3 * (k % 2))
            ends = dt.datetime.combine(day, run.model.end_time, tzinfo=tz)
            mine.append(PlannedSession(pk, day, day < today, Adapt.when(ends)))
            rows.append(
                (
                    pk,
                    run.pk,
                    Adapt.day(day),
                    Adapt.day(day),
                    Adapt.time(run.model.start_time),
                    Adapt.time(run.model.end_time),
                    SessionStatus.SCHEDULED,
                    "",
                )
            )
            pk += 1
        by_run[run.pk] = mine
    table = Table(
        Session,
        ["id", "run_id", "scheduled_date", "date", "start_time", "end_time", "status", "note"],
    )
    counts["sessions"] = table.write(rows, prepared=True)
    return by_run
