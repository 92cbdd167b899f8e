"""Taking a seat, waiting for one, giving it up: the enrolment workflow.

Seats are the scarce thing. Every change that takes or frees a seat runs inside one
transaction that first locks the run's row (``SELECT ... FOR UPDATE``). Two learners enrolling
in the last seat at the same instant are thereby served one after the other: the second sees
the seat taken and joins the waitlist. Without the lock both would count the same free seat
and the run would be over-booked (``tests/enrolment/services/test_races.py`` shows both).
Messages go out only after the transaction commits, so nobody is told about a seat that a
rollback took back.

A freed seat is not given away: it is offered to the next person waiting, who holds it for
the run's hold time (`waitlist_promote` here; answering and expiry in `offers.py`).
"""

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.formats import local_date
from cms.roles import acting_user
from courses.choices import Level, RunMode, RunStatus
from courses.models import CourseRun
from enrolment.errors import EnrolmentError
from enrolment.models import (
    SEAT_HOLDING_STATUSES,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Learner,
    MessageKind,
)
from enrolment.services.messaging import message_queue

S = EnrolmentStatus


# --- checks -----------------------------------------------------------------------------------


def run_check_under_way(*, run: CourseRun, today: dt.date, finished: str | None = None) -> None:
    """Refuse a run nobody can join whatever its enrolment window: cancelled, finished or not
    published, saying why. `finished` replaces the message for a finished run, for a caller
    that can offer another way (late enrolment: "Record a past course instead.")."""
    if run.status == RunStatus.CANCELLED:
        raise EnrolmentError(_("This class has been cancelled."))
    if run.status == RunStatus.CLOSED or run.end_date < today:
        raise EnrolmentError(finished or _("This class has finished."))
    if run.status != RunStatus.PUBLISHED:
        raise EnrolmentError(_("This class is not open for enrolment."))


def run_check_open(*, run: CourseRun, today: dt.date) -> None:
    """Refuse a run that is not taking enrolments today, saying why: one not under way, or
    outside its enrolment window."""
    run_check_under_way(run=run, today=today)
    if run.enrolment_opens and today < run.enrolment_opens:
        raise EnrolmentError(
            _("Enrolment for this class opens on %(date)s.")
            % {"date": local_date(run.enrolment_opens, "MEDIUM_DATE_FORMAT")}
        )
    if run.enrolment_closes and today > run.enrolment_closes:
        raise EnrolmentError(_("Enrolment for this class has closed."))


def learner_check_eligible(*, learner: Learner, run: CourseRun, today: dt.date) -> None:
    """Refuse a learner the course is not for (age, English level), saying why."""
    course = run.course
    if course.minimum_age:
        age = learner.age_on(run.start_date if run.start_date > today else today)
        if age is None:
            raise EnrolmentError(
                _("This class has a minimum age. Please ask us to add your date of birth.")
            )
        if age < course.minimum_age:
            raise EnrolmentError(
                _("This class is for people aged %(age)d or over.") % {"age": course.minimum_age}
            )
    needed = course.minimum_english_level
    if needed and needed != Level.NONE and Level.rank(learner.english_level) < Level.rank(needed):
        raise EnrolmentError(
            _("This class needs English at level %(level)s or above. Ask us about a level test.")
            % {"level": Level(needed).label}
        )


# --- helpers ----------------------------------------------------------------------------------


def lock_run(run_id: int) -> CourseRun:
    """The run's row, locked until the transaction ends. Every seat change goes through here."""
    return CourseRun.objects.select_for_update().select_related("course").get(pk=run_id)


def seats_taken(run: CourseRun) -> int:
    """Seats taken or held: an offered seat waits for its learner's answer."""
    return Enrolment.objects.filter(run=run, status__in=SEAT_HOLDING_STATUSES).count()


def set_status(
    enrolment: Enrolment, status: str, *, by: AbstractBaseUser | None, reason: str = ""
) -> None:
    old = enrolment.status if enrolment.pk else ""
    now = timezone.now()
    enrolment.status = status
    if status == S.WAITLISTED:
        enrolment.waitlisted_at = now
    # The seat's time span decides which registers the learner is on.
    if status == S.ENROLLED:
        enrolment.enrolled_at = now
        enrolment.left_at = None
    elif old == S.ENROLLED and status in (S.WITHDRAWN, S.DECLINED):
        enrolment.left_at = now
    if status != S.OFFERED:
        enrolment.offer_expires_at = None  # the offer is answered, passed on or not made
    enrolment.save()
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        from_status=old,
        to_status=status,
        by=acting_user(by),
        reason=reason,
    )


def notify(enrolment: Enrolment, kind: str) -> None:
    """Tell the learner, by their channel, once this transaction commits."""
    message_queue(learner=enrolment.learner, kind=kind, context={"enrolment": enrolment})


