"""The demo centre: a realistic site, programme and timetable, built idempotently.

``seed_demo`` prints the logins; ``benchmark`` builds the same world at larger scales in a
database of its own.
"""

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Page, Site

from cms.management.demo.sponsorship import SPONSOR_LOGINS, SPONSORED_CHILDREN, build_sponsorships
from cms.models import CentreSettings, HomePage, StandardPage, StoryPage
from courses.choices import Audience, Level, Outcome, RunMode, RunStatus, SessionStatus
from courses.models import Category, CourseIndexPage, CoursePage, CourseRun, Partner, Venue
from courses.services import sessions_generate
from enrolment.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Enrolment,
    EnrolmentEvent,
    Learner,
    Qualification,
    QualificationKind,
    normalise_phone,
)
from enrolment.models.people import years_before
from enrolment.services.certificate_documents import certificate_verification_url
from enrolment.services.certification import (
    certificate_revoke,
    certificates_issue_for_run,
    run_close,
)
from enrolment.services.enrolling import (
    enrolment_approve,
    enrolment_create,
    enrolment_withdraw,
)
from enrolment.services.qualifications import (
    qualification_record_ged,
    qualification_record_ielts,
    qualification_record_partner_level,
)
from enrolment.services.registers import Mark, register_mark, session_starts_at

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
    "ssp": ("Main centre", "3/F, 128 Un Chau Street, Sham Shui Po", "Sham Shui Po"),
    "ymt": ("Yau Ma Tei classroom", "Room 5, 22 Public Square Street", "Yau Ma Tei"),
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


@dataclass(frozen=True)
class LearnerSpec:
    """A demo learner. ``key`` names them in INTAKES and in their email address."""

    key: str
    preferred_name: str
    legal_name: str
    age: int
    languages: str
    english_level: str
    phone: bool = True
    email: bool = False
    account: bool = True  # some learners have none: a coordinator looks after their record
    preferred_language: str = "en"
    guardian: str = ""  # a child's parent, by key
    relationship: str = ""
    consent_photo: bool = False
    consent_share_progress: bool = False


