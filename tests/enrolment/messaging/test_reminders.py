"""The day before a learner's first class they get one reminder, in their language, by their
channel; `send_due_messages` queues and sends it, and says what it did."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from courses.choices import SessionStatus
from enrolment.models import Message, MessageKind
from enrolment.services.class_notices import reminders_queue
from enrolment.services.message_backends import MemoryBackend
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db

HK = dt.timezone(dt.timedelta(hours=8))
# 23:30 in Hong Kong on 1 March is still 28 February in UTC: "tomorrow" is 2 March.
EVENING = dt.datetime(2027, 3, 1, 23, 30, tzinfo=HK)
TOMORROW = dt.date(2027, 3, 2)


@pytest.fixture
def run(site):
    return CourseRunFactory(
        course__parent=site.catalogue, start_date=TOMORROW, end_date=TOMORROW + dt.timedelta(30)
    )


@pytest.fixture
def first_class(run):
    return SessionFactory(run=run, date=TOMORROW)


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """reminders_queue, with what it queues sent as after a real commit."""

    def call(now):
        with django_capture_on_commit_callbacks(execute=True):
            return reminders_queue(now=now)

    return call


def sms_learner(run, **learner_fields):
    learner = LearnerFactory(by_sms=True, **learner_fields)
    EnrolmentFactory(learner=learner, run=run)
    return learner


def test_the_evening_before_in_hong_kong_one_reminder_goes(run, first_class, remind):
    learner = sms_learner(run, preferred_language="fr")
    assert remind(EVENING) == 1
    assert remind(EVENING + dt.timedelta(minutes=5)) == 0  # the next cron run
    [sent] = MemoryBackend.outbox
    assert (sent.channel, sent.to) == ("sms", learner.phone)
    assert "demain" in sent.body and "18:30" in sent.body
    assert first_class.effective_venue.name in sent.body
    message = Message.objects.get()
    assert (message.kind, message.language) == (MessageKind.REMINDER, "fr")


def test_no_reminder_two_days_before_or_for_a_later_class(run, first_class, remind):
    sms_learner(run)
    assert remind(EVENING - dt.timedelta(days=1)) == 0
    SessionFactory(run=run, date=TOMORROW + dt.timedelta(days=7))
    assert remind(EVENING + dt.timedelta(days=7)) == 0  # not their first
    assert MemoryBackend.outbox == []


def test_a_cancelled_first_class_reminds_of_the_next_one_instead(run, first_class, remind):
    first_class.status = SessionStatus.CANCELLED
    first_class.note = "Typhoon"
    first_class.save()
    sms_learner(run)
    assert remind(EVENING) == 0
    SessionFactory(run=run, date=TOMORROW + dt.timedelta(days=2))
    assert remind(EVENING + dt.timedelta(days=2)) == 1


def test_someone_who_joined_after_the_start_is_reminded_of_their_own_first_class(run, remind):
    SessionFactory(run=run, date=TOMORROW - dt.timedelta(days=7))
    SessionFactory(run=run, date=TOMORROW)
    late = sms_learner(run)
    late.enrolments.update(enrolled_at=EVENING - dt.timedelta(days=3))
    early = sms_learner(run)
    early.enrolments.update(enrolled_at=EVENING - dt.timedelta(days=20))
    assert remind(EVENING) == 1
    assert [sent.to for sent in MemoryBackend.outbox] == [late.phone]


def test_waitlisted_learners_get_no_reminder(run, first_class, remind):
    EnrolmentFactory(learner=LearnerFactory(by_sms=True), run=run, status="waitlisted")
    assert remind(EVENING) == 0


def test_send_due_messages_queues_and_sends_and_counts(
    run, first_class, monkeypatch, django_capture_on_commit_callbacks
):
    sms_learner(run)
    monkeypatch.setattr(timezone, "now", lambda: EVENING)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_messages", stdout=out)
    assert "1 reminders of tomorrow's first class queued." in out.getvalue()
    assert len(MemoryBackend.outbox) == 1


def test_send_due_messages_fails_loudly_but_still_sends(monkeypatch):
    from cms.management.commands import send_due_messages as command

    def broken(*, now):
        raise RuntimeError("database gone")

    sent = []
    monkeypatch.setattr(
        command,
        "scheduled_jobs",
        lambda: [("broken", broken), ("sent", lambda *, now: sent.append(now) or 0)],
    )
    with pytest.raises(Exception, match="broken: database gone"):
        call_command("send_due_messages", stdout=io.StringIO())
    assert len(sent) == 1
