"""Notices about the classes themselves: the reminder the day before a learner's first class,
a class cancelled or moved, and classes missed in a row.

Each is queued through `message_queue` in the transaction of what it announces (or of the
scheduler's run) and sent after commit. Those the scheduler writes carry a `once_key`, so two
copies of `send_due_messages` running at once write, and send, each reminder once.
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Coalesce, Concat, TruncDate
from django.utils import timezone

from courses.choices import RunStatus, SessionStatus
from courses.models import Session
from enrolment.models import (
    Attendance,
    AttendanceStatus,
    Enrolment,
    EnrolmentStatus,
    Message,
    MessageKind,
)
from enrolment.services.messaging import message_queue


def _first_class_tomorrow(now: dt.datetime):
    """Enrolled learners whose first class (the first not cancelled since they took their
    seat) is tomorrow, Hong Kong time."""
    tomorrow = timezone.localdate(now) + dt.timedelta(days=1)
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    tomorrows = Session.objects.filter(
        run=OuterRef("run"), date=tomorrow, status=SessionStatus.SCHEDULED
    )
    # A class they could have come to before tomorrow: tomorrow's is not their first.
    earlier = Session.objects.filter(
        run=OuterRef("run"),
        status=SessionStatus.SCHEDULED,
        date__lt=tomorrow,
        date__gte=OuterRef("enrolled_on"),
    )
    # Reminded already (by an earlier run this evening): skipped without rendering anything.
    reminded = Message.objects.filter(
        once_key=Concat(Value("reminder:"), Cast(OuterRef("pk"), CharField()))
    )
    return (
        Enrolment.objects.annotate(
            enrolled_on=TruncDate(Coalesce("enrolled_at", "created_at"), tzinfo=zone)
        )
        .filter(status=EnrolmentStatus.ENROLLED, run__status=RunStatus.PUBLISHED)
        .filter(Exists(tomorrows))
        .exclude(Exists(earlier))
        .exclude(Exists(reminded))
        .select_related("learner", "run", "run__course", "run__venue")
        .order_by("pk")
    ), tomorrow


def _reminder_key(enrolment_id: int) -> str:
    # The same text as the query's Concat above, which finds the reminders already written.
    return f"reminder:{enrolment_id}"


def reminders_queue(*, now: dt.datetime | None = None) -> int:
    """Queue the reminder of tomorrow's first class, once per enrolment. Returns how many
    were written by this call (another copy of the scheduler may have written the rest)."""
    now = now or timezone.now()
    enrolments, tomorrow = _first_class_tomorrow(now)
    sessions: dict[int, Session] = {}
    for session in Session.objects.filter(
        date=tomorrow, status=SessionStatus.SCHEDULED
    ).select_related("venue"):
        sessions.setdefault(session.run_id, session)  # the earliest, if there are two
    written = 0
    for enrolment in enrolments:
        session = sessions.get(enrolment.run_id)
        if session is None:  # cancelled since the query above
            continue
        with transaction.atomic():
            message = message_queue(
                learner=enrolment.learner,
                kind=MessageKind.REMINDER,
                context={"enrolment": enrolment, "session": session},
                once_key=_reminder_key(enrolment.pk),
            )
        written += message is not None
    return written


def session_state(session: Session) -> tuple:
    """What a learner must be told about when it changes: status, day, times and place."""
    return (session.status, session.date, session.start_time, session.end_time, session.venue_id)


def session_change_announce(*, session: Session, before: tuple | None) -> int:
    """Tell everyone enrolled in the run that a class was cancelled or moved, once per change:
    called after every save of a session (enrolment.apps), it writes nothing when what
    learners see did not change, or the class was over before and after. Returns how many
    messages were written (sent after the save's transaction commits)."""
    if before is None or before == session_state(session):
        return 0
    old_status, old_date, old_start, *_ = before
    if session.status == SessionStatus.CANCELLED:
        if old_status == SessionStatus.CANCELLED:
            return 0
        kind = MessageKind.SESSION_CANCELLED
    elif old_status == SessionStatus.CANCELLED:
        return 0  # put back: the timetable shows it; a notice saying "not cancelled" confuses
    else:
        kind = MessageKind.SESSION_MOVED
    today = timezone.localdate()
    if max(old_date, session.date) < today:
        return 0
    run = session.run
    if run.status != RunStatus.PUBLISHED:
        return 0
    enrolments = (
        Enrolment.objects.filter(run=run, status=EnrolmentStatus.ENROLLED)
        .select_related("learner", "run", "run__course")
        .order_by("pk")
    )
    context = {"session": session, "old_date": old_date, "old_start": old_start}
    written = 0
    for enrolment in enrolments:
        message = message_queue(
            learner=enrolment.learner, kind=kind, context={**context, "enrolment": enrolment}
        )
        written += message is not None
    return written


def absence_alerts_queue(*, run, enrolment_ids: list[int]) -> int:
    """After a register save: message those just marked absent whose absences in a row have
    reached the run's `absence_alert_after`, once per streak (the streak's first missed
    class is in the `once_key`). For a child, `message_recipient` writes to the guardian.
    An excused absence neither counts nor breaks a streak, as in the attendance summaries."""
    after = run.absence_alert_after
    if not after or not enrolment_ids:
        return 0
    rows = (
        Attendance.objects.filter(enrolment_id__in=enrolment_ids)
        .order_by("enrolment_id", "session__date", "session__start_time")
        .values_list("enrolment_id", "session_id", "status")
    )
    streaks: dict[int, tuple[int | None, int]] = {}  # enrolment -> (first session, length)
    for enrolment_id, session_id, status in rows:
        first, length = streaks.get(enrolment_id, (None, 0))
        if status == AttendanceStatus.ABSENT:
            streaks[enrolment_id] = (first or session_id, length + 1)
        elif status != AttendanceStatus.EXCUSED:
            streaks[enrolment_id] = (None, 0)
    due = {pk: first for pk, (first, length) in streaks.items() if length >= after}
    if not due:
        return 0
    enrolments = (
        Enrolment.objects.filter(pk__in=due, status=EnrolmentStatus.ENROLLED)
        .select_related("learner", "run", "run__course")
        .order_by("pk")
    )
    written = 0
    for enrolment in enrolments:
        message = message_queue(
            learner=enrolment.learner,
            kind=MessageKind.ABSENCE,
            context={"enrolment": enrolment, "missed": streaks[enrolment.pk][1]},
            once_key=f"absence:{enrolment.pk}:{due[enrolment.pk]}",
        )
        written += message is not None
    return written
