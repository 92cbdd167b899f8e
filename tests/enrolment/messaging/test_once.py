"""Two copies of `send_due_messages` at the same instant (cron overlapping a slow run, or two
servers each with the cron line) send each message once. PostgreSQL: real concurrent
transactions, one thread and one connection each."""

import threading

import pytest
from django.db import connection

from enrolment.models import Message, MessageKind, MessageStatus
from enrolment.services import messaging
from enrolment.services.message_backends import MemoryBackend
from enrolment.services.messaging import message_queue, messages_send_due
from tests.enrolment.services.test_races import race
from tests.factories import LearnerFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL and threads"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSAGES = 30
COPIES = 4


@pytest.fixture
def queued(monkeypatch):
    # Left queued, as when the task queue lost them: only send_due_messages will send them.
    monkeypatch.setattr(messaging, "_enqueue", lambda message_id: None)
    learners = [LearnerFactory(by_sms=True) for _ in range(MESSAGES)]
    return [message_queue(learner=learner, kind=MessageKind.OPTED_OUT) for learner in learners]


def test_concurrent_runs_send_each_message_once(queued):
    results, errors = race([messages_send_due] * COPIES)
    assert errors == []
    assert sum(results) == MESSAGES
    assert sorted(sent.to for sent in MemoryBackend.outbox) == sorted(m.address for m in queued)
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_without_the_claim_the_same_message_goes_twice(queued, monkeypatch):
    """The race is real: when each copy reads the due rows and sends them without claiming
    each one first (a plain read, then send), messages are sent more than once."""
    gate = threading.Barrier(COPIES, timeout=30)

    def send_unclaimed(*, message_id, now=None):
        message = Message.objects.get(pk=message_id)
        if message.status != MessageStatus.QUEUED:
            return None
        if message_id == queued[0].pk:
            gate.wait()  # every copy has read the first row as still queued
        messaging._deliver(message)
        Message.objects.filter(pk=message_id).update(status=MessageStatus.SENT)
        return Message.objects.get(pk=message_id)

    monkeypatch.setattr(messaging, "message_send", send_unclaimed)
    race([messages_send_due] * COPIES)
    assert len(MemoryBackend.outbox) > MESSAGES
