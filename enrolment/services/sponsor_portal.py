"""What a sponsor may know about the children they support, and nothing more.

Sponsor pages never get a Learner, a ProgressReport or a SchoolPlacement object: a template
given one could reach the family name, the date of birth, the guardian or the caseworker's
note by accident. These functions read the few allowed columns with `.values()` and hand
back small frozen records. The rule, from DESIGN.md and the child's consents:

- always: the preferred first name, the age (never the date of birth), the school grade, the
  homework-support attendance rate, and what the sponsor's own sponsorship paid;
- with the family's consent to share progress: the school's name, the reports a coordinator
  has shared, and the certificates earned at the centre;
- with photo consent: the photo;
- never: family or legal name, date of birth, guardian, contact, address, case reference,
  caseworker notes, other sponsors, unshared reports.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone

from enrolment import access
from enrolment.models import (
    Attendance,
    Certificate,
    Frequency,
    Grade,
    Learner,
    ProgressReport,
    SchoolPlacement,
    Sponsorship,
    SubjectGrade,
    Term,
)
from enrolment.models.people import age_on
from enrolment.models.schools import school_year_bounds, school_year_label, school_year_of
from enrolment.services.attendance_totals import attendance_summary
from enrolment.services.funding import funding_for_year, sponsorship_payment_dates
from enrolment.services.sponsor_payments import received_by

# Courses in this category are the centre's after-school homework support.
HOMEWORK_CATEGORY_SLUG = "homework-support"

# The only Learner columns a sponsor page ever reads.
CHILD_COLUMNS = (
    "pk",
    "preferred_name",
    "date_of_birth",  # turned into an age here, never passed on
    "consent_photo",
    "consent_share_progress",
    "photo",
)


def first_name(preferred_name: str) -> str:
    """The first word of the preferred name: "Amani Joseph" is "Amani" to a sponsor."""
    words = preferred_name.split()
    return words[0] if words else ""


@dataclass(frozen=True)
class ChildCard:
    pk: int
    first_name: str
    age: int | None
    grade: str | None  # "P4", this school year's
    school_name: str | None  # only with consent to share progress
    has_photo: bool  # only with photo consent
    shares_progress: bool


@dataclass(frozen=True)
class ReportSummary:
    pk: int
    school_year: str
    term: str
    grade: str | None
    school_attendance_percent: int | None


@dataclass(frozen=True)
class SharedReport(ReportSummary):
    teacher_comment: str
    grades: tuple[tuple[str, str], ...]  # (subject, grade)


@dataclass(frozen=True)
class SponsorshipYear:
    """What one of the sponsor's own sponsorships paid, or will pay, in a school year."""

    pk: int
    child_pk: int
    child_first_name: str
    covers: tuple[str, ...]
    frequency: str
    amount: Decimal
    payments: tuple[dt.date, ...]
    total: Decimal  # the whole school year's payments, as promised
    due_so_far: Decimal  # those due by today, as promised
    received: Decimal  # what the centre received in the school year (SponsorshipPayment)
    starts_on: dt.date
    ends_on: dt.date | None


@dataclass(frozen=True)
class CertificateLine:
    course_title: str
    issued_on: dt.date


@dataclass(frozen=True)
class ChildPage:
    card: ChildCard
    school_year: str
    reports: tuple[ReportSummary, ...]  # newest first
    homework_attendance_percent: int | None
    certificates: tuple[CertificateLine, ...]
    this_year: tuple[SponsorshipYear, ...]
    year_costs: Decimal | None  # the school year's costs, all items together
    year_percent_funded: int | None  # by all sponsors together, never who the others are


@dataclass(frozen=True)
class UpcomingSponsorship:
    """A sponsorship that has not started: the child's first name and the day, nothing more
    until it starts."""

    child_first_name: str
    starts_on: dt.date


def sponsor_upcoming(
    *, user: AbstractBaseUser, today: dt.date | None = None
) -> list[UpcomingSponsorship]:
    """The sponsor's sponsorships yet to start, soonest first, in one query; a child already
    on the page (a renewal that follows a running sponsorship) is not listed twice."""
    today = today or timezone.localdate()
    rows = (
        access.upcoming_sponsorships_for_sponsor(user, today)
        .exclude(child__in=access.children_for_sponsor(user, today))
        .order_by("starts_on", "pk")
        .values_list("child__preferred_name", "starts_on")
    )
    return [UpcomingSponsorship(first_name(name), starts_on) for name, starts_on in rows]