def locked_enrolment(enrolment: Enrolment) -> tuple[Enrolment, CourseRun]:
    run = lock_run(enrolment.run_id)
    fresh = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("learner")
        .get(pk=enrolment.pk)
    )
    fresh.run = run
    return fresh, run


# --- the workflow -----------------------------------------------------------------------------


def enrolment_create(
    *,
    learner: Learner,
    run: CourseRun,
    by: AbstractBaseUser | None,
    today: dt.date | None = None,
    announce: bool = True,
    reason: str = "",
) -> Enrolment:
    """Enrol the learner: a seat if one is free, else the waitlist; an application in review mode.
    The learner is told, unless `announce` is False (a move says so in its own words). The
    `reason`, if any, is kept in the history.

    Raises EnrolmentError, changing nothing, when the run is not open, the learner is not
    eligible or already holds a place, an application or a waitlist spot in it.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        run = lock_run(run.pk)
        run_check_open(run=run, today=today)
        learner_check_eligible(learner=learner, run=run, today=today)
        current = Enrolment.objects.active().filter(learner=learner, run=run).first()
        if current is not None:
            raise EnrolmentError(already_message(current))
        if run.mode == RunMode.REVIEW:
            status = S.APPLIED
        elif seats_taken(run) < run.capacity:
            status = S.ENROLLED
        else:
            status = S.WAITLISTED
        enrolment = Enrolment(learner=learner, run=run)
        try:
            with transaction.atomic():  # the database constraint is the last word on duplicates
                set_status(enrolment, status, by=by, reason=reason)
        except IntegrityError:
            raise EnrolmentError(_("You already have a place or an application here.")) from None
        if announce:
            notify(enrolment, status)
    return enrolment


def already_message(enrolment: Enrolment) -> str:
    if enrolment.status == S.ENROLLED:
        return _("You are already enrolled in this class.")
    if enrolment.status == S.WAITLISTED:
        return _("You are already on the waitlist for this class.")
    if enrolment.status == S.OFFERED:
        return _("A seat in this class is offered to you. Answer on your page.")
    return _("You have already applied for this class.")


def waitlist_position(*, enrolment: Enrolment) -> int | None:
    """1 for the first person waiting, and so on; None if not on the waitlist."""
    if enrolment.status != S.WAITLISTED:
        return None
    return (
        Enrolment.objects.with_waitlist_position()
        .values_list("waitlist_position", flat=True)
        .get(pk=enrolment.pk)
    )


def seat_freed_reason(*, enrolment: Enrolment) -> str:
    """Why the next person waiting was offered a seat, for the history (shown to staff only):
    the learner who left is named by number, as the offer was the system's, not their act."""
    return _("A seat became free when learner L%(learner)d left %(code)s.") % {
        "learner": enrolment.learner_id,
        "code": enrolment.run.code,
    }


def waitlist_promote(
    *,
    run: CourseRun,
    by: AbstractBaseUser | None = None,
    now: dt.datetime | None = None,
    reason: str = "",
) -> list[Enrolment]:
    """Offer every free seat to the next people waiting, in the order they joined. Each holds
    the seat for the run's hold time; `offers.py` takes their answer or passes the seat on.

    `by` is whoever freed the seats on purpose (a coordinator adding seats); a seat freed by
    someone leaving is offered by the system (by=None), with that in the `reason`."""
    now = now or timezone.now()
    reason = reason or _("A seat became free.")
    with transaction.atomic():
        run = lock_run(run.pk)
        if run.status != RunStatus.PUBLISHED:
            return []
        free = run.capacity - seats_taken(run)
        if free <= 0:
            return []
        offered = list(Enrolment.objects.waitlist(run).select_for_update()[:free])
        for enrolment in offered:
            enrolment.offer_expires_at = now + dt.timedelta(hours=run.offer_hold_hours)
            set_status(enrolment, S.OFFERED, by=by, reason=reason)
            message_queue(
                learner=enrolment.learner,
                kind=MessageKind.OFFER,
                context={"enrolment": enrolment, "deadline": enrolment.offer_expires_at},
                once_key=f"offer:{enrolment.pk}",
            )
    return offered


def waitlist_promote_after_commit(*, run: CourseRun, by: AbstractBaseUser | None = None) -> None:
    """Once the change to a run commits, give its free seats to the people waiting.

    Every save of a run calls this (enrolment.apps connects it to CourseRun's post_save), so
    more seats, or a run published again, reach the waitlist whoever made the change: the
    admin, a command, an import or the shell. After the commit, so that the seats counted are
    the ones saved; waitlist_promote locks the run and finds nothing to do if no seat is free.
    """
    transaction.on_commit(lambda: waitlist_promote(run=run, by=by))


