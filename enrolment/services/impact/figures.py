"""The report's headline figures, each one an aggregate computed by the database: a fixed
number of queries however many learners, sessions and marks the period holds.

Choices made here (the report's notes say them to the reader):
- new learners took their first seat ever in a run starting within the period; returning
  learners had taken a seat in a run that started before it;
- a session was held when it was not cancelled and its register has a mark; contact hours
  are each present or late mark times its session's length; the attendance rate is present
  and late over present, late and absent (an excused absence counts neither way, as on the
  registers);
- completions are enrolments completed in runs ending within the period; placements
  completed are those of vocational training courses (the "vocational" programme);
- the funding gap is the funding list's (enrolment/services/funding.py) for the school year
  the period ends in.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
)

from courses.choices import SessionStatus
from enrolment.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Enrolment,
    EnrolmentStatus,
    ProgressReport,
    Qualification,
    QualificationKind,
)
from enrolment.models.schools import school_year_of
from enrolment.services.funding import funding_for_year
from enrolment.services.impact.scope import (
    TOOK_A_SEAT,
    ImpactScope,
    scope_enrolments,
    scope_sponsorships,
    served_enrolments,
    served_learners,
)
from enrolment.services.qualifications import GED_PASS, GED_SUBJECTS

# The programme (category) whose courses are vocational placements, by its slug, which is
# the same in every language.
VOCATIONAL_CATEGORY_SLUG = "vocational"
ATTENDED = [AttendanceStatus.PRESENT, AttendanceStatus.LATE]


@dataclass(frozen=True)
class Figures:
    learners_served: int
    new_learners: int
    returning_learners: int
    sessions_held: int
    contact_hours: Decimal
    attendance_rate: float | None
    completions: int
    placements_completed: int
    certificates_issued: int
    ged_subjects_passed: int
    ged_diplomas: int
    children_sponsored: int
    school_attendance_percent: float | None
    funding_gap: Decimal
    funding_school_year: int
    interpreter_learners: int
    childcare_learners: int
    childcare_places: int
    transport_learners: int
    transport_amount: Decimal


def _learners(scope: ImpactScope) -> dict:
    earlier = Enrolment.objects.filter(
        TOOK_A_SEAT, learner=OuterRef("pk"), run__start_date__lt=scope.period.start
    )
    # Two counts rather than one aggregate filtered on an annotation: SQLite's aggregate
    # over an EXISTS annotation counted none.
    learners = served_learners(scope)
    return {"served": learners.count(), "returning": learners.filter(Exists(earlier)).count()}


def _registers(scope: ImpactScope) -> dict:
    marks = Attendance.objects.filter(
        enrolment__in=scope_enrolments(scope),
        session__date__range=(scope.period.start, scope.period.end),
    ).exclude(session__status=SessionStatus.CANCELLED)
    attended = Q(status__in=ATTENDED)
    length = ExpressionWrapper(
        F("session__end_time") - F("session__start_time"), output_field=DurationField()
    )
    return marks.aggregate(
        sessions=Count("session", distinct=True),
        attended=Count("pk", filter=attended),
        counted=Count("pk", filter=~Q(status=AttendanceStatus.EXCUSED)),
        contact=Sum(length, filter=attended),
        transport=Sum(
            "session__run__transport_per_session",
            filter=attended & Q(enrolment__transport_reimbursed=True),
        ),
    )


def _outcomes(scope: ImpactScope) -> dict:
    start, end = scope.period.start, scope.period.end
    completed = Q(status=EnrolmentStatus.COMPLETED)
    outcomes = (
        scope_enrolments(scope)
        .filter(run__end_date__range=(start, end))
        .aggregate(
            completions=Count("pk", filter=completed),
            placements=Count(
                "pk",
                filter=completed & Q(run__course__category__slug=VOCATIONAL_CATEGORY_SLUG),
            ),
        )
    )
    outcomes["certificates"] = (
        Certificate.objects.valid()
        .filter(
            enrolment__in=scope_enrolments(scope),
            issued_at__gte=scope.period.starts_at,
            issued_at__lt=scope.period.ends_before,
        )
        .count()
    )
    outcomes.update(
        qualifications_in_scope(scope).aggregate(
            ged_diplomas=Count("pk", filter=Q(kind=QualificationKind.GED, passed=True)),
            **{
                f"ged_{subject}": Count(
                    "pk",
                    filter=Q(kind=QualificationKind.GED, **{f"scores__{subject}__gte": GED_PASS}),
                )
                for subject in GED_SUBJECTS
            },
        )
    )
    outcomes["ged_subjects"] = sum(outcomes.pop(f"ged_{subject}") for subject in GED_SUBJECTS)
    return outcomes


def qualifications_in_scope(scope: ImpactScope):
    """Results taken in the period; with a filter, those of learners the filter selects."""
    qualifications = Qualification.objects.filter(
        taken_on__range=(scope.period.start, scope.period.end)
    )
    if scope.narrowed_to_courses or scope.sponsor is not None:
        qualifications = qualifications.filter(
            learner__in=scope_enrolments(scope).values("learner_id")
        )
    return qualifications


def _support(scope: ImpactScope) -> dict:
    return served_enrolments(scope).aggregate(
        interpreter=Count("learner", filter=~Q(interpreter_language=""), distinct=True),
        childcare=Count("learner", filter=Q(childcare_children__gt=0), distinct=True),
        places=Sum("childcare_children"),
        transport=Count("learner", filter=Q(transport_reimbursed=True), distinct=True),
    )


def _children(scope: ImpactScope) -> dict:
    children = scope_sponsorships(scope).values("child_id")
    first_year, last_year = school_year_of(scope.period.start), school_year_of(scope.period.end)
    school = ProgressReport.objects.filter(
        child__in=children,
        school_year__range=(first_year, last_year),
        school_attendance_percent__isnull=False,
    ).aggregate(percent=Avg("school_attendance_percent"))
    sponsored = scope_sponsorships(scope).aggregate(n=Count("child", distinct=True))["n"]
    # The funding list's own rules (payment dates, costs), for the children in scope.
    ids = None
    if scope.sponsor is not None:
        ids = set(scope_sponsorships(scope).values_list("child_id", flat=True))
    rows = funding_for_year(school_year=last_year, children=ids)
    return {
        "sponsored": sponsored,
        "school_percent": school["percent"],
        "gap": sum((row.gap for row in rows), Decimal(0)),
        "school_year": last_year,
    }


def hours_of(duration: dt.timedelta | None) -> Decimal:
    if not duration:
        return Decimal(0)
    return (Decimal(duration.total_seconds()) / 3600).quantize(Decimal("0.1"))


def figures_compute(*, scope: ImpactScope) -> Figures:
    learners = _learners(scope)
    registers = _registers(scope)
    outcomes = _outcomes(scope)
    support = _support(scope)
    children = _children(scope)
    return Figures(
        learners_served=learners["served"],
        new_learners=learners["served"] - learners["returning"],
        returning_learners=learners["returning"],
        sessions_held=registers["sessions"],
        contact_hours=hours_of(registers["contact"]),
        attendance_rate=(
            registers["attended"] / registers["counted"] if registers["counted"] else None
        ),
        completions=outcomes["completions"],
        placements_completed=outcomes["placements"],
        certificates_issued=outcomes["certificates"],
        ged_subjects_passed=outcomes["ged_subjects"],
        ged_diplomas=outcomes["ged_diplomas"],
        children_sponsored=children["sponsored"],
        school_attendance_percent=children["school_percent"],
        funding_gap=children["gap"],
        funding_school_year=children["school_year"],
        interpreter_learners=support["interpreter"],
        childcare_learners=support["childcare"],
        childcare_places=support["places"] or 0,
        transport_learners=support["transport"],
        transport_amount=registers["transport"] or Decimal(0),
    )
