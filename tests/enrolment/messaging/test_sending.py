"""Every notice reaches the learner by their channel, once, after the change commits, in their
language; or it is recorded as not sent, with the reason staff see."""

import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from enrolment.models import Message, MessageKind, MessageStatus, SkipReason
from enrolment.services.enrolling import enrolment_create, enrolment_move, enrolment_withdraw
from enrolment.services.message_backends import MemoryBackend, SendFailed
from enrolment.services.messaging import (
    MAX_ATTEMPTS,
    message_queue,
    message_send,
    messages_send_due,
)
from tests.factories import CourseRunFactory, LearnerFactory, years_ago

pytestmark = pytest.mark.django_db
JAN_1 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def run(site):
    return CourseRunFactory(course__parent=site.catalogue, capacity=1)


def enrol(learner, run, callbacks):
    with callbacks(execute=True):
        return enrolment_create(learner=learner, run=run, by=None)


def test_a_place_is_texted_to_the_learners_phone(run, django_capture_on_commit_callbacks):
    learner = LearnerFactory(by_sms=True)
    enrol(learner, run, django_capture_on_commit_callbacks)
    [sent] = MemoryBackend.outbox
    assert sent.channel == "sms"
    assert sent.to == learner.phone
    assert run.course.title in sent.body and run.code in sent.body
    assert "/learn/" in sent.body
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    assert message.kind == MessageKind.ENROLLED
    assert message.provider_id.startswith("SM")
    assert message.sent_at is not None


def test_whatsapp_and_email_go_by_their_own_channel(run, django_capture_on_commit_callbacks):
    by_whatsapp = LearnerFactory(by_whatsapp=True)
    by_email = LearnerFactory(by_email=True)
    enrol(by_whatsapp, run, django_capture_on_commit_callbacks)
    enrol(by_email, run, django_capture_on_commit_callbacks)  # full: waitlisted
    [whatsapp] = MemoryBackend.outbox
    assert (whatsapp.channel, whatsapp.to) == ("whatsapp", by_whatsapp.phone)
    [email] = mail.outbox
    assert email.to == [by_email.email]
    assert "waitlist" in email.body


def test_nothing_is_sent_when_the_change_rolls_back(run, django_capture_on_commit_callbacks):
    learner = LearnerFactory(by_sms=True)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                enrolment_create(learner=learner, run=run, by=None)
                raise RuntimeError("something later failed")
        except RuntimeError:
            pass
    assert MemoryBackend.outbox == []
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    "fields, reason",
    [
        ({"message_channel": "sms", "phone": "+85291239999"}, SkipReason.NO_CONSENT),
        ({"by_sms": True, "messages_stopped_at": JAN_1}, SkipReason.OPTED_OUT),
        ({"message_channel": "none", "messages_consent_at": JAN_1}, SkipReason.NO_CHANNEL),
        ({"by_email": True, "email": ""}, SkipReason.NO_ADDRESS),
    ],
)  # fmt: skip
def test_who_cannot_be_written_to_is_recorded_with_the_reason(
    run, django_capture_on_commit_callbacks, fields, reason
):
    enrol(LearnerFactory(**fields), run, django_capture_on_commit_callbacks)
    assert MemoryBackend.outbox == [] and mail.outbox == []
    message = Message.objects.get()
    assert (message.status, message.skip_reason) == (MessageStatus.SKIPPED, reason)


def test_a_child_is_reached_through_the_guardians_phone(run, django_capture_on_commit_callbacks):
    child = LearnerFactory(
        by_sms=True, date_of_birth=years_ago(10), phone="", guardian_phone="+85291238888"
    )
    enrol(child, run, django_capture_on_commit_callbacks)
    [sent] = MemoryBackend.outbox
    assert sent.to == "+85291238888"


@pytest.mark.parametrize(
    "language, words", [("ar", "لديك مقعد"), ("zh-hant", "你已獲得"), ("fr", "vous avez une place")]
)
def test_the_message_is_in_the_learners_language(
    run, django_capture_on_commit_callbacks, language, words
):
    enrol(
        LearnerFactory(by_sms=True, preferred_language=language),
        run,
        django_capture_on_commit_callbacks,
    )
    [sent] = MemoryBackend.outbox
    assert words in sent.body.lower()
    assert f"/{language}/learn/" in sent.body


def test_withdrawing_and_moving_are_announced(site, django_capture_on_commit_callbacks):
    first = CourseRunFactory(course__parent=site.catalogue)
    second = CourseRunFactory(course=first.course)
    learner = LearnerFactory(by_sms=True)
    enrolment = enrol(learner, first, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        moved = enrolment_move(enrolment=enrolment, to_run=second, by=None)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_withdraw(enrolment=moved, by=None)
    kinds = list(Message.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [MessageKind.ENROLLED, MessageKind.MOVED, MessageKind.WITHDRAWN]
    assert second.code in MemoryBackend.outbox[1].body


def test_a_message_is_sent_once_however_often_it_is_asked(run):
    learner = LearnerFactory(by_sms=True)
    message = message_queue(
        learner=learner, kind=MessageKind.WITHDRAWN, context={"enrolment": None}
    )
    assert message_send(message_id=message.pk) is not None
    assert message_send(message_id=message.pk) is None
    assert messages_send_due() == 0
    assert len(MemoryBackend.outbox) == 1


def test_a_passing_failure_is_tried_again_later_then_marked_failed(run):
    learner = LearnerFactory(by_sms=True)
    message = message_queue(learner=learner, kind=MessageKind.OPTED_OUT)
    now = timezone.now()
    MemoryBackend.failures.append(SendFailed("Twilio 503", retry=True))
    message_send(message_id=message.pk, now=now)
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRYING and message.next_attempt_at > now
    assert messages_send_due(now=now) == 0  # not before the wait is over
    assert messages_send_due(now=message.next_attempt_at) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 2

    again = message_queue(learner=learner, kind=MessageKind.OPTED_OUT)
    MemoryBackend.failures.extend(SendFailed("Twilio 503", retry=True) for _ in range(MAX_ATTEMPTS))
    later = now
    for _ in range(MAX_ATTEMPTS):
        message_send(message_id=again.pk, now=later)
        later += dt.timedelta(days=1)
    again.refresh_from_db()
    assert again.status == MessageStatus.FAILED and again.attempts == MAX_ATTEMPTS
    assert "503" in again.error


def test_a_wrong_number_is_not_tried_again(run):
    message = message_queue(learner=LearnerFactory(by_sms=True), kind=MessageKind.OPTED_OUT)
    MemoryBackend.failures.append(SendFailed("Twilio 400 21211: invalid 'To'", retry=False))
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 1


def test_a_send_cut_off_midway_is_marked_failed_not_sent_twice(run):
    message = message_queue(learner=LearnerFactory(by_sms=True), kind=MessageKind.OPTED_OUT)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING)
    messages_send_due(now=timezone.now() + dt.timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert MemoryBackend.outbox == []
