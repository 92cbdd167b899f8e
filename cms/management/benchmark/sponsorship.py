"""The benchmark's rows for children's school sponsorships, listed with the main table's.

Their data is built here, not by the demo, and grows with the demo's scale: the sponsor's
home (/sponsor/) is measured for a sponsor of one child at 1x and of ten at 10x (each child
with a school place, a sponsorship and a shared report), and the coordinators' funding list
(``funding_needs``) with ten more children per 1x, on top of the demo's own. Neither should
run more queries for more children.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cms.management.benchmark.harness import (
    BenchmarkError,
    Measurement,
    Options,
    get_ok,
    measure,
    testserver_allowed,
)
from cms.roles import SPONSORS
from enrolment.models import (
    Frequency,
    Grade,
    Learner,
    ProgressReport,
    School,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
    SubjectGrade,
    Term,
)
from enrolment.models.people import years_before
from enrolment.models.schools import school_year_bounds, school_year_of
from enrolment.services.funding import funding_needs

# Children per 1x of the demo.
SPONSOR_CHILDREN = 1
FUNDING_CHILDREN = 10

SPONSOR_HOME = f"sponsor home ({SPONSOR_CHILDREN} child per 1x)"
FUNDING_NEEDS = f"funding needs ({FUNDING_CHILDREN} children per 1x)"


def _sponsor(prefix: str) -> Sponsor:
    """A new sponsor with an account in the Sponsors group."""
    number = Sponsor.objects.filter(user__username__startswith=f"{prefix}.").count() + 1
    user = get_user_model().objects.create(username=f"{prefix}.{number}@example.org")
    user.groups.add(Group.objects.get(name=SPONSORS))
    return Sponsor.objects.create(user=user, display_name=f"Benchmark {prefix} {number}")


def _children(count: int, tag: str) -> list[Learner]:
    """Children of ten with a guardian and both consents, each with this school year's place
    (HK$6,000 of costs). Their first names are one word each, as a sponsor sees them."""
    today = timezone.localdate()
    children = Learner.objects.bulk_create(
        Learner(
            preferred_name=f"Child{tag}x{n:03d}",
            legal_name=f"Child {tag} {n:03d} Benchmark",
            date_of_birth=years_before(today, 10) - dt.timedelta(days=40),
            guardian_name="Benchmark Guardian",
            guardian_relationship="Mother",
            consent_photo=True,
            consent_share_progress=True,
        )
        for n in range(1, count + 1)
    )
    school, _created = School.objects.get_or_create(
        name="Benchmark Primary School",
        defaults={
            "district": "sham_shui_po",
            "school_type": SchoolType.PRIMARY,
            "lowest_grade": Grade.P1,
            "highest_grade": Grade.P6,
        },
    )
    SchoolPlacement.objects.bulk_create(
        SchoolPlacement(
            child=child,
            school=school,
            school_year=school_year_of(today),
            grade=Grade.P4,
            uniform=Decimal(1000),
            books=Decimal(2000),
            transport=Decimal(3000),
        )
        for child in children
    )
    return children


def _sponsor_all(sponsor: Sponsor, children: list[Learner], amount: int) -> None:
    """A monthly sponsorship of each child since the start of this school year."""
    starts_on, _end = school_year_bounds(school_year_of(timezone.localdate()))
    Sponsorship.objects.bulk_create(
        Sponsorship(
            sponsor=sponsor,
            child=child,
            starts_on=starts_on,
            amount=Decimal(amount),
            frequency=Frequency.MONTHLY,
            covers=["books", "transport"],
        )
        for child in children
    )


def sponsor_with_children(*, children: int) -> tuple[Sponsor, list[Learner]]:
    """A sponsor of ``children`` children, each with a school place, the sponsorship and a
    shared report of two subjects."""
    sponsor = _sponsor("bench.sponsor")
    kids = _children(children, f"S{sponsor.pk}")
    _sponsor_all(sponsor, kids, 500)
    now = timezone.now()
    reports = ProgressReport.objects.bulk_create(
        ProgressReport(
            child=child,
            school_year=school_year_of(timezone.localdate()),
            term=Term.FIRST,
            school_attendance_percent=95,
            teacher_comment="Works hard and helps others.",
            caseworker_note="Not for sponsors.",
            shared_with_sponsors=True,
            shared_at=now,
        )
        for child in kids
    )
    SubjectGrade.objects.bulk_create(
        SubjectGrade(report=report, subject=subject, grade="B+", sort_order=i)
        for report in reports
        for i, subject in enumerate(["English", "Mathematics"])
    )
    return sponsor, kids


def sponsor_home(children: int, options: Options) -> Measurement:
    """/sponsor/ as a sponsor of ``children`` children sees it."""
    sponsor, kids = sponsor_with_children(children=children)
    url = reverse("sponsor")
    client = Client()
    client.force_login(sponsor.user)

    def page() -> None:
        response = get_ok(client, url)
        if not all(kid.preferred_name.encode() in response.content for kid in kids):
            raise BenchmarkError(f"GET {url} did not show all {children} children.")

    with testserver_allowed():
        return measure(SPONSOR_HOME, page, options)


def funding_list(children: int, options: Options) -> Measurement:
    """``funding_needs`` for this school year, with ``children`` more children on it: two in
    three under-funded (HK$100 a month), the rest waiting for a sponsor."""
    sponsor = _sponsor("bench.funder")
    kids = _children(children, f"F{sponsor.pk}")
    _sponsor_all(sponsor, [kid for n, kid in enumerate(kids) if n % 3], 100)
    year = school_year_of(timezone.localdate())

    def compute() -> None:
        if len(funding_needs(school_year=year)) < children:
            raise BenchmarkError(f"funding_needs left out some of the {children} children.")

    return measure(FUNDING_NEEDS, compute, options)


def sponsorships(options: Options) -> list[Measurement]:
    return [
        sponsor_home(SPONSOR_CHILDREN * options.scale, options),
        funding_list(FUNDING_CHILDREN * options.scale, options),
    ]
