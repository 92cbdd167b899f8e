"""The history's people and records: learners (one in eight a child with a guardian), school
places, sponsorships and term reports for children in every school year, and the messages,
access-log rows and qualifications five years leave behind."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.management.benchmark.bulk import Table, next_id
from cms.management.benchmark.history.plan import History
from enrolment.models import (
    AccessLog,
    Channel,
    Frequency,
    Grade,
    Learner,
    Message,
    MessageKind,
    MessageStatus,
    ProgressReport,
    Qualification,
    QualificationKind,
    School,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
    Term,
)
from enrolment.models.people import years_before
from enrolment.models.schools import school_year_bounds, school_year_of

FIRST_NAMES = (
    "Amina Bashir Chloe Dawit Esther Fatima Hodan Imran Jamal Khadija Leila Musa Nadia Omar "
    "Priya Rafiq Samira Tariq Yusuf Zainab Abdi Bilal Farah Grace Hassan Idris Joseph Mariam"
).split()
FAMILY_NAMES = (
    "Ahmed Haddad Okafor Warsame Siddiqui Rahman Mohamud Qureshi Tesfaye Diallo Nkosi Karimi"
).split()
LANGUAGES = ("ar", "ur", "fr", "so", "am", "en")
CHILD_SHARE = 8  # one learner in eight is a child


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())


def build_history_learners(
    plan: History, *, rng: random.Random, today: dt.date, counts: dict[str, int]
) -> tuple[list[tuple[int, str]], list[int]]:
    """Learners up to ``plan.learners`` in all; returns the new ones as (pk, name as printed)
    and the children among them. Phone numbers 5xxx xxxx: no demo number is in that range."""
    first_pk = next_id(Learner)
    new = max(plan.learners - Learner.objects.count(), 0)
    rows, learners, children = [], [], []
    for n in range(new):
        pk = first_pk + n
        first, family = rng.choice(FIRST_NAMES), rng.choice(FAMILY_NAMES)
        preferred = f"{first} {n}"
        child = n % CHILD_SHARE == 0
        born = years_before(today, rng.randint(6, 15) if child else rng.randint(18, 60))
        joined = _at(today - dt.timedelta(days=rng.randint(0, 365 * plan.years)))
        rows.append(
            (
                pk,
                preferred,
                f"{first} {family}",
                born - dt.timedelta(days=rng.randint(0, 364)),
                rng.choice(LANGUAGES),
                "" if child else f"+8525{n:07d}",
                f"{family} {n}" if child else "",
                f"+8526{n:07d}" if child else "",
                "Mother" if child else "",
                Channel.NONE.value if child else Channel.SMS.value,
                child,
                joined,
                joined,
            )
        )
        learners.append((pk, f"{first} {family}"))
        if child:
            children.append(pk)
    fields = [
        "id",
        "preferred_name",
        "legal_name",
        "date_of_birth",
        "preferred_language",
        "phone",
        "guardian_name",
        "guardian_phone",
        "guardian_relationship",
        "message_channel",
        "consent_share_progress",
        "created_at",
        "updated_at",
    ]
    counts["learners"] = Table(Learner, fields).write(rows)
    return learners, children


def build_history_children(
    plan: History,
    children: list[int],
    *,
    rng: random.Random,
    today: dt.date,
    counts: dict[str, int],
) -> None:
    """Each school year, ``plan.children_per_year`` children with a school place; most of
    them sponsored (monthly, over the year), each with two term reports."""
    if not children:
        return
    school, _created = School.objects.get_or_create(
        name="History Primary School",
        defaults={
            "district": "sham_shui_po",
            "school_type": SchoolType.PRIMARY,
            "lowest_grade": Grade.P1,
            "highest_grade": Grade.P6,
        },
    )
    sponsors = list(Sponsor.objects.order_by("pk").values_list("pk", flat=True))
    grades = [grade.value for grade in Grade if Grade.P1 <= grade <= Grade.P6]
    placements, sponsorships, reports = [], [], []
    this_year = school_year_of(today)
    for year in range(this_year - plan.years + 1, this_year + 1):
        first, last = school_year_bounds(year)
        for child in rng.sample(children, min(plan.children_per_year, len(children))):
            placements.append(
                (child, school.pk, year, rng.choice(grades), Decimal(0), Decimal(800))
                + (Decimal(1500), Decimal(2400))
            )
            if sponsors and rng.random() < 0.7:
                amount = Decimal(rng.choice([200, 300, 400, 500]))
                sponsorships.append(
                    (rng.choice(sponsors), child, first, last, amount, Frequency.MONTHLY.value)
                )
            for term in (Term.FIRST.value, Term.SECOND.value):
                if year < this_year:
                    shared = _at(first + dt.timedelta(days=120 * term))
                    reports.append((child, year, term, rng.randint(70, 100), True, shared))
    # Keys read before writing: no query may run on the connection while a COPY is open.
    first = {model: next_id(model) for model in (SchoolPlacement, Sponsorship, ProgressReport)}
    counts["school places"] = Table(
        SchoolPlacement,
        [
            "id",
            "child_id",
            "school_id",
            "school_year",
            "grade",
            "fees",
            "uniform",
            "books",
            "transport",
        ],
    ).write((first[SchoolPlacement] + n, *row) for n, row in enumerate(placements))
    counts["sponsorships"] = Table(
        Sponsorship,
        ["id", "sponsor_id", "child_id", "starts_on", "ends_on", "amount", "frequency"],
    ).write((first[Sponsorship] + n, *row) for n, row in enumerate(sponsorships))
    counts["term reports"] = Table(
        ProgressReport,
        [
            "id",
            "child_id",
            "school_year",
            "term",
            "school_attendance_percent",
            "shared_with_sponsors",
            "shared_at",
        ],
    ).write((first[ProgressReport] + n, *row) for n, row in enumerate(reports))


def build_history_records(
    plan: History,
    learners: list[tuple[int, str]],
    *,
    rng: random.Random,
    today: dt.date,
    counts: dict[str, int],
) -> None:
    """Five years of messages (about one a seat), the access log, and qualifications."""
    if not learners:
        return
    coordinator = get_user_model().objects.get(username="coordinator")
    days = 365 * plan.years

    def when() -> dt.datetime:
        return _at(today - dt.timedelta(days=rng.randint(1, days)), rng.randint(8, 20))

    messages = []
    for n in range(plan.runs * plan.class_size):
        pk, _name = rng.choice(learners)
        at = when()
        kind = rng.choice([MessageKind.ENROLLED.value, MessageKind.REMINDER.value])
        text = "Your place is confirmed." if kind == MessageKind.ENROLLED else "Class tomorrow."
        status = MessageStatus.FAILED.value if n % 50 == 0 else MessageStatus.DELIVERED.value
        messages.append((pk, Channel.SMS.value, kind, "en", text, status, 1, at, at, at))
    first = next_id(Message)
    counts["messages"] = Table(
        Message,
        [
            "id",
            "learner_id",
            "channel",
            "kind",
            "language",
            "body",
            "status",
            "attempts",
            "created_at",
            "sent_at",
            "updated_at",
        ],
    ).write((first + n, *row) for n, row in enumerate(messages))
    first = next_id(AccessLog)
    name = coordinator.get_full_name()
    counts["access log rows"] = Table(
        AccessLog, ["id", "user_id", "user_name", "at", "action", "learner_id", "what"]
    ).write(
        (first + n, coordinator.pk, name, when(), "viewed", rng.choice(learners)[0], "Learner")
        for n in range(plan.access_rows)
    )
    first = next_id(Qualification)
    counts["qualifications"] = Table(
        Qualification,
        ["id", "learner_id", "kind", "taken_on", "scores", "overall", "passed", "recorded_by_id"],
    ).write(
        (
            first + n,
            rng.choice(learners)[0],
            QualificationKind.IELTS.value,
            today - dt.timedelta(days=rng.randint(1, days)),
            {"listening": 6.0, "reading": 5.5, "writing": 5.5, "speaking": 6.0},
            "6.0",
            True,
            coordinator.pk,
        )
        for n in range(plan.qualifications)
    )
