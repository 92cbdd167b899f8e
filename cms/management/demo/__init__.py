"""The demo centre: a realistic site, programme and timetable, built idempotently.

``seed_demo`` prints the logins; ``benchmark`` builds the same world at larger scales in a
database of its own.

It lives in cms's composition root, cms/management, because it builds on every app: the rest
of cms imports neither courses nor enrolment, and nothing outside cms/management imports this.
"""

from dataclasses import dataclass

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cms.management.demo.certificates import (
    FINISHED,
    build_finished_runs,
    build_qualifications,
    verification_url_of,
)
from cms.management.demo.dashboard import build_undelivered_message
from cms.management.demo.enrolments import build_enrolments
from cms.management.demo.people import (
    DEMO_PASSWORD,
    LEARNERS,
    PHONE_LOGIN,
    TEACHERS,
    build_learners,
    build_staff,
    demo_logins,
    demo_password_hash,
    demo_user,
)
from cms.management.demo.privacy import build_access_log
from cms.management.demo.programme import (
    COURSES,
    build_categories,
    build_courses,
    build_partners,
    build_venues,
    term_dates,
)
from cms.management.demo.registers import build_attendance
from cms.management.demo.site import build_site
from cms.management.demo.sponsorship import build_sponsorships
from cms.management.demo.support import build_support
from cms.management.demo.translations import build_snippet_translations, build_translations
from cms.translators import translator_pages_grant
from enrolment.models import Attendance, Certificate, Enrolment
from enrolment.services.message_backends import MemoryBackend

__all__ = [
    "DEMO_PASSWORD",
    "LEARNERS",
    "TEACHERS",
    "DemoSummary",
    "build_demo",
    "build_learners",
    "demo_password_hash",
    "demo_user",
]


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


# Seeded enrolments go through the real service, which messages the learner once the transaction
# commits. The demo's addresses are made up, so those messages go nowhere, but are recorded.
DISCARD_EMAIL = "django.core.mail.backends.dummy.EmailBackend"
# The same for texts and WhatsApp messages: kept in memory and dropped, recorded as sent.
DISCARD_TEXTS = "enrolment.services.message_backends.MemoryBackend"


def build_demo(*, scale: int = 1) -> DemoSummary:
    """Build (or complete) the demo centre. Running it again changes nothing."""
    with (
        override_settings(EMAIL_BACKEND=DISCARD_EMAIL, MESSAGES_BACKEND=DISCARD_TEXTS),
        transaction.atomic(),
    ):
        summary = _build_demo(scale)
    MemoryBackend.reset()
    return summary


def _build_demo(scale: int) -> DemoSummary:
    home, catalogue = build_site()
    categories = build_categories()
    partners = build_partners()
    venues = build_venues()
    coordinator, teachers = build_staff(scale=scale)

    today = timezone.localdate()
    terms = term_dates(today)
    runs = build_courses(
        home=home,
        catalogue=catalogue,
        scale=scale,
        categories=categories,
        partners=partners,
        venues=venues,
        teachers=teachers,
        terms=terms,
    )
    build_translations(home=home, catalogue=catalogue)
    build_snippet_translations(categories=categories, partners=partners, venues=venues)
    # The translator edits every language's tree (new trees are granted as they are made; this
    # covers a demo database seeded before the Translators group existed).
    translator_pages_grant()

    copies = [build_learners(copy=copy, today=today) for copy in range(1, scale + 1)]
    now = timezone.now()
    sponsored = 0
    for copy, learners in enumerate(copies, start=1):
        build_enrolments(
            copy=copy, learners=learners, coordinator=coordinator, terms=terms, today=today
        )
        build_attendance(copy=copy, learners=learners, now=now)
        build_undelivered_message(copy=copy, learners=learners)
        build_support(copy=copy, learners=learners, coordinator=coordinator)
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
            password_hash=demo_password_hash(),
        )
    build_access_log(learners=copies[0], coordinator=coordinator)
    learner_ids = [learner.pk for learners in copies for learner in learners.values()]

    return DemoSummary(
        logins=demo_logins(),
        courses=len(COURSES) * scale,
        runs=runs + len(FINISHED) * scale,
        learners=len(learner_ids),
        enrolments=Enrolment.objects.filter(learner__in=learner_ids).count(),
        attendance=Attendance.objects.filter(enrolment__learner__in=learner_ids).count(),
        certificates=Certificate.objects.filter(enrolment__learner__in=learner_ids).count(),
        sponsored_children=sponsored,
        verification_url=verification_url_of(copies[0].get(PHONE_LOGIN)),
    )
