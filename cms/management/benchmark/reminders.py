"""The benchmark's messages: a class of learners whose first class is tomorrow, reminded by
`reminders_queue` and sent through the in-memory provider (no network), as
`send_due_messages` does each evening. Time and queries are per message: both must stay flat
as the number of messages grows."""

import datetime as dt
import time
from dataclasses import dataclass

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.management.benchmark.harness import BenchmarkError, format_table
from cms.management.benchmark.runs import class_with_learners
from courses.models import Session
from enrolment.models import Learner

REMINDERS = 1000
FAKE_PROVIDER = "enrolment.services.message_backends.MemoryBackend"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@dataclass(frozen=True)
class MessageResult:
    scenario: str
    messages: int
    total_ms: float
    queries: int

    @property
    def ms_per_message(self) -> float:
        return self.total_ms / self.messages

    @property
    def queries_per_message(self) -> float:
        return self.queries / self.messages


def reminder_benchmark(*, messages: int = REMINDERS) -> MessageResult:
    """Queue and send ``messages`` reminders of tomorrow's first class, by SMS."""
    from enrolment.services.class_notices import reminders_queue
    from enrolment.services.message_backends import MemoryBackend
    from enrolment.services.messaging import messages_send_due

    run, _teacher = class_with_learners(learners=messages, sessions=0, prefix="REMIND")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    Session.objects.create(run=run, date=tomorrow, start_time=run.start_time, end_time=run.end_time)
    learners = list(Learner.objects.filter(enrolments__run=run).order_by("pk"))
    now = timezone.now()
    for learner in learners:
        learner.message_channel = "sms"
        learner.phone = f"+8526{learner.pk:07d}"  # 8 digits from 6: a Hong Kong mobile number
        learner.messages_consent_at = now
    Learner.objects.bulk_update(learners, ["message_channel", "phone", "messages_consent_at"])

    MemoryBackend.outbox.clear()
    with override_settings(MESSAGES_BACKEND=FAKE_PROVIDER, TASKS=IMMEDIATE):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            written = reminders_queue(now=now)
            # As send_due_messages does: whatever the queue did not send after commit.
            messages_send_due(now=now, limit=messages)
            elapsed = (time.perf_counter() - started) * 1000
    sent = len(MemoryBackend.outbox)
    MemoryBackend.outbox.clear()
    if written != messages or sent != messages:
        raise BenchmarkError(f"{written} reminders written and {sent} sent, not {messages}.")
    return MessageResult(
        scenario=f"reminders queued and sent ({messages}, fake provider)",
        messages=messages,
        total_ms=elapsed,
        queries=len(captured),
    )


def render_messages(results: list[MessageResult]) -> str:
    return format_table(
        ("scenario", "messages", "total ms", "ms/message", "queries", "queries/message"),
        [
            (
                result.scenario,
                str(result.messages),
                f"{result.total_ms:.0f}",
                f"{result.ms_per_message:.2f}",
                str(result.queries),
                f"{result.queries_per_message:.2f}",
            )
            for result in results
        ],
    )
