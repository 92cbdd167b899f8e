"""Waitlist offers that expire: a freed seat is offered to the next person waiting, who takes
it (on /learn/ or by replying YES), passes it on (NO), or lets it expire."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from enrolment.errors import EnrolmentError
from enrolment.models import Enrolment, EnrolmentStatus, Message, MessageKind
from enrolment.services.enrolling import enrolment_create, enrolment_withdraw
from enrolment.services.offers import offer_accept, offers_expire
from tests.enrolment.messaging.test_twilio import signed_post
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory

S = EnrolmentStatus
pytestmark = pytest.mark.django_db
INBOUND = "/messages/twilio/inbound/"


@pytest.fixture
def full(site):
    """A run of one seat, taken; an Arabic speaker then a French speaker waiting."""
    run = CourseRunFactory(course__parent=site.catalogue, capacity=1, offer_hold_hours=24)
    seated = EnrolmentFactory(run=run)
    first = enrolment_create(
        learner=LearnerFactory(by_sms=True, preferred_language="ar"), run=run, by=None
    )
    second = enrolment_create(
        learner=LearnerFactory(by_sms=True, preferred_language="fr"), run=run, by=None
    )
    return run, seated, first, second


def offers_to(enrolment):
    return Message.objects.filter(learner=enrolment.learner, kind=MessageKind.OFFER)


def test_an_unanswered_offer_passes_to_the_next_person_after_its_time(full):
    run, seated, first, second = full
    enrolment_withdraw(enrolment=seated, by=None)
    first.refresh_from_db()
    assert first.status == S.OFFERED
    deadline = first.offer_expires_at
    assert deadline - timezone.now() == pytest.approx(
        dt.timedelta(hours=24), abs=dt.timedelta(minutes=1)
    )
    [offer] = offers_to(first)
    assert offer.language == "ar" and run.code in offer.body and "/ar/learn/" in offer.body

    assert offers_expire(now=deadline - dt.timedelta(seconds=1)) == 0  # not yet
    assert offers_expire(now=deadline) == 1
    assert offers_expire(now=deadline) == 0  # a second run finds nothing to do

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.DECLINED
    assert first.events.last().reason == "The offer expired."
    assert second.status == S.OFFERED
    # Exactly one message each, each in their own language.
    [expired] = Message.objects.filter(learner=first.learner, kind=MessageKind.OFFER_EXPIRED)
    assert expired.language == "ar"
    assert offers_to(first).count() == 1
    [passed_on] = offers_to(second)
    assert passed_on.language == "fr" and "/fr/learn/" in passed_on.body
    # The run is never over capacity: one seat, held by the second learner's offer.
    assert run.enrolments.filter(status__in=[S.ENROLLED, S.OFFERED]).count() == 1


def test_accepting_after_the_deadline_is_refused(full):
    _run, seated, first, _second = full
    enrolment_withdraw(enrolment=seated, by=None)
    first.refresh_from_db()
    with pytest.raises(EnrolmentError, match="time to answer"):
        offer_accept(enrolment=first, by=None, now=first.offer_expires_at + dt.timedelta(1))
    first.refresh_from_db()
    assert first.status == S.OFFERED


def test_an_offered_seat_is_not_taken_by_someone_enrolling_directly(full):
    run, seated, first, _second = full
    enrolment_withdraw(enrolment=seated, by=None)
    newcomer = enrolment_create(learner=LearnerFactory(), run=run, by=None)
    assert newcomer.status == S.WAITLISTED
    first.refresh_from_db()
    assert offer_accept(enrolment=first, by=None).status == S.ENROLLED
    assert run.enrolments.filter(status=S.ENROLLED).count() == 1


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
@pytest.mark.parametrize("word", ["YES", "نَعَم", "Oui", "是", "ہاں"])
def test_replying_yes_takes_the_seat(client, full, word):
    _run, seated, first, second = full
    enrolment_withdraw(enrolment=seated, by=None)

    response = signed_post(client, INBOUND, {"From": first.learner.phone, "Body": word})

    first.refresh_from_db()
    assert first.status == S.ENROLLED
    assert first.run.code in response.content.decode()
    assert Message.objects.filter(learner=first.learner, kind=MessageKind.ENROLLED).count() == 1
    second.refresh_from_db()
    assert second.status == S.WAITLISTED


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
@pytest.mark.parametrize("word", ["no", "لا", "NON", "否", "نہیں"])
def test_replying_no_passes_the_seat_on(client, full, word):
    _run, seated, first, second = full
    enrolment_withdraw(enrolment=seated, by=None)

    signed_post(client, INBOUND, {"From": first.learner.phone, "Body": word})

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.WITHDRAWN
    assert second.status == S.OFFERED
    assert offers_to(second).count() == 1


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_a_guardian_answers_for_the_child(client, site):
    run = CourseRunFactory(course__parent=site.catalogue, capacity=1)
    seated = EnrolmentFactory(run=run)
    child = LearnerFactory(
        by_sms=True, phone="", guardian_phone="+85291237777", date_of_birth=dt.date(2016, 1, 1)
    )
    waiting = enrolment_create(learner=child, run=run, by=None)
    enrolment_withdraw(enrolment=seated, by=None)

    signed_post(client, INBOUND, {"From": "+852 9123 7777", "Body": "yes"})

    assert Enrolment.objects.get(pk=waiting.pk).status == S.ENROLLED


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_yes_without_an_offer_gets_a_short_answer(client):
    learner = LearnerFactory(by_sms=True)
    response = signed_post(client, INBOUND, {"From": learner.phone, "Body": "YES"})
    assert "No seat offer is waiting for your answer." in response.content.decode()


# --- /learn/ -------------------------------------------------------------------------------------


@pytest.fixture
def offered(cast, site):
    run = CourseRunFactory(course__parent=site.catalogue, capacity=1)
    return EnrolmentFactory(
        learner=cast.learner.learner,
        run=run,
        status=S.OFFERED,
        offer_expires_at=timezone.now() + dt.timedelta(hours=5),
    )


def test_learn_shows_the_offer_and_takes_the_seat(client, cast, offered):
    client.force_login(cast.learner)
    html = client.get("/learn/").content.decode()
    assert "A seat is free for you: answer by" in html and "Take the seat" in html

    response = client.post(f"/learn/enrolments/{offered.pk}/offer/accept/")

    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == S.ENROLLED
    assert offered.events.last().by == cast.learner


def test_learn_passes_the_seat_on(client, cast, offered):
    client.force_login(cast.learner)
    client.post(f"/learn/enrolments/{offered.pk}/offer/decline/")
    offered.refresh_from_db()
    assert offered.status == S.WITHDRAWN


def test_someone_elses_offer_is_404_and_a_get_changes_nothing(client, cast, offered):
    client.force_login(cast.other_learner)
    assert client.post(f"/learn/enrolments/{offered.pk}/offer/accept/").status_code == 404
    client.force_login(cast.learner)
    assert client.get(f"/learn/enrolments/{offered.pk}/offer/accept/").status_code == 405
    offered.refresh_from_db()
    assert offered.status == S.OFFERED


def test_the_scheduler_passes_on_expired_offers(full, monkeypatch):
    """`send_due_messages`, from cron, is what passes an unanswered offer on."""
    from django.core.management import call_command

    run, seated, first, second = full
    enrolment_withdraw(enrolment=seated, by=None)
    first.refresh_from_db()
    later = first.offer_expires_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("send_due_messages")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.DECLINED, S.OFFERED)
