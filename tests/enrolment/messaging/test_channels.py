"""Choosing how the centre writes: sign-up, the profile, the admin; and /learn/messages/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from enrolment.errors import AccountError
from enrolment.models import Learner, Message, MessageKind, MessageStatus, SkipReason
from enrolment.services.message_consent import learner_channel_set
from tests.enrolment.views.accounts.test_signup import NEXT_STEP, URL, form_data
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db


def test_sign_up_with_a_phone_and_consent_gets_whatsapp_by_default(client, site):
    response = client.post(URL, form_data(phone="9123 4567", messages_consent="on"))
    assert response["Location"] == NEXT_STEP
    learner = Learner.objects.get()
    assert learner.message_channel == "whatsapp"
    assert learner.messages_consent_at is not None
    assert learner.messages_consent_by == learner.user
    assert "We will not send you messages" not in client.get(NEXT_STEP).content.decode()


def test_sign_up_without_consent_keeps_the_channel_and_says_no_messages_come(client, site):
    response = client.post(URL, form_data(email="amina@example.org", message_channel="email"))
    assert response["Location"] == NEXT_STEP
    learner = Learner.objects.get()
    assert learner.message_channel == "email" and learner.messages_consent_at is None
    assert "We will not send you messages" in client.get(NEXT_STEP).content.decode()


def test_sign_up_refuses_text_messages_without_a_phone(client, site):
    response = client.post(
        URL, form_data(email="amina@example.org", message_channel="sms", messages_consent="on")
    )
    assert response.status_code == 200
    assert "need a phone number" in response.context["form"].errors["message_channel"][0]
    assert not Learner.objects.exists()


def test_sign_up_with_a_taken_phone_answers_as_for_a_new_one(client, site):
    LearnerFactory(phone="+85291234567")
    response = client.post(URL, form_data(phone="9123 4567", messages_consent="on"))
    assert response["Location"] == NEXT_STEP
    assert Learner.objects.count() == 1


def test_the_service_refuses_email_without_an_email(cast):
    learner = LearnerFactory(phone="+85291110000", email="")
    with pytest.raises(AccountError):
        learner_channel_set(learner=learner, channel="email", consent=True, by=cast.coordinator)
    learner.refresh_from_db()
    assert learner.message_channel == "none"


def profile_post(client, learner, **changes):
    data = {
        "preferred_name": learner.preferred_name,
        "phone": learner.phone,
        "email": learner.email,
        "languages": "",
        "preferred_language": "en",
    } | changes
    return client.post("/learn/profile/", data)


def test_withdrawing_consent_on_the_profile_stops_messages_at_once(client, cast):
    learner = cast.learner.learner
    learner_channel_set(learner=learner, channel="none", consent=False, by=None)
    Learner.objects.filter(pk=learner.pk).update(phone="+85291230000")
    learner.refresh_from_db()
    client.force_login(cast.learner)
    profile_post(client, learner, message_channel="sms", messages_consent="on")
    learner.refresh_from_db()
    assert learner.message_channel == "sms" and learner.messages_consent_by == cast.learner
    profile_post(client, learner, message_channel="sms")
    learner.refresh_from_db()
    assert learner.messages_consent_at is None


def test_a_learner_who_replied_stop_sees_it_and_can_turn_messages_back_on(client, cast):
    learner = cast.learner.learner
    Learner.objects.filter(pk=learner.pk).update(
        phone="+85291230000",
        message_channel="whatsapp",
        messages_consent_at=timezone.now(),
        messages_stopped_at=timezone.now(),
    )
    learner.refresh_from_db()
    client.force_login(cast.learner)
    assert "You replied STOP" in client.get("/learn/profile/").content.decode()
    profile_post(client, learner, message_channel="whatsapp", messages_consent="on")
    learner.refresh_from_db()
    assert learner.messages_stopped_at is None and learner.messages_consent_at is not None


def test_staff_record_consent_as_their_own(client, cast, site):
    learner = LearnerFactory(phone="+85291239999")
    client.force_login(cast.coordinator)
    response = client.post(
        f"/admin/enrolment/learners/edit/{learner.pk}/",
        {
            "preferred_name": learner.preferred_name,
            "phone": learner.phone,
            "preferred_language": "en",
            "english_level": learner.english_level,
            "message_channel": "sms",
            "messages_agreed": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    learner.refresh_from_db()
    assert learner.message_channel == "sms" and learner.messages_consent_by == cast.coordinator


def _message(learner, n, **extra):
    return Message.objects.create(
        learner=learner,
        channel="sms",
        kind=MessageKind.ENROLLED,
        language="fr",
        body=f"Texte {n}",
        **({"status": MessageStatus.SENT} | extra),
    )


def test_learn_messages_lists_only_the_learners_own_newest_first_in_their_language(client, cast):
    learner = cast.learner.learner
    _message(learner, 1)
    _message(learner, 2, status=MessageStatus.SKIPPED, skip_reason=SkipReason.NO_CONSENT)
    _message(cast.other_learner.learner, 3)
    client.force_login(cast.learner)
    page = client.get("/fr/learn/messages/").content.decode()
    assert page.index("Texte 2") < page.index("Texte 1")
    assert "Texte 3" not in page
    with translation.override("fr"):
        assert str(MessageStatus.SKIPPED.label) in page
    client.force_login(cast.other_learner)
    assert "Texte 1" not in client.get("/learn/messages/").content.decode()


def test_learn_messages_query_count_does_not_grow(client, cast):
    learner = cast.learner.learner
    client.force_login(cast.learner)
    _message(learner, 0)
    client.get("/learn/messages/")
    with CaptureQueriesContext(connection) as few:
        client.get("/learn/messages/")
    for n in range(15):
        _message(learner, n)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/learn/messages/")
    assert response.status_code == 200
    assert len(many) == len(few)


ADMIN_MESSAGES = "/admin/enrolment/messages/"


def test_coordinators_see_every_message_and_filter_by_status(client, cast, site):
    _message(cast.learner.learner, 1)
    _message(cast.other_learner.learner, 2, status=MessageStatus.SKIPPED, skip_reason="no_consent")
    client.force_login(cast.coordinator)
    page = client.get(ADMIN_MESSAGES + "?status=skipped").content.decode()
    assert "Omar" in page and "has not agreed to messages" in page
    assert client.get(ADMIN_MESSAGES + "new/").status_code in (302, 403)
    client.force_login(cast.teacher)
    assert client.get(ADMIN_MESSAGES).status_code in (302, 403)


def test_the_coordinators_listing_query_count_does_not_grow(client, cast, site):
    client.force_login(cast.coordinator)
    _message(cast.learner.learner, 0)
    client.get(ADMIN_MESSAGES)
    with CaptureQueriesContext(connection) as few:
        client.get(ADMIN_MESSAGES)
    for n in range(20):
        _message(LearnerFactory(), n)
    with CaptureQueriesContext(connection) as many:
        assert client.get(ADMIN_MESSAGES).status_code == 200
    assert len(many) == len(few)
