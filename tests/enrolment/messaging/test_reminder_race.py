"""Two copies of `send_due_messages` at the same instant (cron overlapping a slow run, or the
cron line on two servers) write and send each reminder once: the `once_key` is unique, so the
second copy's insert fails instead of writing a second reminder. PostgreSQL: real concurrent
transactions, one thread and one connection each."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from enrolment.models import Message, MessageKind
from enrolment.services import class_notices
from enrolment.services.message_backends import MemoryBackend
from tests.enrolment.services.test_races import race
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    SessionFactory,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and threads"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LEARNERS = 20
COPIES = 4
EVENING = dt.datetime(2027, 3, 1, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
TOMORROW = dt.date(2027, 3, 2)


@pytest.fixture
def learners(site, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: EVENING)
    course = CoursePageFactory(parent=site.catalogue)
    run = CourseRunFactory(course=course, start_date=TOMORROW, end_date=TOMORROW + dt.timedelta(9))
    SessionFactory(run=run, date=TOMORROW)
    learners = [LearnerFactory(by_sms=True) for _ in range(LEARNERS)]
    for learner in learners:
        EnrolmentFactory(learner=learner, run=run)
    return learners


def send_due_messages():
    call_command("send_due_messages", stdout=io.StringIO())


def test_concurrent_runs_remind_each_learner_once(learners):
    results, errors = race([send_due_messages] * COPIES)
    assert errors == []
    assert sorted(sent.to for sent in MemoryBackend.outbox) == sorted(x.phone for x in learners)
    assert Message.objects.filter(kind=MessageKind.REMINDER).count() == LEARNERS


def test_without_the_once_key_learners_are_reminded_twice(learners, monkeypatch):
    """The race is real: without the unique key, each copy finds the same learners not yet
    reminded and writes its own reminder."""
    queue = class_notices.message_queue

    def without_key(**kwargs):
        kwargs.pop("once_key", None)
        return queue(**kwargs)

    monkeypatch.setattr(class_notices, "message_queue", without_key)
    race([send_due_messages] * COPIES)
    assert len(MemoryBackend.outbox) > LEARNERS
    assert Message.objects.filter(kind=MessageKind.REMINDER).count() > LEARNERS
