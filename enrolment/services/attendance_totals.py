"""What a learner's marks say, and the totals kept on each enrolment so that the at-risk list
reads them instead of counting five years of marks.

Each enrolment stores its marks counted by status, its current run of absences and the last
day attended. :func:`enrolment_attendance_refresh` recounts them from the marks, and every
writer of marks calls it in the same transaction: saving a register (``register_mark``) and
moving a marked session, which can change the order of the marks. A mark changed any other
way (the shell, a fix in SQL) needs :func:`enrolment_attendance_refresh` for its enrolment.
The rule is :class:`AttendanceSummary`'s: late counts as attended, an excused absence counts
neither way and does not break a run of absences.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from courses.models import CourseRun, Session
from enrolment.models import Attendance, AttendanceStatus, Enrolment

AT_RISK_ABSENCES_IN_A_ROW = 3
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
# The stored totals, as the fields of Enrolment that hold them.
TOTAL_FIELDS = [
    "marks_present",
    "marks_late",
    "marks_excused",
    "marks_absent",
    "absences_in_a_row",
    "last_attended",
]


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
    marks = _marks_in_order(list(enrolment_ids))
    return {pk: _summarise(status for status, _day in own) for pk, own in marks.items()}


def attendance_summary(*, marks: QuerySet[Attendance]) -> AttendanceSummary:
    """Marks counted together (one aggregate query); `.percent` is their rate."""
    counts = marks.aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in AttendanceStatus.values}
    )
    return AttendanceSummary(**counts)


def run_attendance_summary(*, run: CourseRun) -> AttendanceSummary:
    """The run's marks counted together; `.percent` is its rate."""
    return attendance_summary(marks=Attendance.objects.filter(session__run=run))


def marks_totals(marks: Sequence[tuple[str, dt.date]]) -> dict[str, object]:
    """The stored totals of an enrolment with these marks ((status, session date), in session
    order), as Enrolment's field values."""
    summary = _summarise(status for status, _day in marks)
    attended = [day for status, day in marks if status in ATTENDED]
    values = (summary.present, summary.late, summary.excused, summary.absent)
    last_attended = attended[-1] if attended else None
    return dict(zip(TOTAL_FIELDS, (*values, summary.absences_in_a_row, last_attended), strict=True))


def enrolment_summary(enrolment: Enrolment) -> AttendanceSummary:
    """An enrolment's stored totals as an :class:`AttendanceSummary`."""
    return AttendanceSummary(
        present=enrolment.marks_present,
        late=enrolment.marks_late,
        excused=enrolment.marks_excused,
        absent=enrolment.marks_absent,
        absences_in_a_row=enrolment.absences_in_a_row,
    )


def enrolment_attendance_refresh(*, enrolment_ids: Iterable[int]) -> int:
    """Recount these enrolments' stored totals from their marks (three queries however many);
    returns how many were stored.

    The enrolments are locked first, in key order, so two writers at once (two registers of
    one class, a session moved while its class's register is saved) recount one after the
    other: the second reads the first one's marks once it has committed. Without the lock
    each would count only its own new marks and the last to write would leave the other's
    out (tests/enrolment/services/test_attendance_totals_races.py).
    """
    ids = sorted(set(enrolment_ids))
    if not ids:
        return 0
    with transaction.atomic():
        enrolments = _locked_enrolments(ids)
        marks = _marks_in_order(ids)
        for enrolment in enrolments:
            for field, value in marks_totals(marks[enrolment.pk]).items():
                setattr(enrolment, field, value)
        Enrolment.objects.bulk_update(enrolments, TOTAL_FIELDS)
    return len(enrolments)


def session_attendance_refresh(*, session: Session) -> int:
    """Recount the totals of everyone marked at this session (after it moved)."""
    marked = Attendance.objects.filter(session=session).values_list("enrolment_id", flat=True)
    return enrolment_attendance_refresh(enrolment_ids=list(marked))


def _locked_enrolments(ids: list[int]) -> list[Enrolment]:
    return list(Enrolment.objects.select_for_update().filter(pk__in=ids).order_by("pk").only("pk"))


def _marks_in_order(ids: list[int]) -> dict[int, list[tuple[str, dt.date]]]:
    """Each enrolment's marks as (status, session date), in session order."""
    rows = (
        Attendance.objects.filter(enrolment_id__in=ids)
        .order_by("enrolment_id", "session__date", "session__start_time", "session_id")
        .values_list("enrolment_id", "status", "session__date")
    )
    marks: dict[int, list[tuple[str, dt.date]]] = {pk: [] for pk in ids}
    for enrolment_id, status, day in rows:
        marks[enrolment_id].append((status, day))
    return marks
