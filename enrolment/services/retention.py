"""What the centre keeps, and for how long (settings.RETENTION_*): `manage.py
apply_retention` runs `retention_apply` daily.

- A learner with no activity for RETENTION_LEARNER_YEARS years is forgotten
  (enrolment.services.forgetting). Activity is anything that says they or the centre still
  deal with them: their record changed, they signed in, an enrolment of theirs changed or its
  run was still going, an attendance mark was written, a result taken, a message received
  from them, a sponsorship still running or a school report updated. Someone with an active
  enrolment or a sponsorship not ended is never forgotten, however old their record.
- Messages' texts (subject and body) older than RETENTION_MESSAGE_MONTHS months are cleared;
  the row stays, saying that a message of that kind went, when and by which channel.
- Access log rows older than RETENTION_ACCESS_LOG_YEARS years are deleted.

Each part can run twice at once (two cron lines, two servers): a learner is forgotten under
their row's lock and re-checked (learner_anonymise does nothing the second time), and the
updates and deletes match only rows not yet done, so each is counted once.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.errors import ForgettingError
from enrolment.models import (
    AccessLog,
    Attendance,
    Direction,
    Enrolment,
    EnrolmentEvent,
    Learner,
    Message,
    MessageStatus,
    ProgressReport,
    Qualification,
    Sponsorship,
)
from enrolment.models.enrolments import ACTIVE_STATUSES
from enrolment.models.people import years_before
from enrolment.services.forgetting import learner_anonymise

log = logging.getLogger(__name__)

# Messages still on their way keep their text: clearing it would send an empty message.
UNSENT = [MessageStatus.QUEUED, MessageStatus.SENDING, MessageStatus.RETRYING]


@dataclass
class RetentionCounts:
    learners_forgotten: int = 0
    learners_refused: int = 0
    messages_cleared: int = 0
    access_log_deleted: int = 0


def months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    for last_day in (day.day, 30, 29, 28):  # the 31st of a shorter month is its last day
        try:
            return dt.date(year, month + 1, last_day)
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def learners_inactive(*, today: dt.date | None = None) -> QuerySet[Learner]:
    """Learners not yet forgotten with no activity since RETENTION_LEARNER_YEARS years ago."""
    cutoff_day = years_before(today or timezone.localdate(), settings.RETENTION_LEARNER_YEARS)
    cutoff = _start_of(cutoff_day)
    mine = {"learner": OuterRef("pk")}
    enrolments = Enrolment.objects.filter(**mine)
    recent = [
        enrolments.filter(
            Q(updated_at__gte=cutoff)
            | Q(run__end_date__gte=cutoff_day)
            | Q(status__in=ACTIVE_STATUSES)
        ),
        EnrolmentEvent.objects.filter(enrolment__learner=OuterRef("pk"), at__gte=cutoff),
        Attendance.objects.filter(enrolment__learner=OuterRef("pk"), marked_at__gte=cutoff),
        Qualification.objects.filter(**mine).filter(
            Q(taken_on__gte=cutoff_day) | Q(recorded_at__gte=cutoff)
        ),
        Message.objects.filter(**mine, direction=Direction.IN, created_at__gte=cutoff),
        Sponsorship.objects.filter(child=OuterRef("pk")).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=cutoff_day)
        ),
        ProgressReport.objects.filter(child=OuterRef("pk"), updated_at__gte=cutoff),
    ]
    learners = Learner.objects.filter(
        anonymised_at__isnull=True, created_at__lt=cutoff, updated_at__lt=cutoff
    ).exclude(user__last_login__gte=cutoff)
    for activity in recent:
        learners = learners.exclude(Exists(activity))
    return learners.order_by("pk")


def messages_expired(*, now: dt.datetime | None = None) -> QuerySet[Message]:
    cutoff_day = months_before(timezone.localdate(now), settings.RETENTION_MESSAGE_MONTHS)
    return (
        Message.objects.filter(created_at__lt=_start_of(cutoff_day))
        .exclude(status__in=UNSENT)
        .exclude(body="", subject="")
    )


def access_log_expired(*, now: dt.datetime | None = None) -> QuerySet[AccessLog]:
    cutoff_day = years_before(timezone.localdate(now), settings.RETENTION_ACCESS_LOG_YEARS)
    return AccessLog.objects.filter(at__lt=_start_of(cutoff_day))


def retention_apply(*, dry_run: bool = False, now: dt.datetime | None = None) -> RetentionCounts:
    """Apply the retention periods; the counts say what was done (or, with `dry_run`, what
    would be). Running it again at once finds nothing left and counts 0."""
    now = now or timezone.now()
    counts = RetentionCounts()
    learners = learners_inactive(today=timezone.localdate(now))
    if dry_run:
        return RetentionCounts(
            learners_forgotten=learners.count(),
            messages_cleared=messages_expired(now=now).count(),
            access_log_deleted=access_log_expired(now=now).count(),
        )
    reason = _("Retention period: no activity for %(years)d years") % {
        "years": settings.RETENTION_LEARNER_YEARS
    }
    # One transaction per person (learner_anonymise's): a refusal or a crash part-way keeps
    # everyone forgotten before it, and a concurrent run waits on one row at a time.
    for learner in learners.only("pk"):
        try:
            forgotten = learner_anonymise(learner=learner, by=None, reason=reason)
        except ForgettingError as error:  # became active since the query: kept
            log.info("apply_retention: learner %s kept: %s", learner.pk, error)
            counts.learners_refused += 1
            continue
        counts.learners_forgotten += int(forgotten)
    counts.messages_cleared = messages_expired(now=now).update(body="", subject="")
    counts.access_log_deleted, _by_model = access_log_expired(now=now).delete()
    return counts
