"""One way to tell a learner something: by WhatsApp, text message or email, in their language.

Every notice goes through `message_queue`, which decides the channel and the address (for a
child, the guardian's phone), writes the text in the learner's language from a translated
template, and records a `Message` row in the caller's transaction. Delivery happens after that
transaction commits, on the task queue (`message_send`), so a rollback sends nothing and a
failure to send never undoes the change it announces.

Nobody is written to without a channel, consent and an address, or after they asked to stop:
their row is kept as "not sent" with the reason, so staff can see who was not told and why.

Each message is sent once: `message_send` first claims the row with one conditional UPDATE
(queued -> sending); two workers, or two copies of `send_due_messages`, cannot both win it.
"""

import datetime as dt
import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from cms.roles import acting_user
from enrolment.models import Channel, Learner, Message, MessageStatus, SkipReason
from enrolment.services.message_backends import Outgoing, SendFailed, message_backend

log = logging.getLogger(__name__)

# After a failure that may pass (the provider is down), try again after these waits; after
# the last, the message is marked "not delivered" for staff to see.
RETRY_WAITS = [
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
]
MAX_ATTEMPTS = len(RETRY_WAITS) + 1
# A message still "sending" after this long belonged to a worker that stopped mid-send. It is
# marked failed rather than sent again: a learner told twice is worse than staff told to check.
STUCK_AFTER = dt.timedelta(minutes=15)


# The messages written while `messages_collect` is open: how an admin action learns whom it
# could not tell, without guessing from times or ids that another action may share.
_collected: ContextVar[list | None] = ContextVar("collected_messages", default=None)


@contextmanager
def messages_collect() -> Iterator[list[Message]]:
    """Collect every message written inside the block (skipped ones included)."""
    collected: list[Message] = []
    token = _collected.set(collected)
    try:
        yield collected
    finally:
        _collected.reset(token)


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    skip_reason: str = ""


def message_recipient(*, learner: Learner, today: dt.date | None = None) -> Recipient:
    """How the learner is reached, or why they are not."""
    channel = learner.message_channel
    if learner.messages_stopped_at is not None:
        return Recipient(channel, "", SkipReason.OPTED_OUT)
    if channel == Channel.NONE:
        return Recipient(channel, "", SkipReason.NO_CHANNEL)
    if learner.messages_consent_at is None:
        return Recipient(channel, "", SkipReason.NO_CONSENT)
    if channel == Channel.EMAIL:
        address = learner.email
    else:
        age = learner.age_on(today or timezone.localdate())
        # A child is reached through the adult who looks after them.
        address = learner.guardian_phone if age is not None and age < 18 else learner.phone
    if not address:
        return Recipient(channel, "", SkipReason.NO_ADDRESS)
    return Recipient(channel, address)


def learn_url(language: str) -> str:
    """The learner's page, in their language, as a full address to put in a message."""
    with translation.override(language):
        return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("learn")


def message_render(*, kind: str, language: str, context: dict) -> tuple[str, str]:
    """(subject, text) of a message of this kind in `language`."""
    with translation.override(language):
        context = {
            "centre": settings.WAGTAIL_SITE_NAME,
            "learn_url": learn_url(language),
            "site_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
            **context,
        }
        text = render_to_string(f"enrolment/messages/{kind}.txt", context).strip()
        subject = render_to_string("enrolment/messages/subject.txt", context).strip()
    return subject, text


