"""A quarter to report on (January to March 2025) with every kind of person and event the
impact report counts, and some just outside it. tests/enrolment/services/impact/ works the
figures out by hand from this description:

- English (adults, run A, 6 Jan - 28 Mar, 10:00-12:00, HK$20 transport a session); Warehouse
  training (vocational, adults, run B, 1 Feb - 15 Mar, 09:00-13:00); an English run OLD in
  autumn 2024 and one LATER in spring 2025.
- Learners: Amina (woman, East Africa, 34) completed OLD and A, interpreter and transport on
  A; Bilal (man, 65) completed B, childcare for 2; Chloe (no gender, 14) enrolled in A; Dawit
  (woman, no date of birth) left A on 1 Feb; Esther waitlisted on A; Farah left A before it
  began; Gul only in LATER; Hana only in OLD.
- Registers: A on 6 Jan (Amina present, Chloe late, Dawit absent), 8 Jan (Amina present,
  Chloe excused, Dawit present), 10 Jan (no marks), 13 Jan (cancelled, a stray mark); B on
  3 Feb (Bilal present); OLD on 1 Oct 2024 (Amina present).
- Certificates: Amina's for A (30 Mar), for OLD (20 Dec 2024); Bilal's for B, revoked.
- Results: GED for Bilal (3 subjects passed), for Amina (all 4: a diploma), for Chloe in
  Nov 2024; IELTS 6.5 for Amina and Chloe, 5.0 for Dawit.
- Children: Kofi sponsored by the cast's sponsor from Sept 2024 (HK$500 a month; school
  costs HK$10,000; reports of 90% and 80%), Lina by another sponsor from April 2025 (HK$100
  a month; costs HK$3,000; a report of 70%).
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from courses.choices import Audience, SessionStatus
from enrolment.models import Attendance, Certificate, EnrolmentStatus, Qualification
from tests.factories import (
    CategoryFactory,
    ChildFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    ProgressReportFactory,
    SchoolPlacementFactory,
    SessionFactory,
    SponsorFactory,
    SponsorshipFactory,
)

D = dt.date
S = EnrolmentStatus


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def _certificate(enrolment, number: int, issued: dt.date, *, revoked: bool = False):
    return Certificate.objects.create(
        enrolment=enrolment,
        number=f"C-{number}",
        year=issued.year,
        sequence=number,
        verification_code=f"code{number}",
        holder_name=enrolment.learner.preferred_name,
        course_title=enrolment.run.course.title,
        start_date=enrolment.run.start_date,
        end_date=enrolment.run.end_date,
        issued_at=at(issued),
        revoked_at=at(issued) if revoked else None,
    )


def _mark(enrolment, session, status: str):
    Attendance.objects.create(
        enrolment=enrolment, session=session, status=status, marked_at=at(session.date)
    )


def _ged(learner, taken: dt.date, scores: dict, passed: bool):
    Qualification.objects.create(
        learner=learner, kind="ged", taken_on=taken, scores=scores, passed=passed
    )


def _ielts(learner, taken: dt.date, overall: str):
    Qualification.objects.create(learner=learner, kind="ielts", taken_on=taken, overall=overall)


@pytest.fixture
def impact_world(site, cast):
    english = CategoryFactory(name="English", slug="english")
    vocational = CategoryFactory(name="Vocational training", slug="vocational")
    english_course = CoursePageFactory(title="English", category=english)
    warehouse = CoursePageFactory(
        title="Warehouse training", category=vocational, audience=Audience.ADULTS
    )
    t = dt.time
    run_a = CourseRunFactory(
        course=english_course,
        start_date=D(2025, 1, 6),
        end_date=D(2025, 3, 28),
        start_time=t(10),
        end_time=t(12),
        transport_per_session=Decimal(20),
    )
    run_b = CourseRunFactory(
        course=warehouse,
        start_date=D(2025, 2, 1),
        end_date=D(2025, 3, 15),
        start_time=t(9),
        end_time=t(13),
    )
    old = CourseRunFactory(
        course=english_course, start_date=D(2024, 9, 2), end_date=D(2024, 12, 20)
    )
    later = CourseRunFactory(
        course=english_course, start_date=D(2025, 4, 7), end_date=D(2025, 6, 27)
    )

    amina = LearnerFactory(
        preferred_name="Amina",
        date_of_birth=D(1990, 5, 17),
        gender="woman",
        region_of_origin="east_africa",
    )
    bilal = LearnerFactory(preferred_name="Bilal", date_of_birth=D(1960, 1, 1), gender="man")
    chloe = LearnerFactory(preferred_name="Chloe", date_of_birth=D(2010, 6, 1), gender="")
    dawit = LearnerFactory(preferred_name="Dawit", date_of_birth=None, gender="woman")
    esther, farah, gul, hana = (
        LearnerFactory(preferred_name=name) for name in ("Esther", "Farah", "Gul", "Hana")
    )

    amina_old = EnrolmentFactory(learner=amina, run=old, status=S.COMPLETED)
    amina_a = EnrolmentFactory(
        learner=amina,
        run=run_a,
        status=S.COMPLETED,
        interpreter_language="Somali",
        transport_reimbursed=True,
    )
    bilal_b = EnrolmentFactory(learner=bilal, run=run_b, status=S.COMPLETED, childcare_children=2)
    chloe_a = EnrolmentFactory(learner=chloe, run=run_a, status=S.ENROLLED)
    dawit_a = EnrolmentFactory(
        learner=dawit,
        run=run_a,
        status=S.WITHDRAWN,
        enrolled_at=at(D(2025, 1, 2)),
        left_at=at(D(2025, 2, 1)),
    )
    EnrolmentFactory(learner=esther, run=run_a, status=S.WAITLISTED)
    EnrolmentFactory(
        learner=farah,
        run=run_a,
        status=S.WITHDRAWN,
        enrolled_at=at(D(2024, 12, 1)),
        left_at=at(D(2024, 12, 20)),
    )
    EnrolmentFactory(learner=gul, run=later, status=S.ENROLLED)
    EnrolmentFactory(learner=hana, run=old, status=S.COMPLETED)

    a1, a2, a3 = (SessionFactory(run=run_a, date=D(2025, 1, day)) for day in (6, 8, 10))
    cancelled = SessionFactory(run=run_a, date=D(2025, 1, 13), status=SessionStatus.CANCELLED)
    b1 = SessionFactory(run=run_b, date=D(2025, 2, 3))
    old1 = SessionFactory(run=old, date=D(2024, 10, 1))
    for enrolment, session, status in (
        (amina_a, a1, "present"),
        (chloe_a, a1, "late"),
        (dawit_a, a1, "absent"),
        (amina_a, a2, "present"),
        (chloe_a, a2, "excused"),
        (dawit_a, a2, "present"),
        (chloe_a, cancelled, "present"),
        (bilal_b, b1, "present"),
        (amina_old, old1, "present"),
    ):
        _mark(enrolment, session, status)

    _certificate(amina_a, 1, D(2025, 3, 30))
    _certificate(amina_old, 2, D(2024, 12, 20))
    _certificate(bilal_b, 3, D(2025, 3, 20), revoked=True)
    ged_all = {"math": 150, "rla": 160, "science": 145, "social_studies": 170}
    _ged(
        bilal,
        D(2025, 2, 10),
        {"math": 150, "rla": 140, "science": 160, "social_studies": 145},
        False,
    )
    _ged(amina, D(2025, 3, 1), ged_all, True)
    _ged(chloe, D(2024, 11, 5), ged_all, True)
    _ielts(amina, D(2025, 2, 20), "6.5")
    _ielts(chloe, D(2025, 3, 3), "6.5")
    _ielts(dawit, D(2025, 1, 20), "5.0")

    kofi, lina = ChildFactory(preferred_name="Kofi"), ChildFactory(preferred_name="Lina")
    funder = SponsorFactory(user=cast.sponsor, display_name="Harbour Trust")
    kofi_sponsorship = SponsorshipFactory(
        sponsor=funder,
        child=kofi,
        starts_on=D(2024, 9, 1),
        amount=Decimal(500),
        frequency="monthly",
    )
    SponsorshipFactory(
        child=lina, starts_on=D(2025, 4, 1), amount=Decimal(100), frequency="monthly"
    )
    no_extras = {"uniform": 0, "books": 0, "transport": 0}
    SchoolPlacementFactory(child=kofi, school_year=2024, fees=Decimal(10_000), **no_extras)
    SchoolPlacementFactory(child=lina, school_year=2024, fees=Decimal(3_000), **no_extras)
    ProgressReportFactory(child=kofi, school_year=2024, term=1, school_attendance_percent=90)
    ProgressReportFactory(child=kofi, school_year=2024, term=2, school_attendance_percent=80)
    ProgressReportFactory(child=lina, school_year=2024, term=1, school_attendance_percent=70)
    return SimpleNamespace(
        english=english,
        vocational=vocational,
        english_course=english_course,
        warehouse=warehouse,
        run_a=run_a,
        funder=funder,
        kofi_sponsorship=kofi_sponsorship,
        amina=amina,
        kofi=kofi,
    )
