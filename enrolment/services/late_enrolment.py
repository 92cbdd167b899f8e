"""What staff do outside the enrolment window: place a latecomer or a walk-in into a class
already under way, and record a course someone took before the system knew them.

Learners enrol through `enrolling.enrolment_create`, which keeps the window the class
advertises. Staff may step past the window, never past the seats: a late placement locks the
run's row and counts the seats exactly as `enrolment_create` does (a walk-in and an online
enrolment racing for the last seat are served one after the other). Each carries the staff
member's reason into the history.
"""

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.choices import RunStatus
from courses.models import CourseRun
from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus, Learner
from enrolment.services import enrolling

S = EnrolmentStatus

# Statuses that say the learner took (or holds a place in) this run already.
_TOOK_PART = (S.ENROLLED, S.OFFERED, S.WAITLISTED, S.APPLIED, S.COMPLETED, S.NOT_COMPLETED)


def _reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise EnrolmentError(_("Give a reason; it is kept in the enrolment's history."))
    return reason


def enrolment_place_late(
    *,
    learner: Learner,
    run: CourseRun,
    by: AbstractBaseUser | None,
    reason: str,
    today: dt.date | None = None,
) -> Enrolment:
    """Place a learner into a published class that has not finished, whether or not its
    enrolment window is open (a latecomer, a walk-in): a seat if one is free, else the
    waitlist. No review: the staff member placing them has decided.

    Raises EnrolmentError, changing nothing, without a reason, for a class that is cancelled,
    finished or not published, a learner it is not for, or one already in it."""
    reason = _reason_required(reason)
    today = today or timezone.localdate()
    with transaction.atomic():
        run = enrolling.lock_run(run.pk)
        enrolling.run_check_under_way(
            run=run,
            today=today,
            finished=_("This class has finished. Record a past course instead."),
        )
        enrolling.learner_check_eligible(learner=learner, run=run, today=today)
        current = Enrolment.objects.active().filter(learner=learner, run=run).first()
        if current is not None:
            raise EnrolmentError(enrolling.already_message(current))
        status = S.ENROLLED if enrolling.seats_taken(run) < run.capacity else S.WAITLISTED
        enrolment = Enrolment(learner=learner, run=run)
        try:
            with transaction.atomic():  # the database constraint is the last word on duplicates
                enrolling.set_status(
                    enrolment,
                    status,
                    by=by,
                    reason=_("Placed by staff after enrolment closed: %(reason)s")
                    % {"reason": reason},
                )
        except IntegrityError:
            raise EnrolmentError(_("You already have a place or an application here.")) from None
        enrolling.notify(enrolment, status)
    return enrolment


def enrolment_record_past(
    *,
    learner: Learner,
    run: CourseRun,
    by: AbstractBaseUser | None,
    reason: str,
    today: dt.date | None = None,
) -> Enrolment:
    """Record after the fact that the learner completed a class that has finished (a course
    taken before the system, a paper register found later). The enrolment is "completed",
    so a certificate can be issued for it. It takes no seat and sends no message.

    Raises EnrolmentError, changing nothing, without a reason, for a class that has not
    finished or was cancelled, or a learner already recorded in it."""
    reason = _reason_required(reason)
    today = today or timezone.localdate()
    with transaction.atomic():
        run = enrolling.lock_run(run.pk)
        if run.status in (RunStatus.CANCELLED, RunStatus.DRAFT):
            raise EnrolmentError(_("This class never ran, so nobody can have completed it."))
        if run.status != RunStatus.CLOSED and run.end_date >= today:
            raise EnrolmentError(
                _("This class has not finished yet. Enrol the learner late instead.")
            )
        if Enrolment.objects.filter(learner=learner, run=run, status__in=_TOOK_PART).exists():
            raise EnrolmentError(_("This learner is already recorded in this class."))
        enrolment = Enrolment(learner=learner, run=run)
        enrolling.set_status(
            enrolment,
            S.COMPLETED,
            by=by,
            reason=_("Recorded after the class finished: %(reason)s") % {"reason": reason},
        )
    return enrolment