L = Level
# Adults and young people from the countries most of Hong Kong's asylum seekers come from.
# An account's username is the normalised phone number, or the email when there is no phone,
# as at sign-up. Phone numbers are 9123 0001, 9123 0002, ... in list order.
LEARNERS = [
    LearnerSpec("amina", "Amina", "Amina Hassan Abdi", 31, "Somali, Arabic", L.A1),
    LearnerSpec(
        "bilal",
        "Bilal",
        "Muhammad Bilal Qureshi",
        38,
        "Urdu, Punjabi, English",
        L.A2,
        email=True,
        preferred_language="ur",
    ),
    LearnerSpec("tharshini", "Tharshini", "Tharshini Sivakumar", 27, "Tamil", L.A1),
    LearnerSpec(
        "abdulrahman",
        "Abdulrahman",
        "Abdulrahman Saleh Al-Hakimi",
        45,
        "Arabic",
        L.PRE_A1,
        preferred_language="ar",
    ),
    LearnerSpec(
        "grace.mbuyi",
        "Grâce",
        "Grâce Mbuyi Kabongo",
        33,
        "French, Lingala",
        L.A2,
        phone=False,
        email=True,
        preferred_language="fr",
        consent_photo=True,
    ),
    LearnerSpec("rafiq", "Rafiq", "Mohammad Rafiqul Islam", 34, "Bengali", L.A1),
    LearnerSpec("fadumo", "Fadumo", "Fadumo Ali Warsame", 52, "Somali", L.PRE_A1, account=False),
    LearnerSpec("ayesha", "Ayesha", "Ayesha Siddiqui", 26, "Urdu, English", L.B1, email=True),
    LearnerSpec("nimal", "Nimal", "Nimal Perera", 41, "Sinhala, Tamil", L.A2),
    LearnerSpec(
        "khadija", "Khadija", "Khadija Omar Mohammed", 29, "Arabic", L.A1, preferred_language="ar"
    ),
    LearnerSpec(
        "jp.mukendi",
        "Jean-Pierre",
        "Jean-Pierre Mukendi Tshibanda",
        36,
        "French, Swahili, Lingala",
        L.B1,
        phone=False,
        email=True,
        preferred_language="fr",
    ),
    LearnerSpec("shahida", "Shahida", "Shahida Begum", 47, "Bengali", L.PRE_A1, account=False),
    LearnerSpec(
        "yusuf",
        "Yusuf",
        "Yusuf Abdullahi Farah",
        24,
        "Somali, Arabic, English",
        L.B2,
        email=True,
        consent_photo=True,
    ),
    LearnerSpec("imran", "Imran", "Imran Shah", 32, "Pashto, Urdu", L.A1, preferred_language="ur"),
    LearnerSpec("priya", "Priya", "Priya Kanagaratnam", 30, "Tamil, English", L.A2),
    LearnerSpec(
        "nabil", "Nabil", "Nabil Ahmed Al-Sanabani", 44, "Arabic", L.A2, preferred_language="ar"
    ),
    LearnerSpec(
        "esther",
        "Esther",
        "Esther Nsimba Mputu",
        28,
        "French, Lingala",
        L.A1,
        preferred_language="fr",
    ),
    LearnerSpec("tanvir", "Tanvir", "Tanvir Hossain", 22, "Bengali, English", L.A2),
    LearnerSpec("hodan", "Hodan", "Hodan Yusuf Aden", 35, "Somali", L.A1),
    LearnerSpec("zainab", "Zainab", "Zainab Akhtar", 20, "Urdu, Punjabi, English", L.A2),
    LearnerSpec("rukhsana", "Rukhsana", "Rukhsana Bibi", 50, "Urdu", L.PRE_A1),
    LearnerSpec("samira", "Samira", "Samira Abdo Qasim", 27, "Arabic, English", L.B1, email=True),
    LearnerSpec("patrick", "Patrick", "Patrick Ilunga Kasongo", 29, "French, Swahili", L.A2),
    # Children: no phone or account of their own; the centre reaches their parent.
    LearnerSpec(
        "hamza",
        "Hamza",
        "Hamza Mohamed Abdi",
        9,
        "Somali, English, Cantonese",
        L.A1,
        phone=False,
        account=False,
        guardian="amina",
        relationship="Mother",
        consent_share_progress=True,
    ),
    LearnerSpec(
        "sara",
        "Sara",
        "Sara Bilal Qureshi",
        12,
        "Urdu, English, Cantonese",
        L.A2,
        phone=False,
        account=False,
        guardian="bilal",
        relationship="Father",
        consent_photo=True,
        consent_share_progress=True,
    ),
    LearnerSpec(
        "christelle",
        "Christelle",
        "Christelle Kabongo",
        10,
        "French, English",
        L.A1,
        phone=False,
        account=False,
        guardian="grace.mbuyi",
        relationship="Mother",
    ),
    LearnerSpec(
        "mariam",
        "Mariam",
        "Mariam Nabil Al-Sanabani",
        17,
        "Arabic, English",
        L.B1,
        phone=False,
        account=False,
        guardian="nabil",
        relationship="Father",
    ),
]
# More children of these families, whose schooling sponsors pay (demo/sponsorship.py).
LEARNERS += [LearnerSpec(**child) for child in SPONSORED_CHILDREN]


@dataclass(frozen=True)
class IntakeSpec:
    """Who enrolled in a course's run, in the order they came: the first take the seats, the
    rest wait (or, in a review run, have applied). Term 1 is this term, term 2 the next."""

    course: str
    term: int
    learners: tuple[str, ...]
    approve: tuple[str, ...] = ()
    withdraw: tuple[tuple[str, str], ...] = ()  # (learner, reason), after everyone enrolled


