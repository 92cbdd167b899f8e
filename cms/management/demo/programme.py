"""The demo's programme: categories, venues, partners, the courses and their runs, this term
and next, each with its classes."""

import datetime as dt
from dataclasses import dataclass

from cms.management.demo.site import child_page
from cms.models import HomePage
from courses.choices import Audience, Level, Outcome, RunMode, RunStatus
from courses.models import Category, CourseIndexPage, CoursePage, CourseRun, Partner, Venue
from courses.services import sessions_generate


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    title: str
    category: str
    audience: str
    level: str
    outcome: str
    summary: str
    weekdays: str
    start: dt.time
    end: dt.time
    capacity: int
    venue: str
    partner: str | None = None
    minimum_age: int | None = None
    minimum_english_level: str = Level.NONE
    mode: str = RunMode.OPEN
    language: str = "English"


CATEGORIES = [
    ("english", "English"),
    ("ged", "GED"),
    ("ielts", "IELTS"),
    ("computer-literacy", "Computer literacy"),
    ("photography", "Photography"),
    ("vocational", "Vocational training"),
    ("homework-support", "Homework support"),
]

# key: name, address, district, how to get there, accessibility
VENUES = {
    "ssp": (
        "Main centre",
        "3/F, 128 Un Chau Street, Sham Shui Po",
        "Sham Shui Po",
        "Sham Shui Po MTR, exit A2. Walk two minutes along Un Chau Street.",
        "A lift goes to the third floor. There is an accessible toilet.",
    ),
    "ymt": (
        "Yau Ma Tei classroom",
        "Room 5, 22 Public Square Street",
        "Yau Ma Tei",
        "Yau Ma Tei MTR, exit C. Walk five minutes, past the Tin Hau Temple.",
        "Ground floor, with one small step at the door. Ask us for the ramp.",
    ),
    "kc": (
        "Partner warehouse, Kwai Chung",
        "Unit 9, 45 Kwai Fung Crescent",
        "Kwai Chung",
        "Kwai Fong MTR, exit E. Walk ten minutes along Kwai Fung Crescent.",
        "A goods lift goes to the warehouse floor. We lend safety shoes at the door.",
    ),
}

T = dt.time
COURSES = [
    CourseSpec(
        "english-starters",
        "English for starters",
        "english",
        Audience.ADULTS,
        Level.PRE_A1,
        Outcome.CENTRE_CERTIFICATE,
        "Learn the alphabet, numbers and everyday words for shops, clinics and buses.",
        "02",
        T(10),
        T(12),
        18,
        "ssp",
    ),
    CourseSpec(
        "english-a1",
        "English A1: everyday English",
        "english",
        Audience.ADULTS,
        Level.A1,
        Outcome.CENTRE_CERTIFICATE,
        "Introduce yourself, fill in forms and talk about your day in simple English.",
        "13",
        T(18, 30),
        T(20, 30),
        20,
        "ssp",
        partner="British Council",
        minimum_age=16,
        minimum_english_level=Level.PRE_A1,
    ),
    CourseSpec(
        "english-a2",
        "English A2: speaking with confidence",
        "english",
        Audience.ADULTS,
        Level.A2,
        Outcome.CENTRE_CERTIFICATE,
        "Conversations, phone calls and appointments, with a partner teacher.",
        "024",
        T(14),
        T(16),
        6,
        "ymt",
        partner="British Council",
        minimum_age=16,
        minimum_english_level=Level.A1,
    ),
    CourseSpec(
        "english-b1-youth",
        "English B1 for young people",
        "english",
        Audience.YOUTH,
        Level.B1,
        Outcome.CENTRE_CERTIFICATE,
        "Reading, writing and presentations for learners aged 15 to 24.",
        "5",
        T(10),
        T(13),
        16,
        "ymt",
        minimum_age=15,
        minimum_english_level=Level.A2,
        mode=RunMode.REVIEW,
    ),
    CourseSpec(
        "ged-preparation",
        "GED preparation",
        "ged",
        Audience.ADULTS,
        Level.NONE,
        Outcome.GED,
        "Prepare for the four GED subjects: maths, science, social studies and language.",
        "13",
        T(14),
        T(17),
        15,
        "ssp",
        minimum_age=18,
        minimum_english_level=Level.B1,
        mode=RunMode.REVIEW,
    ),
    CourseSpec(
        "ielts-preparation",
        "IELTS preparation",
        "ielts",
        Audience.ADULTS,
        Level.B2,
        Outcome.IELTS,
        "Practise listening, reading, writing and speaking for the IELTS test.",
        "24",
        T(18, 30),
        T(21),
        12,
        "ymt",
        partner="British Council",
        minimum_age=16,
        minimum_english_level=Level.B1,
    ),
    CourseSpec(
        "computer-first-steps",
        "Computers: first steps",
        "computer-literacy",
        Audience.ADULTS,
        Level.NONE,
        Outcome.CENTRE_CERTIFICATE,
        "Use a mouse and keyboard, send email, make a CV and stay safe online.",
        "1",
        T(10),
        T(12),
        10,
        "ssp",
        language="English and Arabic",
    ),
    CourseSpec(
        "photography-beginners",
        "Photography for beginners",
        "photography",
        Audience.YOUTH,
        Level.NONE,
        Outcome.CENTRE_CERTIFICATE,
        "Tell stories with a phone camera: light, framing and editing.",
        "6",
        T(14),
        T(17),
        12,
        "ymt",
        minimum_age=14,
    ),
    CourseSpec(
        "warehouse-training",
        "Warehouse training placement",
        "vocational",
        Audience.ADULTS,
        Level.NONE,
        Outcome.CENTRE_CERTIFICATE,
        "Safety, stock handling and a supervised placement with a logistics partner.",
        "01234",
        T(9),
        T(13),
        8,
        "kc",
        partner="Harbour Logistics",
        minimum_age=18,
        minimum_english_level=Level.A1,
        mode=RunMode.REVIEW,
    ),
    CourseSpec(
        "homework-club",
        "After-school homework club",
        "homework-support",
        Audience.CHILDREN,
        Level.NONE,
        Outcome.NONE,
        "Quiet space and volunteer tutors for school homework, with a snack.",
        "0123",
        T(16),
        T(18),
        25,
        "ssp",
        language="English and Cantonese",
    ),
]

