"""A class with a register to take: a run that Grace (the cast's teacher) teaches, with past,
future and cancelled sessions and learners who took their seats before the first one.

Fixtures: `english`, Grace's English A1 class; `two_classes`, the same with `other`, a
computer class of the cast's other teacher."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from courses.choices import SessionStatus
from enrolment.models import EnrolmentStatus
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    SessionFactory,
)

NAMES = ("Amina", "Bilal", "Chloe")


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def seat(run, names=NAMES, *, since: dt.datetime | None = None):
    """Enrolments that took their seats `since` (before the run's first class by default)."""
    since = since or at(run.start_date - dt.timedelta(days=7), 9)
    return [
        EnrolmentFactory(
            run=run,
            learner=LearnerFactory(preferred_name=name),
            status=EnrolmentStatus.ENROLLED,
            enrolled_at=since,
        )
        for name in names
    ]


def build_class(site, cast, *, names=NAMES, code="ENG-A1", title="English A1"):
    run = CourseRunFactory(
        course=CoursePageFactory(title=title, parent=site.catalogue),
        code=code,
        capacity=60,
        teachers=[cast.teacher],
        start_date=days(-21),
        end_date=days(35),
        enrolment_opens=None,
        enrolment_closes=None,
    )
    earlier = SessionFactory(run=run, date=days(-14))
    past = SessionFactory(run=run, date=days(-7))
    cancelled = SessionFactory(
        run=run, date=days(-3), status=SessionStatus.CANCELLED, note="Typhoon signal 8"
    )
    future = SessionFactory(run=run, date=days(7))
    enrolments = seat(run, names)
    return SimpleNamespace(
        run=run,
        earlier=earlier,
        past=past,
        cancelled=cancelled,
        future=future,
        enrolments=enrolments,
        **{e.learner.preferred_name.lower(): e for e in enrolments},
    )


def other_teachers_class(site, cast):
    """Omar's computer class, which the cast's other teacher teaches, not Grace."""
    other = build_class(site, cast, names=["Omar"], code="PC-01", title="Computers")
    other.run.teachers.set([cast.other_teacher])
    return other


@pytest.fixture
def english(site, cast):
    return build_class(site, cast)


@pytest.fixture
def two_classes(site, cast):
    world = build_class(site, cast)
    world.other = other_teachers_class(site, cast)
    return world