def message_queue(
    *,
    learner: Learner,
    kind: str,
    context: dict | None = None,
    sent_by: AbstractBaseUser | None = None,
    once_key: str | None = None,
) -> Message | None:
    """Write the message and send it once the caller's transaction commits.

    Returns the row (status "not sent" with a reason when the learner cannot be written to),
    or None when a message with the same `once_key` exists already.
    """
    message = _message_build(
        learner=learner, kind=kind, context=context, sent_by=sent_by, once_key=once_key
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        if once_key is None:
            raise
        return None
    collected = _collected.get()
    if collected is not None:
        collected.append(message)
    if message.status == MessageStatus.QUEUED:
        message_id = message.pk
        transaction.on_commit(lambda: _enqueue(message_id))
    return message


def _message_build(
    *,
    learner: Learner,
    kind: str,
    context: dict | None,
    sent_by: AbstractBaseUser | None,
    once_key: str | None,
) -> Message:
    recipient = message_recipient(learner=learner)
    language = learner.preferred_language
    subject, text = message_render(
        kind=kind, language=language, context={"learner": learner, **(context or {})}
    )
    return Message(
        learner=learner,
        channel=recipient.channel,
        address=recipient.address,
        kind=kind,
        language=language,
        subject=subject[:200],
        body=text,
        status=MessageStatus.SKIPPED if recipient.skip_reason else MessageStatus.QUEUED,
        skip_reason=recipient.skip_reason,
        once_key=once_key,
        sent_by=acting_user(sent_by),
    )


def messages_queue_many(*, kind: str, items: list[tuple[Learner, dict, str]]) -> int:
    """`message_queue` for many learners at once, (learner, context, once_key) each: two
    queries however many (one insert, one read back), for bulk work such as a run's
    certificates. A key written before is skipped, as `message_queue` skips it. Returns how
    many messages were written or found."""
    if not items:
        return 0
    messages = [
        _message_build(learner=learner, kind=kind, context=context, sent_by=None, once_key=key)
        for learner, context, key in items
    ]
    Message.objects.bulk_create(messages, ignore_conflicts=True)
    # The ids (bulk_create gives none when it may skip rows). A queued row written earlier is
    # queued again: harmless, since sending claims a row once.
    queued = list(
        Message.objects.filter(
            once_key__in=[key for _, _, key in items], status=MessageStatus.QUEUED
        ).values_list("pk", flat=True)
    )
    transaction.on_commit(lambda: [_enqueue(message_id) for message_id in queued])
    return len(messages)


@task()
def deliver_message(message_id: int) -> bool:
    """The queue's task: send one message. False if it was not due (sent already, say)."""
    return message_send(message_id=message_id) is not None


def _enqueue(message_id: int) -> None:
    try:
        deliver_message.enqueue(message_id)
    except Exception:
        # The queue is down: the row stays queued and `send_due_messages` sends it later.
        log.exception("Could not queue message %s", message_id)


def message_send(*, message_id: int, now: dt.datetime | None = None) -> Message | None:
    """Send one queued message. Returns it, or None if it is not due or another worker has it."""
    now = now or timezone.now()
    claimed = (
        Message.objects.due(now)
        .filter(pk=message_id)
        .update(status=MessageStatus.SENDING, attempts=F("attempts") + 1, updated_at=now)
    )
    if not claimed:
        return None
    message = Message.objects.get(pk=message_id)
    try:
        message.provider_id = _deliver(message)
    except SendFailed as failure:
        _record_failure(message, failure, now=now)
    else:
        message.status = MessageStatus.SENT
        message.sent_at = now
        message.error = ""
        message.next_attempt_at = None
    message.save(
        update_fields=[
            "status",
            "provider_id",
            "sent_at",
            "error",
            "next_attempt_at",
            "updated_at",
        ]
    )
    return message


def _deliver(message: Message) -> str:
    if message.channel == Channel.EMAIL:
        try:
            send_mail(message.subject, message.body, None, [message.address])
        except (smtplib.SMTPException, OSError) as error:
            raise SendFailed(f"Email not accepted: {error}", retry=True) from error
        return ""
    callback = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("twilio_status")
    return message_backend().send(
        Outgoing(
            channel=message.channel,
            to=message.address,
            body=message.body,
            status_callback=callback,
        )
    )


def _record_failure(message: Message, failure: SendFailed, *, now: dt.datetime) -> None:
    message.error = failure.reason[:300]
    if failure.retry and message.attempts < MAX_ATTEMPTS:
        message.status = MessageStatus.RETRYING
        message.next_attempt_at = now + RETRY_WAITS[message.attempts - 1]
    else:
        message.status = MessageStatus.FAILED
        message.next_attempt_at = None
    log.warning("Message %s: %s (attempt %s)", message.pk, failure.reason, message.attempts)


def messages_send_due(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Send what is due: queued messages the queue lost, and retries whose wait is over.
    Returns how many were sent. Safe to run in several processes at once."""
    now = now or timezone.now()
    Message.objects.filter(status=MessageStatus.SENDING, updated_at__lt=now - STUCK_AFTER).update(
        status=MessageStatus.FAILED,
        error="The sender stopped while sending; check with the learner.",
        updated_at=now,
    )
    due = list(Message.objects.due(now).order_by("pk").values_list("pk", flat=True)[:limit])
    sent = 0
    for message_id in due:
        message = message_send(message_id=message_id, now=now)
        sent += message is not None and message.status == MessageStatus.SENT
    return sent
