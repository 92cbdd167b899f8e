"""What a coordinator's day needs, read for the admin's dashboard: today's classes and whether
their registers were taken, and how many items wait on each worklist.

Each count is the length of the list it links to, read through the same service that builds
that list (registers not taken, at risk, funding), so the two never disagree. The dashboard
costs the same few queries however many rows lie behind it.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Count, Q
from django.utils import timezone

from courses.choices import RunStatus, SessionStatus
from courses.models import Session
from enrolment import access
from enrolment.models import EnrolmentStatus, MessageStatus
from enrolment.models.enrolments import Enrolment
from enrolment.models.schools import school_year_of
from enrolment.services.at_risk import at_risk_queryset
from enrolment.services.attendance_reports import runs_under_way
from enrolment.services.corrections import correction_requests_waiting
from enrolment.services.funding import FundingStatus, funding_needs_standings
from enrolment.services.registers import (
    is_marked,
    registers_not_taken,
    session_has_started,
    someone_seated,
)

TODAY_SHOWN = 40  # classes listed; a centre runs far fewer in a day
OFFERS_SHOWN = 10  # offers listed, those closing soonest first


class RegisterState:
    """Where a class's register stands, in the order a coordinator acts on it."""

    NOT_TAKEN = "not_taken"
    TAKEN = "taken"
    NOT_STARTED = "not_started"
    NO_LEARNERS = "no_learners"  # nobody to mark: not a missing register
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class TodayClass:
    session: Session
    state: str


@dataclass(frozen=True)
class CoordinatorDay:
    today: dt.date
    classes: list[TodayClass]
    classes_count: int
    applications: int
    offers: int
    offers_soonest: list[Enrolment]
    at_risk: int
    registers_not_taken: int
    waiting_for_sponsor: int
    under_funded: int
    school_year: int
    failed_messages: int
    correction_requests: int = 0

    @property
    def not_taken_today(self) -> int:
        return sum(1 for line in self.classes if line.state == RegisterState.NOT_TAKEN)


def _register_state(session: Session, *, now: dt.datetime) -> str:
    if session.status == SessionStatus.CANCELLED:
        return RegisterState.CANCELLED
    if session.is_marked:
        return RegisterState.TAKEN
    if not session.has_learners:
        return RegisterState.NO_LEARNERS
    if not session_has_started(session, now=now):
        return RegisterState.NOT_STARTED
    return RegisterState.NOT_TAKEN


def _today_classes(
    *, user: AbstractBaseUser, today: dt.date, now: dt.datetime
) -> tuple[list[TodayClass], int]:
    sessions = (
        access.sessions_for_user(user)
        .filter(date=today)
        .exclude(run__status__in=[RunStatus.DRAFT, RunStatus.CANCELLED])
    )
    shown = list(
        sessions.annotate(is_marked=is_marked(), has_learners=someone_seated()).order_by(
            "start_time", "run__code", "pk"
        )[:TODAY_SHOWN]
    )
    count = len(shown) if len(shown) < TODAY_SHOWN else sessions.count()
    return [TodayClass(session, _register_state(session, now=now)) for session in shown], count


def coordinator_day(*, user: AbstractBaseUser, now: dt.datetime | None = None) -> CoordinatorDay:
    """The dashboard's figures for this user, on the day `now` falls on in Hong Kong."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    classes, classes_count = _today_classes(user=user, today=today, now=now)
    enrolments = access.enrolments_for_user(user)
    waiting = enrolments.aggregate(
        applications=Count("pk", filter=Q(status=EnrolmentStatus.APPLIED)),
        offers=Count("pk", filter=Q(status=EnrolmentStatus.OFFERED)),
    )
    offers_soonest = list(
        enrolments.filter(status=EnrolmentStatus.OFFERED)
        .select_related("learner", "run")
        .order_by("offer_expires_at", "pk")[:OFFERS_SHOWN]
    )
    under_way = runs_under_way(today=today)
    school_year = school_year_of(today)
    funding = [row.status for row in funding_needs_standings(school_year=school_year)]
    return CoordinatorDay(
        today=today,
        classes=classes,
        classes_count=classes_count,
        applications=waiting["applications"],
        offers=waiting["offers"],
        offers_soonest=offers_soonest,
        at_risk=at_risk_queryset(runs=under_way).count(),
        registers_not_taken=registers_not_taken(user=user, now=now, runs=under_way).count(),
        waiting_for_sponsor=funding.count(FundingStatus.WAITING),
        under_funded=funding.count(FundingStatus.UNDER_FUNDED),
        school_year=school_year,
        failed_messages=access.messages_for_user(user).filter(status=MessageStatus.FAILED).count(),
        correction_requests=correction_requests_waiting(user=user).count(),
    )