# Eligibility as in COURSES: english-a2 needs A1 and 16+, ielts B1 and 16+, ged B1 and 18+,
# warehouse A1 and 18+, english-b1-youth A2 and 15+, photography 14+; the rest are open to all.
INTAKES = [
    # Full (10 seats), two waiting for a drop-out.
    IntakeSpec(
        "computer-first-steps",
        1,
        (
            "amina",
            "abdulrahman",
            "fadumo",
            "rafiq",
            "shahida",
            "imran",
            "rukhsana",
            "hodan",
            "tanvir",
            "esther",
            "patrick",
            "grace.mbuyi",
        ),
    ),
    IntakeSpec("english-starters", 1, ("abdulrahman", "fadumo", "shahida", "rukhsana")),
    IntakeSpec("homework-club", 1, ("hamza", "sara", "christelle")),
    # Full (6 seats), three waiting; Khadija's withdrawal promotes Esther, two still wait.
    IntakeSpec(
        "english-a2",
        2,
        (
            "bilal",
            "tharshini",
            "nimal",
            "khadija",
            "priya",
            "nabil",
            "esther",
            "grace.mbuyi",
            "hodan",
        ),
        withdraw=(("khadija", "Found evening work at a restaurant; hopes to join next term."),),
    ),
    IntakeSpec("english-a1", 2, ("amina", "rafiq", "imran", "rukhsana")),
    IntakeSpec("ielts-preparation", 2, ("ayesha", "jp.mukendi", "yusuf")),
    IntakeSpec("photography-beginners", 2, ("mariam", "zainab")),
    # Review runs: applications waiting for a coordinator, one already approved.
    IntakeSpec("english-b1-youth", 2, ("mariam", "tanvir", "zainab")),
    IntakeSpec("warehouse-training", 2, ("rafiq", "nimal", "patrick"), approve=("nimal",)),
    IntakeSpec("ged-preparation", 2, ("yusuf", "samira")),
]

# This term's attendance so far. Most learners come, some late or excused now and then; a few
# are slipping away, for the coordinators' at-risk list: "low" comes one class in two (below
# the 80% minimum), "gone" stopped coming three classes ago.
AT_RISK = {
    "computer-first-steps": {"shahida": "low"},
    "english-starters": {"fadumo": "gone"},
    "homework-club": {"christelle": "low"},
}
# Runs whose latest class nobody has taken the register of yet (the teacher forgot).
UNTAKEN = ("english-starters", "homework-club")
LATE_NOTES = ("Bus was late", "Came straight from work", "", "")
EXCUSED_NOTES = ("Doctor's appointment", "Child was sick", "Appointment at Immigration")

# The learners whose logins are printed: one signs in with a phone number, one with an email.
PHONE_LOGIN = "amina"
EMAIL_LOGIN = "grace.mbuyi"


# Last term's classes, finished weeks ago and closed: most learners completed and have their
# certificate; those who came to too few classes did not; one certificate was revoked.
FINISHED = {
    "english-a1": ("amina", "rafiq", "imran", "rukhsana"),
    "computer-first-steps": ("amina", "abdulrahman", "fadumo", "shahida", "hodan"),
}
NOT_COMPLETED = {"english-a1": ("imran",), "computer-first-steps": ("hodan",)}
REVOKED = {
    "computer-first-steps": (
        "fadumo",
        "Issued in error: the learner's attendance was corrected after the class closed.",
    )
}
# Results from outside the centre: GED (one diploma, one with three of four subjects), IELTS
# and a partner's English level.
GED_RESULTS = {
    "yusuf": {"math": 162, "rla": 171, "science": 158, "social_studies": 149},
    "samira": {"math": 138, "rla": 152, "science": 147, "social_studies": 155},
}
IELTS_RESULTS = {"ayesha": {"listening": "6.5", "reading": "6", "writing": "6", "speaking": "7"}}
PARTNER_LEVELS = {"amina": Level.A1, "bilal": Level.B1}


@dataclass
class DemoSummary:
    logins: list[tuple[str, str, str]]
    courses: int
    runs: int
    learners: int = 0
    enrolments: int = 0
    attendance: int = 0
    certificates: int = 0
    sponsored_children: int = 0
    verification_url: str = ""


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; every demo account shares the one published password.
    return make_password(DEMO_PASSWORD)


