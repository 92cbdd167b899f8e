"""Who is slipping away, decided in the database: each enrolment's attendance counts and
current run of absences are correlated subqueries, so the at-risk list filters, counts and
pages in SQL. Five years of marks cost the same as one term's: only the enrolments of the
chosen runs are looked at, each through the index on its marks.

The rule is the one :class:`AttendanceSummary` states in Python (the learner's own page uses
that): below the run's minimum (late counts as attended, an excused absence counts neither
way) or absent :data:`AT_RISK_ABSENCES_IN_A_ROW` or more times in a row, an excused absence not
breaking the row. Runs the same on SQLite and PostgreSQL.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TimeField,
    Value,
)
from django.db.models.functions import Coalesce

from courses.models import CourseRun
from enrolment.models import Attendance, AttendanceStatus, Enrolment, EnrolmentStatus
from enrolment.services.registers import AT_RISK_ABSENCES_IN_A_ROW, AttendanceSummary

ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
# Before any session: someone who never attended has every absence in their row.
BEFORE_ANY_SESSION = (dt.date(1900, 1, 1), dt.time(0, 0))


def _marks(**filters: object) -> QuerySet[Attendance]:
    return Attendance.objects.filter(enrolment=OuterRef("pk"), **filters)


def _count(marks: QuerySet[Attendance]) -> Coalesce:
    counted = marks.order_by().values("enrolment_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_attendance(enrolments: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate each enrolment with its marks counted by status (``att_present``,
    ``att_late``, ``att_excused``, ``att_absent``), the last day attended
    (``last_attended``) and its current run of absences (``att_in_a_row``)."""
    last = _marks(status__in=ATTENDED).order_by(
        "-session__date", "-session__start_time", "-session_id"
    )
    first_date, first_time = BEFORE_ANY_SESSION
    enrolments = enrolments.annotate(
        last_attended=Subquery(last.values("session__date")[:1], output_field=DateField()),
        att_row_date=Coalesce(F("last_attended"), Value(first_date), output_field=DateField()),
        att_row_time=Coalesce(
            Subquery(last.values("session__start_time")[:1]),
            Value(first_time),
            output_field=TimeField(),
        ),
        **{f"att_{status}": _count(_marks(status=status)) for status in AttendanceStatus.values},
    )
    # Absences after the last session attended; an excused absence is neither, so it neither
    # counts nor breaks the row.
    in_a_row = _marks(status=AttendanceStatus.ABSENT).filter(
        Q(session__date__gt=OuterRef("att_row_date"))
        | Q(
            session__date=OuterRef("att_row_date"),
            session__start_time__gt=OuterRef("att_row_time"),
        )
    )
    return enrolments.annotate(att_in_a_row=_count(in_a_row))


def at_risk_queryset(*, runs: QuerySet[CourseRun]) -> QuerySet[Enrolment]:
    """Enrolled learners of these runs who are at risk, with :func:`with_attendance`'s
    figures, learner, run and course at hand, ordered by class then name."""
    enrolments = with_attendance(
        Enrolment.objects.filter(run__in=runs, status=EnrolmentStatus.ENROLLED)
    ).annotate(
        att_counted=F("att_present") + F("att_late") + F("att_absent"),
        # Positive when the rate is below the minimum: minimum x counted > 100 x attended.
        att_shortfall=F("run__min_attendance_percent") * F("att_counted")
        - (F("att_present") + F("att_late")) * 100,
    )
    below = Q(att_counted__gt=0, att_shortfall__gt=0)
    return (
        enrolments.filter(below | Q(att_in_a_row__gte=AT_RISK_ABSENCES_IN_A_ROW))
        .select_related("learner", "run", "run__course")
        .order_by("run__code", "learner__preferred_name", "pk")
    )


@dataclass(frozen=True)
class AtRisk:
    enrolment: Enrolment
    summary: AttendanceSummary
    last_attended: dt.date | None

    @property
    def below_minimum(self) -> bool:
        rate = self.summary.rate
        return rate is not None and rate * 100 < self.enrolment.run.min_attendance_percent


def at_risk_of(enrolment: Enrolment) -> AtRisk:
    """A row of :func:`at_risk_queryset` with its figures as an :class:`AttendanceSummary`."""
    summary = AttendanceSummary(
        present=enrolment.att_present,
        late=enrolment.att_late,
        excused=enrolment.att_excused,
        absent=enrolment.att_absent,
        absences_in_a_row=enrolment.att_in_a_row,
    )
    return AtRisk(enrolment, summary, enrolment.last_attended)


def at_risk_enrolments(*, runs: QuerySet[CourseRun]) -> list[AtRisk]:
    """Every learner at risk in these runs (one query however many rows): for the export."""
    return [at_risk_of(enrolment) for enrolment in at_risk_queryset(runs=runs)]
