"""Production's queue: a message is stored as a task on the database queue when the change
commits, and the worker (`manage.py db_worker`, `make worker`) sends it."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from enrolment.models import Message, MessageKind, MessageStatus
from enrolment.services.message_backends import MemoryBackend
from enrolment.services.messaging import message_queue
from tests.factories import LearnerFactory

# Real commits: the worker closes and reopens its connection between tasks, as in production,
# which a test wrapped in a transaction would not survive on PostgreSQL.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_queued_message_waits_for_the_worker_then_goes_once():
    learner = LearnerFactory(by_sms=True)
    with transaction.atomic():
        message = message_queue(learner=learner, kind=MessageKind.OPTED_OUT)
    tasks = DBTaskResult.objects.filter(task_path__endswith=".deliver_message")
    assert tasks.count() == 1
    assert MemoryBackend.outbox == []  # nothing sent in the request
    assert Message.objects.get().status == MessageStatus.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    [sent] = MemoryBackend.outbox
    assert sent.to == learner.phone
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert len(MemoryBackend.outbox) == 1
