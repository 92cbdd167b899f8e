"""Registers: who is on a session's register, marking it in one go, and what the marks say.

A register lists the learners who held a seat when the session took place: someone who
enrolled afterwards or had already withdrawn is not on it. Saving a register is idempotent
and costs the same few queries for 4 learners or 40 (bulk writes); a mark that changes later
keeps its old value in AttendanceChange.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.validators import text_refusal
from courses.choices import RunStatus, SessionStatus
from courses.models import CourseRun, Session
from enrolment import access
from enrolment.errors import RegisterError
from enrolment.models import Attendance, AttendanceChange, AttendanceStatus, Enrolment

NOTE_MAX = 200
AT_RISK_ABSENCES_IN_A_ROW = 3


@dataclass(frozen=True)
class Mark:
    status: str
    note: str = ""


@dataclass(frozen=True)
class RegisterLine:
    enrolment: Enrolment
    attendance: Attendance | None


@dataclass(frozen=True)
class RegisterResult:
    created: int
    changed: int
    unchanged: int


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
) -> RegisterResult:
    """Save the marks of a session's register (enrolment id -> Mark) all together.

    Refuses the whole register, saving nothing, if any mark is for someone not on it or has a
    status that is not present, late, excused or absent. Saving the same marks again changes
    nothing; a changed mark keeps its old value in the change history.
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
        session = Session.objects.select_for_update().select_related("run").get(pk=session.pk)
        register_check_can_mark(user=by, session=session, now=now)
        on_register = set(register_enrolments(session=session).values_list("pk", flat=True))
        if strangers := set(marks) - on_register:
            raise RegisterError(
                _("Learner %(id)s is not on this register. Reload the page and try again.")
                % {"id": min(strangers)}
            )
        existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
        created, changed, changes = [], [], []
        for enrolment_id, mark in marks.items():
            note = mark.note.strip()[:NOTE_MAX]
            current = existing.get(enrolment_id)
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
                changed.append(current)
        Attendance.objects.bulk_create(created)
        Attendance.objects.bulk_update(changed, ["status", "note", "marked_by", "marked_at"])
        AttendanceChange.objects.bulk_create(changes)
    return RegisterResult(
        created=len(created),
        changed=len(changed),
        unchanged=len(marks) - len(created) - len(changed),
    )


# --- what the marks say -----------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceSummary:
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    absences_in_a_row: int = 0

    @property
    def counted(self) -> int:
        """Sessions that count towards the rate: an excused absence counts neither way."""
        return self.present + self.late + self.absent

    @property
    def rate(self) -> float | None:
        """Share of counted sessions attended (late counts as attended); None before any."""
        return (self.present + self.late) / self.counted if self.counted else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(self.rate * 100)

    def is_at_risk(self, *, minimum_percent: int) -> bool:
        below = self.rate is not None and self.rate * 100 < minimum_percent
        return below or self.absences_in_a_row >= AT_RISK_ABSENCES_IN_A_ROW


def _summarise(statuses: Iterable[str]) -> AttendanceSummary:
    counts = dict.fromkeys(AttendanceStatus.values, 0)
    in_a_row = 0
    for status in statuses:  # in session order
        counts[status] += 1
        if status == AttendanceStatus.ABSENT:
            in_a_row += 1
        elif status != AttendanceStatus.EXCUSED:  # an excused absence does not break a streak
            in_a_row = 0
    return AttendanceSummary(**counts, absences_in_a_row=in_a_row)


def attendance_summaries(*, enrolment_ids: Iterable[int]) -> dict[int, AttendanceSummary]:
    """Each enrolment's attendance, from one query however many enrolments."""
    ids = list(enrolment_ids)
    rows = (
        Attendance.objects.filter(enrolment_id__in=ids)
        .order_by("enrolment_id", "session__date", "session__start_time")
        .values_list("enrolment_id", "status")
    )
    by_enrolment: dict[int, list[str]] = {pk: [] for pk in ids}
    for enrolment_id, status in rows:
        by_enrolment[enrolment_id].append(status)
    return {pk: _summarise(statuses) for pk, statuses in by_enrolment.items()}


def attendance_summary(*, marks: QuerySet[Attendance]) -> AttendanceSummary:
    """Marks counted together (one aggregate query); `.percent` is their rate."""
    counts = marks.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in AttendanceStatus.values}
    )
    return AttendanceSummary(**counts)


def run_attendance_summary(*, run: CourseRun) -> AttendanceSummary:
    """The run's marks counted together; `.percent` is its rate."""
    return attendance_summary(marks=Attendance.objects.filter(session__run=run))


@dataclass(frozen=True)
class AtRisk:
    enrolment: Enrolment
    summary: AttendanceSummary


def at_risk_enrolments(*, runs: QuerySet[CourseRun]) -> list[AtRisk]:
    """Learners slipping away: below their run's minimum attendance, or absent 3+ in a row."""
    enrolments = list(
        Enrolment.objects.filter(run__in=runs, status="enrolled")
        .select_related("learner", "run", "run__course")
        .order_by("run__code", "learner__preferred_name")
    )
    summaries = attendance_summaries(enrolment_ids=[e.pk for e in enrolments])
    return [
        AtRisk(enrolment=e, summary=summaries[e.pk])
        for e in enrolments
        if summaries[e.pk].is_at_risk(minimum_percent=e.run.min_attendance_percent)
    ]


def registers_not_taken(
    *, user: AbstractBaseUser, now: dt.datetime | None = None, since: dt.date | None = None
) -> QuerySet[Session]:
    """Started, not cancelled sessions of published runs with no mark yet, oldest first.

    A session nobody held a seat at has an empty register that can never be taken; it is
    left out (judged by the day, which is precise enough for a reminder).
    """
    now = timezone.localtime(now or timezone.now())
    started = Q(date__lt=now.date()) | Q(date=now.date(), start_time__lte=now.time())
    someone_seated = Enrolment.objects.filter(
        run=OuterRef("run"), enrolled_at__date__lte=OuterRef("date")
    ).filter(Q(left_at__isnull=True) | Q(left_at__date__gte=OuterRef("date")))
    sessions = (
        access.sessions_for_user(user)
        .filter(started, status=SessionStatus.SCHEDULED, run__status=RunStatus.PUBLISHED)
        .filter(Exists(someone_seated))
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .order_by("date", "start_time", "pk")
    )
    return sessions.filter(date__gte=since) if since else sessions
