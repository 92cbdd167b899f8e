"""What an impact report is about: a period (a month, a quarter, a school year or any dates)
and optional filters, and the enrolments those select.

Definitions every figure shares:
- A learner is *served* in the period when they took a seat (an enrolment that was enrolled,
  completed or not completed, or withdrawn after taking a seat) in a run that overlaps the
  period, and had not left before it began nor joined after it ended.
- The funder filter narrows every figure to the children that sponsor supports in the period;
  the programme, partner and course filters narrow the learning figures (sponsorships belong
  to no course).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from courses.choices import RunStatus
from courses.models import Category, CoursePage, Partner
from enrolment.models import Enrolment, EnrolmentStatus, Learner, Sponsor, Sponsorship
from enrolment.models.schools import school_year_bounds, school_year_label

# Took a seat: the status says so, or a withdrawal after enrolled_at was set.
TOOK_A_SEAT = Q(enrolled_at__isnull=False) | Q(
    status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED]
)
QUARTER_MONTHS = {1: (1, 3), 2: (4, 6), 3: (7, 9), 4: (10, 12)}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    @property
    def starts_at(self) -> dt.datetime:
        """The first moment of the period in Hong Kong: timestamps compare with it as they
        are stored (no per-row date conversion, which SQLite runs in Python)."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def ends_before(self) -> dt.datetime:
        """The first moment after the period."""
        return timezone.make_aware(
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min)
        )


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_of_month(*, year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    return Period(start, _month_end(year, month), date_format(start, "YEAR_MONTH_FORMAT"))


def period_of_quarter(*, year: int, quarter: int) -> Period:
    first, last = QUARTER_MONTHS[quarter]
    start, end = dt.date(year, first, 1), _month_end(year, last)
    label = _("%(first)s to %(last)s") % {
        "first": date_format(start, "YEAR_MONTH_FORMAT"),
        "last": date_format(end, "YEAR_MONTH_FORMAT"),
    }
    return Period(start, end, label)


def period_of_school_year(*, year: int) -> Period:
    start, end = school_year_bounds(year)
    return Period(start, end, _("School year %(year)s") % {"year": school_year_label(year)})


def period_of_dates(*, start: dt.date, end: dt.date) -> Period:
    label = _("%(start)s to %(end)s") % {
        "start": date_format(start, "DATE_FORMAT"),
        "end": date_format(end, "DATE_FORMAT"),
    }
    return Period(start, end, label)


@dataclass(frozen=True)
class ImpactScope:
    period: Period
    category: Category | None = None
    partner: Partner | None = None
    course: CoursePage | None = None
    sponsor: Sponsor | None = None

    @property
    def narrowed_to_courses(self) -> bool:
        return bool(self.category or self.partner or self.course)


def scope_sponsorships(scope: ImpactScope) -> QuerySet[Sponsorship]:
    """The sponsorships running in the period (the funder's only, when one is chosen)."""
    sponsorships = Sponsorship.objects.overlapping(scope.period.start, scope.period.end)
    if scope.sponsor is not None:
        sponsorships = sponsorships.filter(sponsor=scope.sponsor)
    return sponsorships


def scope_enrolments(scope: ImpactScope) -> QuerySet[Enrolment]:
    """Every enrolment the filters select, at any time (the period is applied per figure)."""
    enrolments = Enrolment.objects.exclude(run__status=RunStatus.CANCELLED)
    if scope.category is not None:
        enrolments = enrolments.filter(run__course__category=scope.category)
    if scope.partner is not None:
        enrolments = enrolments.filter(run__course__partner=scope.partner)
    if scope.course is not None:
        enrolments = enrolments.filter(run__course=scope.course)
    if scope.sponsor is not None:
        enrolments = enrolments.filter(learner__in=scope_sponsorships(scope).values("child_id"))
    return enrolments


def served_enrolments(scope: ImpactScope) -> QuerySet[Enrolment]:
    """The enrolments through which learners were served in the period (module docstring)."""
    period = scope.period
    return (
        scope_enrolments(scope)
        .filter(TOOK_A_SEAT, run__start_date__lte=period.end, run__end_date__gte=period.start)
        .filter(Q(left_at__isnull=True) | Q(left_at__gte=period.starts_at))
        .filter(Q(enrolled_at__isnull=True) | Q(enrolled_at__lt=period.ends_before))
    )


def served_learners(scope: ImpactScope) -> QuerySet[Learner]:
    """Each learner served in the period, once."""
    return Learner.objects.filter(pk__in=served_enrolments(scope).values("learner_id"))