def _user(username, first, last, group, *, superuser=False, email=""):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email}
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


def _run(
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


def _term_dates(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """This term (started four weeks ago) and next term (starts in three weeks)."""
    this_start = today - dt.timedelta(days=today.weekday() + 28)
    next_start = today - dt.timedelta(days=today.weekday()) + dt.timedelta(weeks=3)
    return [
        (this_start, this_start + dt.timedelta(weeks=10, days=-1)),
        (next_start, next_start + dt.timedelta(weeks=10, days=-1)),
    ]


def _phone(spec: LearnerSpec, copy: int, number: int) -> str:
    return normalise_phone(f"9123{(copy - 1) * 100 + number:04d}") if spec.phone else ""


def _email(spec: LearnerSpec, copy: int) -> str:
    if not spec.email:
        return ""
    return f"{spec.key}@example.org" if copy == 1 else f"{spec.key}.{copy}@example.org"


def _username(spec: LearnerSpec, copy: int, number: int) -> str:
    return _phone(spec, copy, number) or _email(spec, copy)


def build_learners(*, copy: int, today: dt.date) -> dict[str, Learner]:
    """The demo's learners for one copy of the centre, by key; those that exist are kept.

    The case reference (coordinators only) identifies a demo learner across runs: names are
    not unique, and a child has neither phone nor email. A demo learner whose phone number or
    username someone else took meanwhile (signing up by hand, say) is left out.
    """
    learners: dict[str, Learner] = {}
    for number, spec in enumerate(LEARNERS, start=1):
        reference = f"DEMO-{copy:03d}-{number:02d}"
        phone, email = _phone(spec, copy, number), _email(spec, copy)
        username = _username(spec, copy, number) if spec.account else ""
        learner = Learner.objects.filter(case_reference=reference).first()
        if learner is None and _taken(phone=phone, username=username):
            continue
        if learner is None:
            user = None
            if username:
                user = _user(username, spec.preferred_name, "", "Learners", email=email)
            guardian = learners.get(spec.guardian)
            learner = Learner.objects.create(
                user=user,
                preferred_name=spec.preferred_name,
                legal_name=spec.legal_name,
                # Birthdays spread over the year, always `age` years old on the seeding day.
                date_of_birth=years_before(today, spec.age) - dt.timedelta(days=37 * number % 300),
                languages=spec.languages,
                preferred_language=spec.preferred_language,
                english_level=spec.english_level,
                phone=phone,
                email=email,
                guardian_name=guardian.legal_name if guardian else "",
                guardian_phone=guardian.phone if guardian else "",
                guardian_relationship=spec.relationship,
                consent_photo=spec.consent_photo,
                consent_share_progress=spec.consent_share_progress,
                case_reference=reference,
            )
        learners[spec.key] = learner
    return learners


def _login(key: str) -> str:
    """The username of the first copy's learner ``key``."""
    number, spec = next((n, spec) for n, spec in enumerate(LEARNERS, start=1) if spec.key == key)
    return _username(spec, 1, number)


def _taken(*, phone: str, username: str) -> bool:
    if phone and Learner.objects.filter(phone=phone).exists():
        return True
    return bool(username) and get_user_model().objects.filter(username=username).exists()


def _run_code(slug: str, copy: int, term: int) -> str:
    return f"{slug[:18]}-{copy}-t{term}".upper()


def build_enrolments(
    *,
    copy: int,
    learners: dict[str, Learner],
    coordinator,
    terms: list[tuple[dt.date, dt.date]],
    today: dt.date,
) -> None:
    """Enrol the demo's learners through the enrolment service, so that seats, waitlists and
    the history of every status change are what the real workflow makes. An enrolment that
    exists (in any status) is left alone, with whatever was done to it since."""
    for intake in INTAKES:
        run = CourseRun.objects.get(code=_run_code(intake.course, copy, intake.term))
        # This term's enrolment closed two weeks after it began (and the service refuses
        # enrolments outside the window), so its learners enrolled "as of" the week before
        # the first class. Next term's enrolment is open now.
        as_of = terms[0][0] - dt.timedelta(weeks=1) if intake.term == 1 else today
        created: dict[str, Enrolment] = {}
        for key in intake.learners:
            learner = learners.get(key)
            if learner is None or Enrolment.objects.filter(learner=learner, run=run).exists():
                continue
            created[key] = enrolment_create(learner=learner, run=run, by=coordinator, today=as_of)
        for key in intake.approve:
            if key in created:
                enrolment_approve(enrolment=created[key], by=coordinator)
        for key, reason in intake.withdraw:
            if key in created:
                learner = learners[key]
                enrolment_withdraw(
                    enrolment=created[key], by=learner.user or coordinator, reason=reason
                )
        if intake.term == 1:
            backdate_seats(run=run, as_of=as_of)


def backdate_seats(*, run: CourseRun, as_of: dt.date) -> None:
    """Move the seat times of a run's just-made enrolments back to when they were "made".

    enrolment_create(today=...) checks the enrolment window as of that day, but stamps the
    enrolment (created_at, enrolled_at, waitlisted_at) and its history with the real time, now.
    A register lists only the learners who held a seat when the class took place, so for the
    classes this term has already held, the seats must date from before the first class: each
    enrolment made in this build takes a time on the morning of `as_of`, in the order they
    were made. Enrolments made on an earlier day (an earlier build) are left alone.
    """
    first_class = timezone.make_aware(dt.datetime.combine(run.start_date, run.start_time))
    fresh = list(
        Enrolment.objects.filter(run=run, created_at__gte=first_class).order_by("created_at", "pk")
    )
    start = timezone.make_aware(dt.datetime.combine(as_of, dt.time(10)))
    for minutes, enrolment in enumerate(fresh):
        when = start + dt.timedelta(minutes=minutes)
        enrolment.created_at = when
        enrolment.enrolled_at = when if enrolment.enrolled_at else None
        enrolment.waitlisted_at = when if enrolment.waitlisted_at else None
        EnrolmentEvent.objects.filter(enrolment=enrolment).update(at=when)
    Enrolment.objects.bulk_update(fresh, ["created_at", "enrolled_at", "waitlisted_at"])


def _draw(*parts: object) -> int:
    """A number from 0 to 99, the same for the same parts on every build."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


def _mark(enrolment: Enrolment, *, index: int, held: int, risk: str) -> Mark:
    """The demo's mark for a learner at the index-th of `held` classes held so far."""
    A = AttendanceStatus
    if risk == "low":
        return Mark(A.PRESENT if index % 2 == 0 else A.ABSENT)
    if risk == "gone":
        return Mark(A.ABSENT if index >= held - 3 else A.PRESENT)
    draw = _draw(enrolment.learner.case_reference, enrolment.run.code, index)
    if draw < 84:
        return Mark(A.PRESENT)
    if draw < 92:
        return Mark(A.LATE, LATE_NOTES[draw % len(LATE_NOTES)])
    if draw < 97 or held < 10:
        # One absence in a short history would already put a learner below 80%; only the
        # AT_RISK learners should be at risk.
        return Mark(A.EXCUSED, EXCUSED_NOTES[draw % len(EXCUSED_NOTES)])
    return Mark(A.ABSENT)


def build_attendance(*, copy: int, learners: dict[str, Learner], now: dt.datetime) -> None:
    """Take the registers of this term's classes held so far, as each run's teacher would have
    at the start of the class, except the latest class of the UNTAKEN runs. A class whose
    register has any mark already is left as it is."""
    keys = {learner.pk: key for key, learner in learners.items()}
    for intake in INTAKES:
        if intake.term != 1:
            continue
        run = CourseRun.objects.get(code=_run_code(intake.course, copy, 1))
        teacher = run.teachers.first()
        held = [
            session
            for session in run.sessions.filter(status=SessionStatus.SCHEDULED).order_by(
                "date", "start_time"
            )
            if session_starts_at(session) <= now
        ]
        if intake.course in UNTAKEN:
            held = held[:-1]
        marked = set(
            Attendance.objects.filter(session__in=held).values_list("session_id", flat=True)
        )
        risks = AT_RISK.get(intake.course, {})
        seated = list(
            run.enrolments.filter(enrolled_at__isnull=False).select_related("learner", "run")
        )
        for index, session in enumerate(held):
            if session.pk in marked or teacher is None:
                continue
            starts = session_starts_at(session)
            marks = {
                enrolment.pk: _mark(
                    enrolment,
                    index=index,
                    held=len(held),
                    risk=risks.get(keys.get(enrolment.learner_id, ""), ""),
                )
                for enrolment in seated
                if enrolment.enrolled_at < starts
                and (enrolment.left_at is None or enrolment.left_at > starts)
            }
            # Marked ten minutes into the class, by its teacher, as the register page would.
            register_mark(
                session=session, marks=marks, by=teacher, now=starts + dt.timedelta(minutes=10)
            )


def build_finished_runs(
    *,
    copy: int,
    learners: dict[str, Learner],
    coordinator,
    teachers: list,
    venues: dict[str, Venue],
    this_term_start: dt.date,
    today: dt.date,
) -> None:
    """Last term (eight weeks, ended about two months ago): runs taken through the real
    workflow (enrolled, registers taken, closed, certificates issued, one revoked). A run
    that exists is completed where a step is missing and otherwise left alone."""
    start = this_term_start - dt.timedelta(weeks=12)
    end = start + dt.timedelta(weeks=8, days=-1)
    specs = {spec.slug: spec for spec in COURSES}
    for number, (slug, keys) in enumerate(FINISHED.items()):
        spec = specs[slug]
        course = CoursePage.objects.get(slug=slug if copy == 1 else f"{slug}-{copy}")
        run, created = _run(
            spec,
            course=course,
            code=_run_code(slug, copy, 0),
            start=start,
            end=end,
            venue=venues[spec.venue],
            mode=RunMode.OPEN,
            closes=start + dt.timedelta(weeks=1),
        )
        teacher = teachers[(number + copy) % len(teachers)]
        if created:
            run.teachers.add(teacher)
            sessions_generate(run=run)
        if run.status == RunStatus.CLOSED:
            continue
        as_of = start - dt.timedelta(weeks=1)
        for key in keys:
            learner = learners.get(key)
            if learner and not Enrolment.objects.filter(learner=learner, run=run).exists():
                enrolment_create(learner=learner, run=run, by=coordinator, today=as_of)
        backdate_seats(run=run, as_of=as_of)
        seated = list(run.enrolments.filter(enrolled_at__isnull=False).select_related("learner"))
        dropping = {learners[k].pk for k in NOT_COMPLETED.get(slug, ()) if k in learners}
        marked = set(Attendance.objects.filter(session__run=run).values_list("session", flat=True))
        sessions = run.sessions.filter(status=SessionStatus.SCHEDULED).order_by("date")
        for index, session in enumerate(sessions):
            if session.pk in marked:
                continue
            marks = {
                e.pk: Mark(
                    AttendanceStatus.ABSENT
                    if e.learner_id in dropping and index % 2
                    else AttendanceStatus.PRESENT
                )
                for e in seated
            }
            starts = session_starts_at(session)
            register_mark(
                session=session, marks=marks, by=teacher, now=starts + dt.timedelta(minutes=10)
            )
        run_close(run=run, by=coordinator, today=today)
        certificates_issue_for_run(run=run, by=coordinator)
        if slug in REVOKED and REVOKED[slug][0] in learners:
            key, reason = REVOKED[slug]
            certificate = Certificate.objects.filter(
                enrolment__run=run, enrolment__learner=learners[key], revoked_at__isnull=True
            ).first()
            if certificate:
                certificate_revoke(certificate=certificate, reason=reason, by=coordinator)


def build_qualifications(
    *, learners: dict[str, Learner], coordinator, partner: Partner, today: dt.date
) -> None:
    """GED, IELTS and partner levels, recorded once per learner and kind."""

    def missing(key: str, kind: str) -> Learner | None:
        learner = learners.get(key)
        if learner is None or Qualification.objects.filter(learner=learner, kind=kind).exists():
            return None
        return learner

    taken_on = today - dt.timedelta(weeks=6)
    for key, scores in GED_RESULTS.items():
        if learner := missing(key, QualificationKind.GED):
            qualification_record_ged(
                learner=learner, scores=scores, taken_on=taken_on, by=coordinator
            )
    for key, bands in IELTS_RESULTS.items():
        if learner := missing(key, QualificationKind.IELTS):
            qualification_record_ielts(
                learner=learner, bands=bands, taken_on=taken_on, by=coordinator
            )
    for key, level in PARTNER_LEVELS.items():
        if learner := missing(key, QualificationKind.PARTNER_LEVEL):
            qualification_record_partner_level(
                learner=learner, level=level, partner=partner, taken_on=taken_on, by=coordinator
            )


# Seeded enrolments go through the real service, which emails the learner once the transaction
# commits. The demo's addresses are made up, so those emails go nowhere.
DISCARD_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


def build_demo(*, scale: int = 1) -> DemoSummary:
    """Build (or complete) the demo centre. Running it again changes nothing."""
    with override_settings(EMAIL_BACKEND=DISCARD_EMAIL), transaction.atomic():
        return _build_demo(scale)


def _build_demo(scale: int) -> DemoSummary:
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
                code = _run_code(spec.slug, copy, term_no)
                run, created = _run(
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

    copies = [build_learners(copy=copy, today=today) for copy in range(1, scale + 1)]
    now = timezone.now()
    sponsored = 0
    for copy, learners in enumerate(copies, start=1):
        build_enrolments(
            copy=copy, learners=learners, coordinator=coordinator, terms=terms, today=today
        )
        build_attendance(copy=copy, learners=learners, now=now)
        build_finished_runs(
            copy=copy,
            learners=learners,
            coordinator=coordinator,
            teachers=teachers,
            venues=venues,
            this_term_start=terms[0][0],
            today=today,
        )
        build_qualifications(
            learners=learners,
            coordinator=coordinator,
            partner=partners["British Council"],
            today=today,
        )
        sponsored += build_sponsorships(
            copy=copy,
            learners=learners,
            coordinator=coordinator,
            today=today,
            password_hash=_demo_password_hash(),
        )
    learner_ids = [learner.pk for learners in copies for learner in learners.values()]

    logins = [
        ("coordinator", DEMO_PASSWORD, "Coordinator (Wagtail admin at /admin/)"),
        ("admin", DEMO_PASSWORD, "Superuser"),
        *((u, DEMO_PASSWORD, "Teacher") for u, _f, _l in TEACHERS),
        (_login(PHONE_LOGIN), DEMO_PASSWORD, "Learner Amina: signs in with her phone, 9123 0001"),
        (
            _login(EMAIL_LOGIN),
            DEMO_PASSWORD,
            "Learner Grâce: signs in with her email; on two waitlists",
        ),
        *((username, DEMO_PASSWORD, role) for username, role in SPONSOR_LOGINS),
    ]
    return DemoSummary(
        logins=logins,
        courses=len(COURSES) * scale,
        runs=runs + len(FINISHED) * scale,
        learners=len(learner_ids),
        enrolments=Enrolment.objects.filter(learner__in=learner_ids).count(),
        attendance=Attendance.objects.filter(enrolment__learner__in=learner_ids).count(),
        certificates=Certificate.objects.filter(enrolment__learner__in=learner_ids).count(),
        sponsored_children=sponsored,
        verification_url=_verification_url(copies[0].get(PHONE_LOGIN)),
    )


def _verification_url(learner: Learner | None) -> str:
    certificate = (
        Certificate.objects.valid().filter(enrolment__learner=learner).first() if learner else None
    )
    return certificate_verification_url(certificate=certificate) if certificate else ""