def _grades_this_year(child_ids: list[int], school_year: int) -> dict[int, dict]:
    rows = SchoolPlacement.objects.filter(child_id__in=child_ids, school_year=school_year).values(
        "child_id", "grade", "school__name"
    )
    return {row["child_id"]: row for row in rows}


def _card(row: dict, placement: dict | None, today: dt.date) -> ChildCard:
    shares = row["consent_share_progress"]
    return ChildCard(
        pk=row["pk"],
        first_name=first_name(row["preferred_name"]),
        age=age_on(row["date_of_birth"], today),
        grade=Grade(placement["grade"]).name if placement else None,
        school_name=placement["school__name"] if placement and shares else None,
        has_photo=bool(row["consent_photo"] and row["photo"]),
        shares_progress=shares,
    )


def sponsor_children(*, user: AbstractBaseUser, today: dt.date | None = None) -> list[ChildCard]:
    """The sponsor's children as cards, in two queries however many children."""
    today = today or timezone.localdate()
    rows = list(
        access.children_for_sponsor(user, today)
        .order_by("preferred_name", "pk")
        .values(*CHILD_COLUMNS)
    )
    placements = _grades_this_year([row["pk"] for row in rows], school_year_of(today))
    return [_card(row, placements.get(row["pk"]), today) for row in rows]


def sponsor_child(
    *, user: AbstractBaseUser, child_id: int, today: dt.date | None = None
) -> ChildCard | None:
    """One of the sponsor's children; None (a 404 to the view) for any other child."""
    today = today or timezone.localdate()
    row = access.children_for_sponsor(user, today).filter(pk=child_id).values(*CHILD_COLUMNS)
    row = row.first()
    if row is None:
        return None
    placement = _grades_this_year([child_id], school_year_of(today)).get(child_id)
    return _card(row, placement, today)


def child_photo_name(*, user: AbstractBaseUser, child_id: int) -> str | None:
    """The stored photo's name, for the photo view: only the sponsor's own child, only with
    photo consent."""
    return (
        access.children_for_sponsor(user)
        .filter(pk=child_id, consent_photo=True)
        .exclude(photo="")
        .values_list("photo", flat=True)
        .first()
    )


def _report_grade(child_id: int, school_year: int, placements: dict) -> str | None:
    grade = placements.get((child_id, school_year))
    return Grade(grade).name if grade else None


def _placement_grades(child_id: int) -> dict[tuple[int, int], int]:
    return {
        (child_id, year): grade
        for year, grade in SchoolPlacement.objects.filter(child_id=child_id).values_list(
            "school_year", "grade"
        )
    }


def shared_reports(*, user: AbstractBaseUser, child_id: int) -> tuple[ReportSummary, ...]:
    """The child's shared reports, newest first: summaries only, no comments or notes."""
    rows = (
        access.reports_for_sponsor(user)
        .filter(child_id=child_id)
        .order_by("-school_year", "-term")
        .values("pk", "school_year", "term", "school_attendance_percent")
    )
    placements = _placement_grades(child_id)
    return tuple(
        ReportSummary(
            pk=row["pk"],
            school_year=school_year_label(row["school_year"]),
            term=str(Term(row["term"]).label),
            grade=_report_grade(child_id, row["school_year"], placements),
            school_attendance_percent=row["school_attendance_percent"],
        )
        for row in rows
    )


def shared_report(*, user: AbstractBaseUser, child_id: int, report_id: int) -> SharedReport | None:
    """One shared report of the sponsor's child; None for an unshared or someone else's."""
    return report_for_sponsors(
        reports=access.reports_for_sponsor(user).filter(child_id=child_id),
        report_id=report_id,
    )


