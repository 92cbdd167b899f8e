"""A seat offered from the waitlist: taken, passed on, or left to expire.

`enrolling.waitlist_promote` makes the offer (status "offered", held until
`offer_expires_at`). Here the learner answers it, on /learn/ or by replying YES or NO, or the
hold time runs out. Every change locks the run's row first, as enrolling.py does: an answer
and the expiry of the same offer can arrive at the same instant (a YES sent a second before
the deadline, read a second after), and exactly one of them must win
(tests/enrolment/services/test_races.py). Whoever comes second finds the offer settled.

Passing on: a NO is the learner's own choice, so the enrolment is "withdrawn" (what they
chose, in their list of past classes); silence is "declined" with the reason "the offer
expired", since the centre closed it. Either way the seat is offered to the next person.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CourseRun
from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus, MessageKind
from enrolment.services import enrolling
from enrolment.services.messaging import message_queue

S = EnrolmentStatus


def _lock(enrolment: Enrolment) -> tuple[Enrolment, CourseRun]:
    """The enrolment and its run, both locked: the run first, like every seat change."""
    return enrolling.locked_enrolment(enrolment)


def _check_open(enrolment: Enrolment, now: dt.datetime) -> None:
    if enrolment.status != S.OFFERED:
        raise EnrolmentError(_("This seat offer is no longer open."))
    if enrolment.offer_expires_at is not None and enrolment.offer_expires_at <= now:
        raise EnrolmentError(
            _("The time to answer this offer has passed, so the seat went to the next person.")
        )


def offer_accept(
    *,
    enrolment: Enrolment,
    by: AbstractBaseUser | None,
    now: dt.datetime | None = None,
    announce: bool = True,
) -> Enrolment:
    """Take the offered seat. Refused, changing nothing, once the offer is answered or
    expired. `announce` False when the caller confirms in its own words (a reply by text)."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, _run = _lock(enrolment)
        _check_open(enrolment, now)
        enrolling.set_status(enrolment, S.ENROLLED, by=by, reason=_("Offered seat taken."))
        if announce:
            enrolling.notify(enrolment, MessageKind.ENROLLED)
    return enrolment


def offer_decline(
    *,
    enrolment: Enrolment,
    by: AbstractBaseUser | None,
    now: dt.datetime | None = None,
    announce: bool = True,
) -> Enrolment:
    """Pass the offered seat on: the learner leaves (withdrawn) and the next person waiting
    is offered the seat."""
    now = now or timezone.now()
    with transaction.atomic():
        enrolment, run = _lock(enrolment)
        _check_open(enrolment, now)
        enrolling.set_status(
            enrolment, S.WITHDRAWN, by=by, reason=_("Offered seat passed on to the next person.")
        )
        if announce:
            enrolling.notify(enrolment, MessageKind.WITHDRAWN)
        enrolling.waitlist_promote(
            run=run, by=None, now=now, reason=enrolling.seat_freed_reason(enrolment=enrolment)
        )
    return enrolment


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """Pass on every offer whose time is up: the learner is told, the next person offered the
    seat. Returns how many expired. Safe to run in several processes at once.

    Called by `manage.py send_due_messages` (run from cron every few minutes).
    """
    now = now or timezone.now()
    due = list(
        Enrolment.objects.filter(status=S.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at", "pk")
        .only("pk", "run_id")
    )
    expired = 0
    for offer in due:
        # One transaction per offer: a failure in one run does not hold back the others.
        with transaction.atomic():
            enrolment, run = _lock(offer)
            if enrolment.status != S.OFFERED or enrolment.offer_expires_at > now:
                continue  # answered (or renewed) since we looked
            enrolling.set_status(enrolment, S.DECLINED, by=None, reason=_("The offer expired."))
            message_queue(
                learner=enrolment.learner,
                kind=MessageKind.OFFER_EXPIRED,
                context={"enrolment": enrolment},
                once_key=f"offer-expired:{enrolment.pk}",
            )
            enrolling.waitlist_promote(run=run, by=None, now=now)
            expired += 1
    return expired
