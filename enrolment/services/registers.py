"""Registers: who is on a session's register, marking it in one go, and what the marks say.

A register lists the learners who held a seat when the session took place: someone who
enrolled afterwards or had already withdrawn is not on it. Saving a register is idempotent
and costs the same few queries for 4 learners or 40 (bulk writes); a mark that changes later
keeps its old value in AttendanceChange.

Two people may mark the same register: a teacher in class, a coordinator correcting it from a
phone call. Whoever saves says which version of each mark they were shown; a mark that changed
since, to something else than what they send, is a colleague's newer mark: it is kept and
reported back, never silently overwritten.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cms.formats import local_date
from cms.validators import text_refusal
from courses.choices import RunStatus, SessionStatus
from courses.models import CourseRun, Session
from enrolment import access
from enrolment.errors import RegisterError
from enrolment.models import Attendance, AttendanceChange, AttendanceStatus, Enrolment
from enrolment.services.attendance_totals import enrolment_attendance_refresh
from enrolment.services.class_notices import absence_alerts_queue

NOTE_MAX = 200


@dataclass(frozen=True)
class Mark:
    status: str
    note: str = ""
    # The version of the saved mark the person was shown, 0 when it was not marked yet; None
    # when the caller has no such knowledge and overwrites (the demo's history).
    seen: int | None = None


@dataclass(frozen=True)
class RegisterLine:
    enrolment: Enrolment
    attendance: Attendance | None


@dataclass(frozen=True)
class KeptMark:
    """A colleague's mark, newer than what the person saving was shown, and so kept."""

    name: str  # the learner's preferred name
    attendance: Attendance  # as it stays, with marked_by
    wanted: Mark  # what the person tried to save

    def __str__(self) -> str:
        mark = self.attendance
        values = {
            "name": self.name,
            "status": mark.get_status_display(),
            "note": mark.note,
            "who": (mark.marked_by.get_full_name() or mark.marked_by.username)
            if mark.marked_by
            else _("someone"),
            "when": _when(mark.marked_at),
        }
        if mark.note:
            return _("%(name)s: kept %(status)s (%(note)s), changed by %(who)s %(when)s.") % values
        return _("%(name)s: kept %(status)s, changed by %(who)s %(when)s.") % values


def _when(moment: dt.datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return _("at %(time)s") % {"time": date_format(local, "H:i")}
    return _("on %(date)s") % {"date": local_date(local, "MEDIUM_DATETIME_FORMAT")}


@dataclass(frozen=True)
class RegisterResult:
    created: int
    changed: int
    unchanged: int
    kept: tuple[KeptMark, ...] = ()


def session_starts_at(session: Session) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(session.date, session.start_time))


def session_ends_at(session: Session) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(session.date, session.end_time))


def session_has_started(session: Session, *, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) >= session_starts_at(session)


# --- the register -----------------------------------------------------------------------------


def register_enrolments(*, session: Session) -> QuerySet[Enrolment]:
    """The enrolments on this session's register, in name order.

    Those who held a seat at the time of the session, and anyone already marked for it (so a
    mark never vanishes from the register that holds it).
    """
    held_seat = Q(enrolled_at__isnull=False, enrolled_at__lt=session_ends_at(session)) & (
        Q(left_at__isnull=True) | Q(left_at__gt=session_starts_at(session))
    )
    already_marked = Exists(Attendance.objects.filter(session=session, enrolment=OuterRef("pk")))
    return (
        Enrolment.objects.filter(run_id=session.run_id)
        .filter(held_seat | already_marked)
        .select_related("learner")
        .order_by("learner__preferred_name", "pk")
    )


def held_seat(enrolment: Enrolment, *, session: Session) -> bool:
    """Whether the enrolment held a seat at the session: register_enrolments' rule, in Python,
    for checking a whole run's sessions at once (a paper register) without a query each."""
    if enrolment.enrolled_at is None or enrolment.enrolled_at >= session_ends_at(session):
        return False
    return enrolment.left_at is None or enrolment.left_at > session_starts_at(session)


def register_lines(*, session: Session) -> list[RegisterLine]:
    marks = {
        a.enrolment_id: a
        for a in Attendance.objects.filter(session=session).select_related("marked_by")
    }
    return [
        RegisterLine(enrolment=enrolment, attendance=marks.get(enrolment.pk))
        for enrolment in register_enrolments(session=session)
    ]


def register_check_can_mark(
    *, user: AbstractBaseUser, session: Session, now: dt.datetime | None = None
) -> None:
    """Refuse, saying why, a register this user may not mark now."""
    if session.status == SessionStatus.CANCELLED:
        raise RegisterError(_("This session was cancelled; there is no register to take."))
    if access.is_coordinator(user):
        return  # coordinators may correct any register, at any time
    if not access.can_mark_register(user, session):
        raise RegisterError(_("Only the class's teachers can take this register."))
    if not session_has_started(session, now=now):
        raise RegisterError(_("You can take the register once the class has started."))