def report_for_sponsors(
    *, reports: QuerySet[ProgressReport], report_id: int
) -> SharedReport | None:
    """The report among ``reports`` as sponsors read it; None if it is not among them. The
    caller scopes ``reports``: the sponsor's shared ones, or any for a coordinator's review
    before sharing, which shows exactly this."""
    row = (
        reports.filter(pk=report_id)
        .values(
            "pk", "child_id", "school_year", "term", "school_attendance_percent", "teacher_comment"
        )  # never "caseworker_note"
        .first()
    )
    if row is None:
        return None
    child_id = row["child_id"]
    grades = tuple(
        SubjectGrade.objects.filter(report_id=report_id)
        .order_by("sort_order", "pk")
        .values_list("subject", "grade")
    )
    return SharedReport(
        pk=row["pk"],
        school_year=school_year_label(row["school_year"]),
        term=str(Term(row["term"]).label),
        grade=_report_grade(child_id, row["school_year"], _placement_grades(child_id)),
        school_attendance_percent=row["school_attendance_percent"],
        teacher_comment=row["teacher_comment"],
        grades=grades,
    )


def homework_attendance_percent(*, child_id: int) -> int | None:
    """The child's attendance at the centre's homework support, from the registers, by the
    same rule as every rate (late counts as attended, excused counts neither way)."""
    marks = Attendance.objects.filter(
        enrolment__learner_id=child_id,
        enrolment__run__course__category__slug=HOMEWORK_CATEGORY_SLUG,
    )
    return attendance_summary(marks=marks).percent


def _certificates(child_id: int) -> tuple[CertificateLine, ...]:
    rows = (
        Certificate.objects.valid()
        .filter(enrolment__learner_id=child_id)
        .order_by("-issued_at")
        .values_list("course_title", "issued_at")  # not the printed name or the codes
    )
    return tuple(
        CertificateLine(course_title=title, issued_on=timezone.localdate(issued))
        for title, issued in rows
    )


def sponsorship_years(
    *,
    user: AbstractBaseUser,
    school_year: int,
    child_id: int | None = None,
    today: dt.date | None = None,
) -> tuple[SponsorshipYear, ...]:
    """The sponsor's own sponsorships that pay in a school year, with their payments."""
    today = today or timezone.localdate()
    sponsorships = (
        Sponsorship.objects.filter(sponsor__user=user)
        .only("pk", "child_id", "starts_on", "ends_on", "amount", "frequency", "covers")
        .order_by("starts_on", "pk")
    )
    if child_id is not None:
        sponsorships = sponsorships.filter(child_id=child_id)
    sponsorships = list(sponsorships)
    first, last = school_year_bounds(school_year)
    received = received_by(
        key="sponsorship_id", start=first, end=last, sponsorships=[s.pk for s in sponsorships]
    )
    names = dict(
        Learner.objects.filter(pk__in={s.child_id for s in sponsorships}).values_list(
            "pk", "preferred_name"
        )
    )
    lines = []
    for s in sponsorships:
        payments = tuple(sponsorship_payment_dates(s, school_year=school_year))
        if not payments and s.pk not in received:  # a late payment still shows
            continue
        lines.append(
            SponsorshipYear(
                pk=s.pk,
                child_pk=s.child_id,
                child_first_name=first_name(names[s.child_id]),
                covers=tuple(s.covers_labels),
                frequency=str(Frequency(s.frequency).label),
                amount=s.amount,
                payments=payments,
                total=s.amount * len(payments),  # each payment is the amount
                due_so_far=s.amount * sum(1 for day in payments if day <= today),
                received=received.get(s.pk, Decimal(0)),
                starts_on=s.starts_on,
                ends_on=s.ends_on,
            )
        )
    lines.sort(key=lambda line: (line.child_first_name.lower(), line.starts_on, line.pk))
    return tuple(lines)


def sponsor_child_page(
    *, user: AbstractBaseUser, child_id: int, today: dt.date | None = None
) -> ChildPage | None:
    """Everything the child's page shows; None (a 404) for a child not the sponsor's."""
    today = today or timezone.localdate()
    card = sponsor_child(user=user, child_id=child_id, today=today)
    if card is None:
        return None
    year = school_year_of(today)
    funding = funding_for_year(school_year=year, children=[child_id])
    funding = funding[0] if funding else None
    return ChildPage(
        card=card,
        school_year=school_year_label(year),
        reports=shared_reports(user=user, child_id=child_id) if card.shares_progress else (),
        homework_attendance_percent=homework_attendance_percent(child_id=child_id),
        certificates=_certificates(child_id) if card.shares_progress else (),
        this_year=sponsorship_years(user=user, school_year=year, child_id=child_id, today=today),
        year_costs=funding.costs if funding and funding.placement else None,
        year_percent_funded=funding.percent_funded if funding else None,
    )
