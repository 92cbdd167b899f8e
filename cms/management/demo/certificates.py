"""The demo's results: last term's finished runs with their certificates (one revoked), and
qualifications from outside the centre."""

import datetime as dt

from wagtail.models import Locale

from cms.management.demo.enrolments import backdate_seats
from cms.management.demo.programme import COURSES, demo_run, run_code
from courses.choices import Level, RunMode, RunStatus, SessionStatus
from courses.models import CoursePage, Partner, Venue
from courses.services import sessions_generate
from enrolment.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Enrolment,
    Learner,
    Qualification,
    QualificationKind,
)
from enrolment.services.certificate_documents import certificate_verification_url
from enrolment.services.certification import (
    certificate_revoke,
    certificates_issue_for_run,
    run_close,
)
from enrolment.services.enrolling import enrolment_create
from enrolment.services.qualifications import (
    qualification_record_ged_subject,
    qualification_record_ielts,
    qualification_record_partner_level,
)
from enrolment.services.registers import Mark, register_mark, session_starts_at

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
# Results from outside the centre: GED subjects, taken one at a time (subject, score, weeks
# ago): Yusuf passed all four over five months, Science at the second try, and the diploma
# followed; Samira has three of four so far. Then IELTS and a partner's English level.
GED_RESULTS = {
    "yusuf": [
        ("math", 162, 22),
        ("rla", 171, 16),
        ("science", 138, 12),
        ("science", 158, 8),
        ("social_studies", 149, 6),
    ],
    "samira": [("math", 138, 10), ("rla", 152, 9), ("science", 147, 7), ("social_studies", 155, 5)],
}
IELTS_RESULTS = {"ayesha": {"listening": "6.5", "reading": "6", "writing": "6", "speaking": "7"}}
PARTNER_LEVELS = {"amina": Level.A1, "bilal": Level.B1}


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
        # The English page: its translations share its slug, and runs hang on it.
        course = CoursePage.objects.get(
            slug=slug if copy == 1 else f"{slug}-{copy}", locale=Locale.get_default()
        )
        run, created = demo_run(
            spec,
            course=course,
            code=run_code(slug, copy, 0),
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
    for key, results in GED_RESULTS.items():
        if learner := missing(key, QualificationKind.GED_SUBJECT):
            for subject, score, weeks in results:
                qualification_record_ged_subject(
                    learner=learner,
                    subject=subject,
                    score=score,
                    taken_on=today - dt.timedelta(weeks=weeks),
                    by=coordinator,
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


def verification_url_of(learner: Learner | None) -> str:
    certificate = (
        Certificate.objects.valid().filter(enrolment__learner=learner).first() if learner else None
    )
    return certificate_verification_url(certificate=certificate) if certificate else ""
