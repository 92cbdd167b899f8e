"""Ending a run before its last day: the classes after the new last day are cancelled and
everyone enrolled is told, once, in one message (not one per cancelled class).

The run's row is locked first, as for every seat change, so that an enrolment or a register
save racing with the ending sees either the old run or the ended one. The sessions are
cancelled with one UPDATE, which sends no per-session notice (enrolment.apps only hears
`save()`); the single notice per learner is queued here and sent after commit.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.formats import local_date
from cms.page_cache import public_pages_changed
from courses.choices import RunStatus, SessionStatus
from courses.models import CourseRun
from enrolment.errors import EnrolmentError
from enrolment.models import Attendance, Enrolment, EnrolmentStatus, MessageKind
from enrolment.services.messaging import messages_queue_many

NOTE_MAX = 200  # Session.note's length: the reason is shown on each cancelled class


@dataclass
class RunEnding:
    cancelled: int
    told: int


def run_end_early_check(*, run: CourseRun, last_day: dt.date, reason: str) -> None:
    """Refuse, saying why, an ending that cannot be: the run must be published, and the new
    last day within its dates, with no register taken after it."""
    if not reason.strip():
        raise EnrolmentError(_("Say why the class ends early; learners will see it."))
    if len(reason.strip()) > NOTE_MAX:
        raise EnrolmentError(
            _("Keep the reason under %(count)d characters; learners see it on each class.")
            % {"count": NOTE_MAX}
        )
    if run.status != RunStatus.PUBLISHED:
        raise EnrolmentError(_("Only a published class can be ended early."))
    if not run.start_date <= last_day < run.end_date:
        raise EnrolmentError(
            _("The new last day must be between %(start)s and the day before %(end)s.")
            % {
                "start": local_date(run.start_date, "MEDIUM_DATE_FORMAT"),
                "end": local_date(run.end_date, "MEDIUM_DATE_FORMAT"),
            }
        )
    if Attendance.objects.filter(session__run=run, session__date__gt=last_day).exists():
        raise EnrolmentError(_("Registers were taken after that day. Choose a later last day."))


def run_end_early(
    *,
    run: CourseRun,
    last_day: dt.date,
    reason: str,
    by: AbstractBaseUser | None,
) -> RunEnding:
    """End the run on `last_day`: its scheduled classes after that day are cancelled with the
    reason as their note, and every enrolled learner is told once, after commit. Raises
    EnrolmentError, changing nothing, when `run_end_early_check` refuses."""
    reason = reason.strip()
    with transaction.atomic():
        run = CourseRun.objects.select_for_update().select_related("course").get(pk=run.pk)
        run_end_early_check(run=run, last_day=last_day, reason=reason)
        cancelled = run.sessions.filter(date__gt=last_day, status=SessionStatus.SCHEDULED).update(
            status=SessionStatus.CANCELLED, note=reason
        )
        public_pages_changed()  # an update() sends no signal
        run.end_date = last_day
        if run.enrolment_closes and run.enrolment_closes > last_day:
            run.enrolment_closes = last_day
        run.full_clean()
        run.save(update_fields=["end_date", "enrolment_closes", "updated_at"])
        enrolments = (
            Enrolment.objects.filter(run=run, status=EnrolmentStatus.ENROLLED)
            .select_related("learner", "run", "run__course")
            .order_by("pk")
        )
        context = {"last_day": last_day, "note": reason}
        told = messages_queue_many(
            kind=MessageKind.RUN_ENDED,
            items=[
                (
                    enrolment.learner,
                    {**context, "enrolment": enrolment},
                    f"run-ended:{enrolment.pk}:{last_day.isoformat()}",
                )
                for enrolment in enrolments
            ],
        )
    return RunEnding(cancelled=cancelled, told=told)


def run_end_early_preview(*, run: CourseRun, last_day: dt.date | None = None) -> dict:
    """What ending on `last_day` (default today) would do: classes cancelled, people told."""
    last_day = last_day or timezone.localdate()
    return {
        "sessions": run.sessions.filter(date__gt=last_day, status=SessionStatus.SCHEDULED).count(),
        "enrolled": Enrolment.objects.filter(run=run, status=EnrolmentStatus.ENROLLED).count(),
    }