def register_mark(
    *,
    session: Session,
    marks: Mapping[int, Mark],
    by: AbstractBaseUser,
    now: dt.datetime | None = None,
    seen_at: dt.datetime | None = None,
) -> RegisterResult:
    """Save the marks of a session's register (enrolment id -> Mark) all together.

    Refuses the whole register, saving nothing, if any mark is for someone not on it or has a
    status that is not present, late, excused or absent. Saving the same marks again changes
    nothing; a changed mark keeps its old value in the change history.

    A saved mark newer than what the person was shown (its version is not `Mark.seen`, or it
    was saved after `seen_at`, when a paper sheet was downloaded) is kept when they send
    something else, and returned in `kept`; the other marks are saved.
    """
    now = now or timezone.now()
    bad = sorted({mark.status for mark in marks.values()} - set(AttendanceStatus.values))
    if bad:
        raise RegisterError(
            _("“%(status)s” is not a register mark. Use present, late, excused or absent.")
            % {"status": bad[0]}
        )
    for mark in marks.values():
        if refusal := text_refusal(mark.note):
            raise RegisterError(_("A note: %(refusal)s") % {"refusal": refusal})
    with transaction.atomic():
        # One register save at a time per session: two teachers saving at once must not both
        # create the same marks.
        session = _locked_session(session.pk)
        register_check_can_mark(user=by, session=session, now=now)
        on_register = set(register_enrolments(session=session).values_list("pk", flat=True))
        if strangers := set(marks) - on_register:
            raise RegisterError(
                _("Learner %(id)s is not on this register. Reload the page and try again.")
                % {"id": min(strangers)}
            )
        existing = {a.enrolment_id: a for a in _marks_for_update(session)}
        created, changed, changes, kept = [], [], [], []
        for enrolment_id, mark in marks.items():
            note = mark.note.strip()[:NOTE_MAX]
            current = existing.get(enrolment_id)
            if current is not None and (current.status, current.note) != (mark.status, note):
                newer = mark.seen is not None and current.version != mark.seen
                if newer or (seen_at is not None and current.marked_at > seen_at):
                    kept.append((current, mark))
                    continue
            if current is None:
                created.append(
                    Attendance(
                        enrolment_id=enrolment_id,
                        session=session,
                        status=mark.status,
                        note=note,
                        marked_by=by,
                        marked_at=now,
                    )
                )
            elif (current.status, current.note) != (mark.status, note):
                changes.append(
                    AttendanceChange(
                        attendance=current,
                        from_status=current.status,
                        to_status=mark.status,
                        from_note=current.note,
                        to_note=note,
                        by=by,
                        at=now,
                    )
                )
                current.status, current.note = mark.status, note
                current.marked_by, current.marked_at = by, now
                current.version += 1
                changed.append(current)
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(
            changed, ["status", "note", "marked_by", "marked_at", "version"]
        )
        AttendanceChange.objects.bulk_create(changes)
        absent = [
            a.enrolment_id for a in (*created, *changed) if a.status == AttendanceStatus.ABSENT
        ]
        enrolment_attendance_refresh(enrolment_ids=[a.enrolment_id for a in (*created, *changed)])
        absence_alerts_queue(run=session.run, enrolment_ids=absent)
    return RegisterResult(
        created=len(created),
        changed=len(changed),
        unchanged=len(marks) - len(created) - len(changed) - len(kept),
        kept=_kept_marks(kept),
    )


def _locked_session(pk: int) -> Session:
    return Session.objects.select_for_update().select_related("run").get(pk=pk)


def _marks_for_update(session: Session) -> list[Attendance]:
    """The session's marks, locked until the save commits: what is compared is what is
    overwritten, even by a writer that does not take the session's lock first."""
    return list(Attendance.objects.select_for_update().filter(session=session))


def _kept_marks(kept: list[tuple[Attendance, Mark]]) -> tuple[KeptMark, ...]:
    if not kept:
        return ()
    learners = dict(
        Enrolment.objects.filter(pk__in=[a.enrolment_id for a, _mark in kept]).values_list(
            "pk", "learner__preferred_name"
        )
    )
    users = {
        user.pk: user
        for user in get_user_model().objects.filter(pk__in={a.marked_by_id for a, _mark in kept})
    }
    for attendance, _mark in kept:
        attendance.marked_by = users.get(attendance.marked_by_id)
    return tuple(
        KeptMark(name=learners[a.enrolment_id], attendance=a, wanted=mark)
        for a, mark in sorted(kept, key=lambda pair: learners[pair[0].enrolment_id])
    )


# --- registers nobody took ---------------------------------------------------------------


def someone_seated() -> Exists:
    """For sessions: someone held a seat that day (precise enough for a reminder)."""
    seated = Enrolment.objects.filter(
        run=OuterRef("run"), enrolled_at__date__lte=OuterRef("date")
    ).filter(Q(left_at__isnull=True) | Q(left_at__date__gte=OuterRef("date")))
    return Exists(seated)


def is_marked() -> Exists:
    """For a session queryset: at least one mark on its register."""
    return Exists(Attendance.objects.filter(session=OuterRef("pk")))


def registers_not_taken(
    *,
    user: AbstractBaseUser,
    now: dt.datetime | None = None,
    since: dt.date | None = None,
    runs: QuerySet[CourseRun] | None = None,
) -> QuerySet[Session]:
    """Started, not cancelled sessions of published runs (of ``runs`` if given) with no mark
    yet, oldest first. A session nobody held a seat at has an empty register that can never
    be taken: left out."""
    now = timezone.localtime(now or timezone.now())
    user_sessions = access.sessions_for_user(user)
    if runs is not None:
        # The runs' ids are read first (one short query): as a list they let the database
        # start from those runs' sessions. As a subquery PostgreSQL looked for a missing
        # mark in every session back to the first, five years of them, and joined the runs
        # last.
        user_sessions = user_sessions.filter(run_id__in=list(runs.values_list("pk", flat=True)))
    started = Q(date__lt=now.date()) | Q(date=now.date(), start_time__lte=now.time())
    sessions = (
        user_sessions.filter(
            started, status=SessionStatus.SCHEDULED, run__status=RunStatus.PUBLISHED
        )
        .filter(someone_seated())
        .exclude(is_marked())
        .order_by("date", "start_time", "pk")
    )
    return sessions.filter(date__gte=since) if since else sessions