COURSE_BODY = (
    "<p>Classes are free, small and friendly. Bring a notebook; we lend pens, books and "
    "laptops. Children can stay in the homework room while you learn.</p>"
    "<p>Not sure which class fits? Come to the front desk and we will find the right one "
    "with you, with an interpreter if you like.</p>"
)


def demo_run(
    spec: CourseSpec,
    *,
    course: CoursePage,
    code: str,
    start: dt.date,
    end: dt.date,
    venue: Venue,
    mode: str,
    closes: dt.date,
) -> tuple[CourseRun, bool]:
    """The run with this code, created on the spec's schedule if missing."""
    return CourseRun.objects.get_or_create(
        code=code,
        defaults={
            "course": course,
            "start_date": start,
            "end_date": end,
            "weekdays": spec.weekdays,
            "start_time": spec.start,
            "end_time": spec.end,
            "venue": venue,
            "capacity": spec.capacity,
            "mode": mode,
            "status": RunStatus.PUBLISHED,
            "enrolment_opens": start - dt.timedelta(weeks=4),
            "enrolment_closes": closes,
        },
    )


def term_dates(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """This term (started four weeks ago) and next term (starts in three weeks)."""
    this_start = today - dt.timedelta(days=today.weekday() + 28)
    next_start = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=3)
    return [
        (this_start, this_start + dt.timedelta(weeks=10, days=-1)),
        (next_start, next_start + dt.timedelta(weeks=10, days=-1)),
    ]


def run_code(slug: str, copy: int, term: int) -> str:
    return f"{slug[:18]}-{copy}-t{term}".upper()


def build_categories() -> dict[str, Category]:
    return {
        slug: Category.objects.originals().get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in CATEGORIES
    }


def build_partners() -> dict[str, Partner]:
    return {
        name: Partner.objects.originals().get_or_create(name=name)[0]
        for name in ["British Council", "Harbour Logistics"]
    }


def build_venues() -> dict[str, Venue]:
    return {
        key: Venue.objects.originals().get_or_create(
            name=name,
            defaults={
                "address": address,
                "district": district,
                "directions": directions,
                "accessibility": accessibility,
            },
        )[0]
        for key, (name, address, district, directions, accessibility) in VENUES.items()
    }


def build_courses(
    *,
    home: HomePage,
    catalogue: CourseIndexPage,
    scale: int,
    categories: dict[str, Category],
    partners: dict[str, Partner],
    venues: dict[str, Venue],
    teachers: list,
    terms: list[tuple[dt.date, dt.date]],
) -> int:
    """Each copy's course pages and their runs of this term and next; returns how many runs."""
    featured = []
    runs = 0
    for copy in range(1, scale + 1):
        for i, spec in enumerate(COURSES):
            slug = spec.slug if copy == 1 else f"{spec.slug}-{copy}"
            title = spec.title if copy == 1 else f"{spec.title} (group {copy})"
            course = child_page(
                catalogue,
                CoursePage,
                slug,
                title=title,
                category=categories[spec.category],
                audience=spec.audience,
                level=spec.level,
                outcome=spec.outcome,
                summary=spec.summary,
                language=spec.language,
                partner=partners.get(spec.partner) if spec.partner else None,
                minimum_age=spec.minimum_age,
                minimum_english_level=spec.minimum_english_level,
                body=[("paragraph", COURSE_BODY)],
            )
            if copy == 1 and i in (0, 4, 9):
                featured.append(course)
            for term_no, (start, end) in enumerate(terms, start=1):
                code = run_code(spec.slug, copy, term_no)
                run, created = demo_run(
                    spec,
                    course=course,
                    code=code,
                    start=start,
                    end=end,
                    venue=venues[spec.venue],
                    mode=spec.mode,
                    closes=min(end, start + dt.timedelta(weeks=2)),
                )
                if created:
                    run.teachers.add(teachers[(i + copy) % len(teachers)])
                    sessions_generate(run=run)
                runs += 1
    if not home.featured_courses:
        home.featured_courses = [("course", course) for course in featured]
        home.save_revision().publish()
    return runs
