"""Late placements under concurrency: staff at two desks placing walk-ins into the last seats of
a class under way. The seats hold as they do for online enrolment: first shown to over-book
without the run's row lock, then never with it. PostgreSQL only (see test_races.py)."""

import datetime as dt
import threading
import time

import pytest

from courses.models import CourseRun
from enrolment.models import EnrolmentEvent
from enrolment.services import enrolling
from enrolment.services.late_enrolment import enrolment_place_late
from tests.dates import local_today
from tests.enrolment.services.test_races import (
    CAPACITY,
    LEARNERS,
    TIMEOUT,
    count,
    pytestmark,  # noqa: F401 (PostgreSQL only, transactional)
    race,
)
from tests.factories import CourseRunFactory, LearnerFactory

S = enrolling.S


@pytest.fixture
def under_way(site):
    return CourseRunFactory(
        capacity=CAPACITY,
        start_date=local_today() - dt.timedelta(days=14),
        enrolment_closes=local_today() - dt.timedelta(days=7),
    )


@pytest.fixture
def walk_ins(site):
    return LearnerFactory.create_batch(LEARNERS)


@pytest.fixture
def slow_count(monkeypatch):
    """A pause between counting the seats and writing, as in test_races.py."""
    count_seats = enrolling.seats_taken

    def counted_then_paused(run: CourseRun) -> int:
        taken = count_seats(run)
        time.sleep(0.02)
        return taken

    monkeypatch.setattr(enrolling, "seats_taken", counted_then_paused)


def place_all(run, people):
    return race(
        [
            lambda learner=learner: enrolment_place_late(
                learner=learner, run=run, by=None, reason="Walk-in"
            )
            for learner in people
        ]
    )


def test_without_the_lock_late_placements_over_book(under_way, walk_ins, monkeypatch):
    all_counted = threading.Barrier(LEARNERS, timeout=TIMEOUT)
    count_seats = enrolling.seats_taken

    def counted_then_wait_for_the_others(run: CourseRun) -> int:
        taken = count_seats(run)
        all_counted.wait()
        return taken

    monkeypatch.setattr(
        enrolling, "lock_run", lambda pk: CourseRun.objects.select_related("course").get(pk=pk)
    )
    monkeypatch.setattr(enrolling, "seats_taken", counted_then_wait_for_the_others)

    placed, errors = place_all(under_way, walk_ins)

    assert errors == []
    assert count(under_way, S.ENROLLED) == LEARNERS > CAPACITY


def test_with_the_lock_late_placements_fill_exactly_the_seats(under_way, walk_ins, slow_count):
    placed, errors = place_all(under_way, walk_ins)

    assert errors == []
    assert len(placed) == LEARNERS
    assert count(under_way, S.ENROLLED) == CAPACITY
    assert count(under_way, S.WAITLISTED) == LEARNERS - CAPACITY
    assert EnrolmentEvent.objects.filter(enrolment__run=under_way).count() == LEARNERS
