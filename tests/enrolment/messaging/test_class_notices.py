"""A class cancelled or moved, classes missed in a row, a certificate issued, a password link:
each sends exactly one message, in the learner's language, by their channel (for a child, to
the guardian), after the change commits."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.choices import SessionStatus
from enrolment.models import Message, MessageKind, MessageStatus, SkipReason
from enrolment.services.accounts import learner_password_link_send
from enrolment.services.certification import certificate_issue, certificates_issue_for_run
from enrolment.services.message_backends import MemoryBackend
from enrolment.services.registers import Mark, register_mark
from tests.dates import local_today
from tests.factories import (
    ChildFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(site, cast):
    return CourseRunFactory(
        course__parent=site.catalogue,
        teachers=[cast.teacher],
        start_date=local_today() - dt.timedelta(days=21),
        end_date=local_today() + dt.timedelta(days=30),
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def enrolled(run, factory=LearnerFactory, **learner):
    seated = timezone.make_aware(dt.datetime.combine(run.start_date, dt.time(8)))
    return EnrolmentFactory(learner=factory(**learner), run=run, enrolled_at=seated)


def test_a_cancelled_class_is_announced_once_to_each_enrolled_learner(run, committed):
    fr = enrolled(run, by_sms=True, preferred_language="fr").learner
    ar = enrolled(run, by_whatsapp=True, preferred_language="ar").learner
    EnrolmentFactory(learner=LearnerFactory(by_sms=True), run=run, status="waitlisted")
    session = SessionFactory(run=run, date=local_today() + dt.timedelta(days=2))
    with committed():
        session.status, session.note = SessionStatus.CANCELLED, "Typhoon"
        session.save()
    with committed():
        session.save()  # saved again with nothing changed: nobody told twice
    assert sorted((s.channel, s.to) for s in MemoryBackend.outbox) == sorted(
        [("sms", fr.phone), ("whatsapp", ar.phone)]
    )
    by_language = {m.language: m for m in Message.objects.all()}
    assert "annulé" in by_language["fr"].body and "Typhoon" in by_language["fr"].body
    assert {m.kind for m in by_language.values()} == {MessageKind.SESSION_CANCELLED}


def test_a_moved_class_gives_the_new_day_and_time(run, committed):
    learner = enrolled(run, by_sms=True).learner
    session = SessionFactory(run=run, date=local_today() + dt.timedelta(days=2))
    new_day = local_today() + dt.timedelta(days=3)
    with committed():
        session.date, session.start_time = new_day, dt.time(19, 0)
        session.save()
    [sent] = MemoryBackend.outbox
    assert sent.to == learner.phone and "19:00" in sent.body
    assert Message.objects.get().kind == MessageKind.SESSION_MOVED


def test_a_class_long_past_changed_tells_nobody(run, committed):
    enrolled(run, by_sms=True)
    session = SessionFactory(run=run, date=local_today() - dt.timedelta(days=14))
    with committed():
        session.status, session.note = SessionStatus.CANCELLED, "Closed that day"
        session.save()
    assert MemoryBackend.outbox == []


def absent(run, teacher, enrolments, days_ago):
    session = SessionFactory(run=run, date=local_today() - dt.timedelta(days=days_ago))
    register_mark(session=session, marks={e.pk: Mark("absent") for e in enrolments}, by=teacher)


def test_two_absences_in_a_row_message_a_childs_guardian_once_per_streak(run, cast, committed):
    child = enrolled(run, ChildFactory, by_sms=True)
    with committed():
        absent(run, cast.teacher, [child], days_ago=14)
    assert MemoryBackend.outbox == []  # one absence is not a streak
    with committed():
        absent(run, cast.teacher, [child], days_ago=7)
        absent(run, cast.teacher, [child], days_ago=1)  # the same streak, still one message
    [sent] = MemoryBackend.outbox
    assert sent.to == child.learner.guardian_phone != child.learner.phone
    assert child.learner.preferred_name in sent.body
    assert child.learner.legal_name not in sent.body
    assert Message.objects.get().kind == MessageKind.ABSENCE


def test_a_run_may_send_no_absence_messages(run, cast, committed):
    run.absence_alert_after = 0
    run.save()
    learner = enrolled(run, by_sms=True)
    with committed():
        for days in (14, 7, 1):
            absent(run, cast.teacher, [learner], days_ago=days)
    assert MemoryBackend.outbox == []


def completed(run, **learner):
    return EnrolmentFactory(learner=LearnerFactory(**learner), run=run, status="completed")


def test_a_certificate_is_messaged_with_its_verification_link(run, cast, committed):
    enrolment = completed(run, by_whatsapp=True, preferred_language="zh-hant")
    with committed():
        certificate = certificate_issue(enrolment=enrolment, by=cast.coordinator)
    [sent] = MemoryBackend.outbox
    assert sent.channel == "whatsapp"
    assert f"/certificates/verify/{certificate.verification_code}/" in sent.body
    assert "證書" in sent.body


def test_a_runs_certificates_are_messaged_once_each(run, cast, committed):
    learners = [completed(run, by_sms=True).learner for _ in range(3)]
    with committed():
        certificates_issue_for_run(run=run, by=cast.coordinator)
    with committed():
        certificates_issue_for_run(run=run, by=cast.coordinator)  # nothing new to issue
    assert sorted(s.to for s in MemoryBackend.outbox) == sorted(x.phone for x in learners)


def test_the_password_link_goes_to_the_phone_of_a_learner_with_no_email(cast, committed):
    learner = LearnerFactory(by_sms=True, email="")
    with committed():
        link, message = learner_password_link_send(learner=learner, by=cast.coordinator)
    [sent] = MemoryBackend.outbox
    assert sent.to == learner.phone and link in sent.body
    assert message.status == MessageStatus.QUEUED  # as written; sent after commit
    assert Message.objects.get().status == MessageStatus.SENT


def test_the_password_link_is_not_sent_without_consent_and_staff_see_why(cast, committed):
    learner = LearnerFactory(message_channel="sms", phone="+85291239876")
    with committed():
        link, message = learner_password_link_send(learner=learner, by=cast.coordinator)
    assert link and MemoryBackend.outbox == []
    assert message.skip_reason == SkipReason.NO_CONSENT
