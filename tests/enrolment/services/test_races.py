"""Seats under concurrency: many learners, one run, the same instant.

Each thread has its own database connection (Django gives every thread one), so these are
real concurrent transactions. As pretix does, one test first shows that the race over-books
when the run's row is not locked; the others show that with the lock it never does. SQLite
serialises every writer, so there is no race to show there: PostgreSQL only.
"""

import datetime as dt
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from django.db import connection

from courses.models import CourseRun
from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentEvent, EnrolmentStatus
from enrolment.services import enrolling, offers
from enrolment.services.enrolling import enrolment_create, enrolment_withdraw
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory

S = EnrolmentStatus

# Every race test module's marks (``pytestmark = RACE``).
RACE = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and real threads"
    ),
    # Threads see only committed rows; serialized_rollback brings back what migrations made
    # (root page, role groups) for whichever transactional test runs next.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
pytestmark = RACE

LEARNERS = 45
CAPACITY = 20
TIMEOUT = 30  # seconds any thread may wait at a barrier; a broken test fails, never hangs


def race(calls: Sequence[Callable[[], Any]]) -> tuple[list[Any], list[Exception]]:
    """Run every call in its own thread, all released at the same instant.

    Returns the results and the exceptions raised, in no particular order.
    """
    start = threading.Barrier(len(calls), timeout=TIMEOUT)
    results: list[Any] = []
    errors: list[Exception] = []

    def worker(call: Callable[[], Any]) -> None:
        try:
            start.wait()
            results.append(call())
        except Exception as error:  # reported to the test below
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection; the test database is dropped later

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=2 * TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a racing thread never finished"
    return results, errors


def enrol_all(run: CourseRun, learners) -> tuple[list[Enrolment], list[Exception]]:
    return race(
        [
            lambda learner=learner: enrolment_create(learner=learner, run=run, by=None)
            for learner in learners
        ]
    )


def waitlist_positions(run: CourseRun) -> list[int]:
    return sorted(
        Enrolment.objects.with_waitlist_position()
        .filter(run=run, status=S.WAITLISTED)
        .values_list("waitlist_position", flat=True)
    )


def count(run: CourseRun, status: str) -> int:
    return Enrolment.objects.filter(run=run, status=status).count()


def held(run: CourseRun) -> int:
    """Seats taken: enrolled, or offered and waiting for the answer."""
    return count(run, S.ENROLLED) + count(run, S.OFFERED)


@pytest.fixture
def run(site):
    return CourseRunFactory(capacity=CAPACITY)


@pytest.fixture
def learners(site):
    return LearnerFactory.create_batch(LEARNERS)


@pytest.fixture
def slow_count(monkeypatch):
    """Hold each thread for a moment after it counted the seats, before it writes.

    The pause widens the window between "count" and "write" that a race needs, so that a lost
    lock shows up as over-booking rather than passing by luck; with the lock it only makes the
    queue slower.
    """
    count_seats = enrolling.seats_taken

    def counted_then_paused(run: CourseRun) -> int:
        taken = count_seats(run)
        time.sleep(0.02)
        return taken

    monkeypatch.setattr(enrolling, "seats_taken", counted_then_paused)


def test_without_the_lock_the_run_is_over_booked(run, learners, monkeypatch):
    def fetch_without_locking(run_id: int) -> CourseRun:
        return CourseRun.objects.select_related("course").get(pk=run_id)

    # Every thread counts the seats, then waits until all have counted, then writes: the
    # widest possible window, made deterministic. No row locks are held while waiting.
    all_counted = threading.Barrier(LEARNERS, timeout=TIMEOUT)
    count_seats = enrolling.seats_taken

    def counted_then_wait_for_the_others(run: CourseRun) -> int:
        taken = count_seats(run)
        all_counted.wait()
        return taken

    monkeypatch.setattr(enrolling, "lock_run", fetch_without_locking)
    monkeypatch.setattr(enrolling, "seats_taken", counted_then_wait_for_the_others)

    enrolments, errors = enrol_all(run, learners)

    assert errors == []
    assert len(enrolments) == LEARNERS
    # Everyone saw 0 of 20 seats taken, so everyone got one.
    assert count(run, S.ENROLLED) > CAPACITY
    assert count(run, S.ENROLLED) == LEARNERS


def test_with_the_lock_exactly_capacity_learners_get_a_seat(run, learners, slow_count):
    enrolments, errors = enrol_all(run, learners)

    assert errors == []
    assert len(enrolments) == LEARNERS
    assert count(run, S.ENROLLED) == CAPACITY
    assert count(run, S.WAITLISTED) == LEARNERS - CAPACITY
    assert waitlist_positions(run) == list(range(1, LEARNERS - CAPACITY + 1))
    # The lock serves them one at a time: whoever got a seat was served before anyone who
    # was told the run is full.
    by_status = {
        status: [e.created_at for e in enrolments if e.status == status]
        for status in (S.ENROLLED, S.WAITLISTED)
    }
    assert max(by_status[S.ENROLLED]) < min(by_status[S.WAITLISTED])
    assert EnrolmentEvent.objects.filter(enrolment__run=run).count() == LEARNERS