def enrolments_review(
    *,
    enrolments: Iterable[Enrolment],
    approve: bool,
    by: AbstractBaseUser | None,
    reason: str = "",
) -> list[Enrolment]:
    """Approve or decline several applications at once, all or nothing, oldest application
    first so that seats go in the order people asked. A refusal names the learner it stopped
    at and changes nothing."""
    chosen = sorted(enrolments, key=lambda enrolment: (enrolment.created_at, enrolment.pk))
    results = []
    with transaction.atomic():
        for enrolment in chosen:
            try:
                if approve:
                    results.append(enrolment_approve(enrolment=enrolment, by=by))
                else:
                    results.append(
                        enrolment_decline(enrolment=enrolment, by=by, reason=reason.strip())
                    )
            except EnrolmentError as error:
                raise EnrolmentError(
                    _("%(learner)s: %(message)s Nothing was changed.")
                    % {"learner": enrolment.learner.preferred_name, "message": error.message}
                ) from None
    return results


def enrolment_withdraw(
    *, enrolment: Enrolment, by: AbstractBaseUser | None, reason: str = ""
) -> Enrolment:
    """Leave a run (or its waitlist, or withdraw an application). A freed seat goes to the
    next person waiting."""
    with transaction.atomic():
        enrolment, run = locked_enrolment(enrolment)
        if not enrolment.is_active:
            raise EnrolmentError(_("This enrolment is no longer active."))
        held_seat = enrolment.status in SEAT_HOLDING_STATUSES
        set_status(enrolment, S.WITHDRAWN, by=by, reason=reason.strip())
        notify(enrolment, "withdrawn")
        if held_seat:
            waitlist_promote(run=run, by=None, reason=seat_freed_reason(enrolment=enrolment))
    return enrolment


def enrolment_approve(*, enrolment: Enrolment, by: AbstractBaseUser | None) -> Enrolment:
    """Accept an application: a seat if one is free, else the waitlist."""
    with transaction.atomic():
        enrolment, run = locked_enrolment(enrolment)
        if enrolment.status != S.APPLIED:
            raise EnrolmentError(_("Only applications waiting for review can be approved."))
        status = S.ENROLLED if seats_taken(run) < run.capacity else S.WAITLISTED
        set_status(enrolment, status, by=by, reason=_("Application approved."))
        notify(enrolment, status)
    return enrolment


def enrolment_decline(
    *, enrolment: Enrolment, by: AbstractBaseUser | None, reason: str
) -> Enrolment:
    """Turn down an application or a place on the waitlist, with a reason for the record."""
    if not reason.strip():
        raise EnrolmentError(_("Give a reason for declining; it is kept in the history."))
    with transaction.atomic():
        enrolment, run = locked_enrolment(enrolment)
        if enrolment.status not in (S.APPLIED, S.WAITLISTED):
            raise EnrolmentError(_("Only applications and waitlist places can be declined."))
        set_status(enrolment, S.DECLINED, by=by, reason=reason.strip())
        notify(enrolment, "declined")
    return enrolment


def enrolment_move(
    *, enrolment: Enrolment, to_run: CourseRun, by: AbstractBaseUser | None, reason: str = ""
) -> Enrolment:
    """Move a learner to another open run, of this course or another (a level change after a
    placement test), keeping the rules of both runs. Moving to another course needs a reason.

    Returns the new enrolment: enrolled if the new run has a seat, else waitlisted. The seat
    freed in the old run goes to the next person waiting there.
    """
    if to_run.pk == enrolment.run_id:
        raise EnrolmentError(_("Choose a different class to move to."))
    if to_run.course_id != enrolment.run.course_id and not reason.strip():
        raise EnrolmentError(
            _("Give a reason for moving to another course; it is kept in the history.")
        )
    with transaction.atomic():
        # Lock both runs in a fixed order so that two opposite moves cannot deadlock.
        for run_id in sorted([enrolment.run_id, to_run.pk]):
            lock_run(run_id)
        old, old_run = locked_enrolment(enrolment)
        if not old.is_active:
            raise EnrolmentError(_("This enrolment is no longer active."))
        note = reason.strip() or _("Moved to %(code)s.") % {"code": to_run.code}
        held_seat = old.status in SEAT_HOLDING_STATUSES
        set_status(old, S.WITHDRAWN, by=by, reason=note)
        new = enrolment_create(
            learner=old.learner,
            run=to_run,
            by=by,
            announce=False,
            reason=(
                _("Moved from %(code)s. %(reason)s")
                % {"code": old_run.code, "reason": reason.strip()}
            ).strip(),
        )
        notify(new, MessageKind.MOVED)
        if held_seat:
            waitlist_promote(run=old_run, by=None, reason=seat_freed_reason(enrolment=old))
    return new
