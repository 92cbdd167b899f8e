"""Who is slipping away: enrolled learners below their class's minimum attendance (late counts
as attended, an excused absence counts neither way) or absent
:data:`AT_RISK_ABSENCES_IN_A_ROW` or more times in a row, an excused absence not breaking the
row. The rule is :class:`AttendanceSummary`'s.

The list reads the totals each enrolment keeps (``attendance_totals``), recounted as each
register is saved, so it filters, counts and pages in the database without reading a single
mark: five years of marks cost what one term's do.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet

from courses.models import CourseRun
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.services.attendance_totals import (
    AT_RISK_ABSENCES_IN_A_ROW,
    AttendanceSummary,
    enrolment_summary,
)


def at_risk_queryset(*, runs: QuerySet[CourseRun]) -> QuerySet[Enrolment]:
    """Enrolled learners of these runs who are at risk, with learner, run and course at hand,
    ordered by class then name."""
    attended = F("marks_present") + F("marks_late")
    enrolments = Enrolment.objects.filter(run__in=runs, status=EnrolmentStatus.ENROLLED).annotate(
        att_counted=attended + F("marks_absent"),
        # Positive when the rate is below the minimum: minimum x counted > 100 x attended.
        att_shortfall=F("run__min_attendance_percent") * F("att_counted") - attended * 100,
    )
    below = Q(att_counted__gt=0, att_shortfall__gt=0)
    return (
        enrolments.filter(below | Q(absences_in_a_row__gte=AT_RISK_ABSENCES_IN_A_ROW))
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
    return AtRisk(enrolment, enrolment_summary(enrolment), enrolment.last_attended)


def at_risk_enrolments(*, runs: QuerySet[CourseRun]) -> list[AtRisk]:
    """Every learner at risk in these runs (one query however many rows): for the export."""
    return [at_risk_of(enrolment) for enrolment in at_risk_queryset(runs=runs)]
