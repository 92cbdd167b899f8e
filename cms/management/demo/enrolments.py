"""The demo's enrolments: who enrolled in which run, through the enrolment service, with
seats, waitlists, approvals and a withdrawal."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from cms.management.demo.programme import run_code
from courses.models import CourseRun
from enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus, Learner
from enrolment.services.enrolling import (
    enrolment_approve,
    enrolment_create,
    enrolment_withdraw,
)
from enrolment.services.offers import offer_accept


@dataclass(frozen=True)
class IntakeSpec:
    """Who enrolled in a course's run, in the order they came: the first take the seats, the
    rest wait (or, in a review run, have applied). Term 1 is this term, term 2 the next."""

    course: str
    term: int
    learners: tuple[str, ...]
    approve: tuple[str, ...] = ()
    withdraw: tuple[tuple[str, str], ...] = ()  # (learner, reason), after everyone enrolled
    # A later withdrawal whose seat is offered to the next person and left unanswered, so the
    # demo shows an offer waiting (on /learn/ and in the admin).
    leave_offer_open: tuple[str, str] | None = None


# Eligibility as in programme.COURSES: english-a2 needs A1 and 16+, ielts B1 and 16+, ged B1
# and 18+, warehouse A1 and 18+, english-b1-youth A2 and 15+, photography 14+; the rest are
# open to all.
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
    # Full (6 seats), four waiting; Khadija's withdrawal offers Esther a seat, which she takes;
    # Priya's then offers Grâce one, still unanswered; two still wait.
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
            "tanvir",
        ),
        withdraw=(("khadija", "Found evening work at a restaurant; hopes to join next term."),),
        leave_offer_open=("priya", "Moving to Tuen Mun; will look for a class there."),
    ),
    IntakeSpec("english-a1", 2, ("amina", "rafiq", "imran", "rukhsana")),
    IntakeSpec("ielts-preparation", 2, ("ayesha", "jp.mukendi", "yusuf")),
    IntakeSpec("photography-beginners", 2, ("mariam", "zainab")),
    # Review runs: applications waiting for a coordinator, one already approved.
    IntakeSpec("english-b1-youth", 2, ("mariam", "tanvir", "zainab")),
    IntakeSpec("warehouse-training", 2, ("rafiq", "nimal", "patrick"), approve=("nimal",)),
    IntakeSpec("ged-preparation", 2, ("yusuf", "samira")),
]


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
        run = CourseRun.objects.get(code=run_code(intake.course, copy, intake.term))
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
        # The freed seat was offered to the first person waiting; in the demo they took it.
        # (Only as the intake is made: a later seeding leaves the open offer below open.)
        offers = Enrolment.objects.filter(run=run, status=EnrolmentStatus.OFFERED)
        for offer in offers if created else ():
            offer_accept(enrolment=offer, by=offer.learner.user or coordinator)
        if intake.leave_offer_open and intake.leave_offer_open[0] in created:
            key, reason = intake.leave_offer_open
            enrolment_withdraw(
                enrolment=created[key], by=learners[key].user or coordinator, reason=reason
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