def test_a_withdrawal_racing_new_enrolments_fills_the_run_first_come_first_served(
    run, learners, slow_count
):
    # One seat free; a withdrawal frees a second while four newcomers want them.
    seated = [EnrolmentFactory(run=run, learner=learner) for learner in learners[: CAPACITY - 1]]
    newcomers = learners[CAPACITY : CAPACITY + 4]

    _, errors = race(
        [
            lambda: enrolment_withdraw(enrolment=seated[0], by=None, reason="Moved away"),
            *(
                lambda learner=learner: enrolment_create(learner=learner, run=run, by=None)
                for learner in newcomers
            ),
        ]
    )

    assert errors == []
    assert held(run) == CAPACITY
    # Whoever came first got the two seats (directly, or offered when the seat was freed);
    # the last two wait, in the order they came.
    arrived = Enrolment.objects.filter(run=run, learner__in=newcomers).order_by("created_at")
    statuses = [e.status for e in arrived]
    assert set(statuses[:2]) <= {S.ENROLLED, S.OFFERED}
    assert statuses[2:] == [S.WAITLISTED, S.WAITLISTED]
    positions = Enrolment.objects.with_waitlist_position().filter(pk__in=[e.pk for e in arrived])
    assert [e.waitlist_position for e in positions.order_by("created_at")] == [None, None, 1, 2]


def test_withdrawals_and_new_enrolments_racing_keep_the_run_full_and_in_order(
    run, learners, slow_count
):
    seated = [EnrolmentFactory(run=run, learner=learner) for learner in learners[:CAPACITY]]
    waiting = [
        enrolment_create(learner=learner, run=run, by=None)
        for learner in learners[CAPACITY : CAPACITY + 3]
    ]
    newcomers = learners[CAPACITY + 3 : CAPACITY + 8]
    leaving = seated[:2]
    assert [e.status for e in waiting] == [S.WAITLISTED] * 3

    _, errors = race(
        [
            *(
                lambda e=e: enrolment_withdraw(enrolment=e, by=None, reason="Found work")
                for e in leaving
            ),
            *(
                lambda learner=learner: enrolment_create(learner=learner, run=run, by=None)
                for learner in newcomers
            ),
        ]
    )

    assert errors == []
    assert held(run) == CAPACITY
    assert count(run, S.WITHDRAWN) == 2
    # The two freed seats were offered to the first two waiting, whatever the timing; the
    # third is now first in line, and the newcomers queue behind.
    statuses = dict(Enrolment.objects.filter(run=run).values_list("pk", "status"))
    assert [statuses[e.pk] for e in waiting] == [S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert waitlist_positions(run) == [1, 2, 3, 4, 5, 6]
    first_waiting = Enrolment.objects.with_waitlist_position().get(pk=waiting[2].pk)
    assert first_waiting.waitlist_position == 1


# --- an offer answered at the instant it expires ------------------------------------------------


@pytest.fixture
def pending_offer(site):
    """One seat, offered to the first of two people waiting (the seat's holder withdrew)."""
    run = CourseRunFactory(capacity=1)
    seated = EnrolmentFactory(run=run)
    first, second = (enrolment_create(learner=LearnerFactory(), run=run, by=None) for _ in range(2))
    enrolment_withdraw(enrolment=seated, by=None)
    first.refresh_from_db()
    assert first.status == S.OFFERED
    return run, first, second


def accept_and_expire(first: Enrolment):
    deadline = first.offer_expires_at
    return race(
        [
            # A YES read a second before the deadline, and the expiry run at the deadline.
            lambda: offers.offer_accept(
                enrolment=first, by=None, now=deadline - dt.timedelta(seconds=1)
            ),
            lambda: offers.offers_expire(now=deadline),
        ]
    )


def test_without_the_lock_an_offer_is_both_taken_and_passed_on(pending_offer, monkeypatch):
    run, first, second = pending_offer
    both_read = threading.Barrier(2, timeout=TIMEOUT)

    def read_without_locking(enrolment: Enrolment):
        fresh = Enrolment.objects.select_related("learner", "run").get(pk=enrolment.pk)
        both_read.wait()  # each has seen "offered" before either writes
        return fresh, fresh.run

    monkeypatch.setattr(offers, "_lock", read_without_locking)

    _, errors = accept_and_expire(first)

    assert errors == []
    # Two outcomes for one offer: the learner was told they have the seat, and the seat was
    # also passed on to the next person.
    outcomes = first.events.filter(to_status__in=[S.ENROLLED, S.DECLINED])
    assert outcomes.count() == 2
    second.refresh_from_db()
    assert second.status == S.OFFERED


def test_with_the_lock_an_offer_has_exactly_one_outcome(pending_offer):
    run, first, second = pending_offer

    _, errors = accept_and_expire(first)

    first.refresh_from_db()
    second.refresh_from_db()
    outcomes = first.events.filter(to_status__in=[S.ENROLLED, S.DECLINED])
    assert outcomes.count() == 1
    if first.status == S.ENROLLED:  # the YES came first: the expiry found nothing to do
        assert errors == [] and second.status == S.WAITLISTED
    else:  # the expiry came first: the YES is refused, the seat goes on
        assert first.status == S.DECLINED and second.status == S.OFFERED
        assert [type(error) for error in errors] == [EnrolmentError]
    assert Enrolment.objects.filter(run=run, status__in=[S.ENROLLED, S.OFFERED]).count() == 1
