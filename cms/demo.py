"""The demo centre: a realistic site, programme and timetable, built idempotently.

``seed_demo`` prints the logins; ``benchmark`` builds the same world at larger scales in a
database of its own.
"""

import datetime as dt
import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from cms.models import CentreSettings, HomePage, StandardPage, StoryPage
from courses.choices import Audience, Level, Outcome, RunMode, RunStatus
from courses.models import Category, CourseIndexPage, CoursePage, CourseRun, Partner, Venue
from courses.services import sessions_generate

DEMO_PASSWORD = "harbour-demo-2026"


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

VENUES = {
    "ssp": ("Centre – Sham Shui Po", "3/F, 128 Un Chau Street, Sham Shui Po", "Sham Shui Po"),
    "ymt": ("Centre – Yau Ma Tei classroom", "Room 5, 22 Public Square Street", "Yau Ma Tei"),
    "kc": ("Partner warehouse, Kwai Chung", "Unit 9, 45 Kwai Fung Crescent", "Kwai Chung"),
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

TEACHERS = [
    ("teacher.grace", "Grace", "Ho"),
    ("teacher.samuel", "Samuel", "Okafor"),
    ("teacher.lina", "Lina", "Haddad"),
    ("teacher.david", "David", "Lau"),
]


@dataclass
class DemoSummary:
    logins: list[tuple[str, str, str]]
    courses: int
    runs: int


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; every demo account shares the one published password.
    return make_password(DEMO_PASSWORD)


def _user(username, first, last, group, *, superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.password = _demo_password_hash()
        user.is_superuser = user.is_staff = superuser
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def _child_page(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
    return page


def build_site() -> tuple[HomePage, CourseIndexPage]:
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's "Welcome to your new Wagtail site!" page makes way for ours.
        for page in root.get_children().filter(content_type__app_label="wagtailcore"):
            page.delete()
        home = HomePage(
            title="Learn, grow and belong in Hong Kong",
            slug="home",
            intro=(
                "Free courses for refugees and asylum seekers: English, GED, IELTS, computers, "
                "photography, work placements and homework support for children."
            ),
            who_we_serve=(
                "<p>We welcome adults, young people and children seeking protection in Hong "
                "Kong, whatever their language or schooling so far.</p>"
            ),
            get_help=(
                "<p>Come to the front desk, Monday to Saturday, or send us a WhatsApp "
                "message. An interpreter can join you.</p>"
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": "Harbour Learning Centre",
            },
        )
    catalogue = _child_page(
        home,
        CourseIndexPage,
        "courses",
        title="Courses",
        intro="<p>All our courses are free. Filter by subject, day or level.</p>",
    )
    _child_page(
        home,
        StandardPage,
        "about",
        title="About the centre",
        introduction="A community centre in Sham Shui Po, open since 2009.",
    )
    story = _child_page(
        home,
        StoryPage,
        "story-amina",
        title="From first words to first job",
        learner_name="Amina",
        quote="The teachers were patient. Now I help new learners.",
        consent_given=True,
        consent_date=timezone.localdate() - dt.timedelta(days=60),
    )
    if home.featured_story_id is None:
        home.featured_story = story
        home.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    CentreSettings.objects.update_or_create(
        site=site,
        defaults={
            "centre_name": "Harbour Learning Centre",
            "address": "3/F, 128 Un Chau Street\nSham Shui Po, Kowloon",
            "opening_hours": "Mon–Fri 9:30–20:30\nSat 9:30–17:00",
            "phone": "+852 2000 0000",
            "whatsapp": "+852 5000 0000",
            "email": "hello@example.org",
        },
    )
    return home, catalogue


def _term_dates(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """This term (started four weeks ago) and next term (starts in three weeks)."""
    this_start = today - dt.timedelta(days=today.weekday() + 28)
    next_start = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=3)
    return [
        (this_start, this_start + dt.timedelta(weeks=10, days=-1)),
        (next_start, next_start + dt.timedelta(weeks=10, days=-1)),
    ]


@transaction.atomic
def build_demo(*, scale: int = 1) -> DemoSummary:
    """Build (or complete) the demo centre. Running it again changes nothing."""
    home, catalogue = build_site()
    categories = {
        slug: Category.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in CATEGORIES
    }
    partners = {
        name: Partner.objects.get_or_create(name=name)[0]
        for name in ["British Council", "Harbour Logistics"]
    }
    venues = {
        key: Venue.objects.get_or_create(
            name=name, defaults={"address": address, "district": district}
        )[0]
        for key, (name, address, district) in VENUES.items()
    }
    coordinator = _user("coordinator", "Mei", "Chan", "Coordinators")
    _user("admin", "Site", "Admin", None, superuser=True)
    teachers = [_user(u, f, last, "Teachers") for u, f, last in TEACHERS]
    for k in range(2, scale + 1):
        teachers += [_user(f"{u}{k}", f, last, "Teachers") for u, f, last in TEACHERS]

    today = timezone.localdate()
    terms = _term_dates(today)
    featured = []
    runs = 0
    for copy in range(1, scale + 1):
        for i, spec in enumerate(COURSES):
            slug = spec.slug if copy == 1 else f"{spec.slug}-{copy}"
            title = spec.title if copy == 1 else f"{spec.title} (group {copy})"
            course = _child_page(
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
                code = f"{spec.slug[:18]}-{copy}-t{term_no}".upper()
                run, created = CourseRun.objects.get_or_create(
                    code=code,
                    defaults={
                        "course": course,
                        "start_date": start,
                        "end_date": end,
                        "weekdays": spec.weekdays,
                        "start_time": spec.start,
                        "end_time": spec.end,
                        "venue": venues[spec.venue],
                        "capacity": spec.capacity,
                        "mode": spec.mode,
                        "status": RunStatus.PUBLISHED,
                        "enrolment_opens": start - dt.timedelta(weeks=4),
                        "enrolment_closes": min(end, start + dt.timedelta(weeks=2)),
                    },
                )
                if created:
                    run.teachers.add(teachers[(i + copy) % len(teachers)])
                    sessions_generate(run=run)
                runs += 1
    if not home.featured_courses:
        home.featured_courses = [("course", course) for course in featured]
        home.save_revision().publish()

    logins = [
        ("coordinator", DEMO_PASSWORD, "Coordinator (Wagtail admin at /admin/)"),
        ("admin", DEMO_PASSWORD, "Superuser"),
    ] + [(u, DEMO_PASSWORD, "Teacher") for u, _f, _l in TEACHERS]
    del coordinator
    return DemoSummary(logins=logins, courses=len(COURSES) * scale, runs=runs)
