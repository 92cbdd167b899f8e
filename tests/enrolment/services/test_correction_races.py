"""Many correction requests from one learner at the same instant: no more than
MAX_OPEN_PER_LEARNER wait at once. The first test shows the race without the learner's row
lock; the second that the lock prevents it. PostgreSQL only (row locks and real threads)."""

import time

import pytest

from enrolment.errors import CorrectionError
from enrolment.models import CorrectionRequest
from enrolment.services import corrections
from enrolment.services.corrections import MAX_OPEN_PER_LEARNER, correction_request_create
from tests.enrolment.services.test_races import RACE, race
from tests.factories import LearnerFactory

pytestmark = RACE
SENDERS = 12


@pytest.fixture
def slow_create(monkeypatch):
    """A moment between counting the waiting requests and writing the new one: the window a
    race needs, so that a missing lock shows rather than passing by luck."""
    create = CorrectionRequest.objects.create

    def slowly(**fields):
        time.sleep(0.05)
        return create(**fields)

    monkeypatch.setattr(CorrectionRequest.objects, "create", slowly)


def send_all(learner):
    return race(
        [
            lambda index=index: correction_request_create(
                learner=learner, text=f"Wrong {index}", by=None
            )
            for index in range(SENDERS)
        ]
    )


def test_without_the_lock_too_many_requests_wait(monkeypatch, slow_create):
    monkeypatch.setattr(corrections, "_learner_lock", lambda learner: None)
    learner = LearnerFactory()

    send_all(learner)

    assert learner.correction_requests.count() > MAX_OPEN_PER_LEARNER


def test_with_the_lock_no_more_than_the_limit_wait(slow_create):
    learner = LearnerFactory()

    created, errors = send_all(learner)

    assert learner.correction_requests.count() == MAX_OPEN_PER_LEARNER == len(created)
    assert len(errors) == SENDERS - MAX_OPEN_PER_LEARNER
    assert all(isinstance(error, CorrectionError) for error in errors)
