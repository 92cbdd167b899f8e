"""The real `twilio` client against a local server that answers like Twilio, and the two
addresses Twilio calls back, which must carry Twilio's signature."""

import pytest
from django.test import override_settings
from django.utils import timezone
from twilio.request_validator import RequestValidator

from enrolment.models import Message, MessageKind, MessageStatus
from enrolment.services.enrolling import enrolment_create
from enrolment.services.message_backends import Outgoing, SendFailed, TwilioBackend
from enrolment.services.messaging import message_queue, message_send
from tests import fake_twilio
from tests.factories import CourseRunFactory, LearnerFactory

pytestmark = pytest.mark.django_db
TWILIO = "enrolment.services.message_backends.TwilioBackend"


@pytest.fixture
def twilio(settings):
    fake, server = fake_twilio.start()
    settings.TWILIO_API_URL = fake.url
    settings.MESSAGES_BACKEND = TWILIO
    yield fake
    server.shutdown()


def test_a_text_is_posted_to_twilios_messages_api(twilio, settings):
    sid = TwilioBackend().send(
        Outgoing(channel="sms", to="+85291230001", body="Hello", status_callback="https://c/s/")
    )
    [request] = twilio.requests
    assert request.path == f"/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json"
    assert request.account == settings.TWILIO_ACCOUNT_SID
    assert request.form == {
        "To": "+85291230001",
        "From": settings.TWILIO_SMS_FROM,
        "Body": "Hello",
        "StatusCallback": "https://c/s/",
    }
    assert sid.startswith("SM") and len(sid) == 34


def test_whatsapp_goes_through_the_same_api_with_its_prefix(twilio, settings):
    TwilioBackend().send(Outgoing(channel="whatsapp", to="+85291230001", body="Hi"))
    [request] = twilio.requests
    assert request.form["To"] == "whatsapp:+85291230001"
    assert request.form["From"] == settings.TWILIO_WHATSAPP_FROM


def test_an_enrolment_reaches_twilio_in_arabic(twilio, site, django_capture_on_commit_callbacks):
    run = CourseRunFactory(course__parent=site.catalogue)
    learner = LearnerFactory(by_whatsapp=True, preferred_language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(learner=learner, run=run, by=None)
    [request] = twilio.requests
    assert request.form["To"] == f"whatsapp:{learner.phone}"
    assert run.code in request.form["Body"] and "/ar/learn/" in request.form["Body"]
    assert request.form["StatusCallback"].endswith("/messages/twilio/status/")
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT and message.provider_id.startswith("SM")


@pytest.mark.parametrize(
    "status, code, retry",
    [(503, 20500, True), (429, 20429, True), (400, 21211, False), (401, 20003, False)],
)
def test_twilios_refusals_say_whether_to_try_again(twilio, status, code, retry):
    twilio.replies.append((status, {"code": code, "message": "refused", "status": status}))
    with pytest.raises(SendFailed) as failure:
        TwilioBackend().send(Outgoing(channel="sms", to="+85291230001", body="Hi"))
    assert failure.value.retry is retry
    assert str(code) in failure.value.reason


def test_twilio_unreachable_is_tried_again(settings):
    settings.TWILIO_API_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.MESSAGES_BACKEND = TWILIO
    message = message_queue(learner=LearnerFactory(by_sms=True), kind=MessageKind.OPTED_OUT)
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == MessageStatus.RETRYING
    assert "unreachable" in message.error


# --- what Twilio calls --------------------------------------------------------------------------


def signed_post(client, path, data, *, token="test-auth-token"):
    url = f"http://127.0.0.1:8000{path}"  # BASE_URL: the address Twilio was given
    signature = RequestValidator(token).compute_signature(url, data)
    return client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)


@pytest.fixture
def sent():
    message = message_queue(learner=LearnerFactory(by_sms=True), kind=MessageKind.OPTED_OUT)
    return message_send(message_id=message.pk)


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_a_delivery_report_updates_the_message(client, sent):
    response = signed_post(
        client,
        "/messages/twilio/status/",
        {"MessageSid": sent.provider_id, "MessageStatus": "delivered"},
    )
    assert response.status_code == 204
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED
    # A late "sent" report does not move it back.
    signed_post(
        client,
        "/messages/twilio/status/",
        {"MessageSid": sent.provider_id, "MessageStatus": "sent"},
    )
    sent.refresh_from_db()
    assert sent.status == MessageStatus.DELIVERED


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_an_undelivered_report_marks_it_failed_with_the_code(client, sent):
    signed_post(
        client,
        "/messages/twilio/status/",
        {"MessageSid": sent.provider_id, "MessageStatus": "undelivered", "ErrorCode": "30003"},
    )
    sent.refresh_from_db()
    assert sent.status == MessageStatus.FAILED and "30003" in sent.error


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
@pytest.mark.parametrize("path", ["/messages/twilio/status/", "/messages/twilio/inbound/"])
@pytest.mark.parametrize("how", ["unsigned", "wrong token", "other fields"])
def test_a_forged_request_is_refused_and_changes_nothing(client, sent, path, how):
    data = {"MessageSid": sent.provider_id, "MessageStatus": "failed", "From": sent.address,
            "Body": "STOP"}  # fmt: skip
    if how == "unsigned":
        response = client.post(path, data)
    elif how == "wrong token":
        response = signed_post(client, path, data, token="guessed")
    else:
        signature = RequestValidator("test-auth-token").compute_signature(
            f"http://127.0.0.1:8000{path}", {**data, "Body": "hello"}
        )
        response = client.post(path, data, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT
    assert sent.learner.messages_stopped_at is None
    assert not Message.objects.filter(kind=MessageKind.REPLY).exists()


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
@pytest.mark.parametrize("word", ["STOP", "stop.", "Stop please", "توقف", "停止", "Arrêt"])
def test_stop_stops_every_message_at_once(client, site, word, django_capture_on_commit_callbacks):
    learner = LearnerFactory(by_whatsapp=True, preferred_language="ar")
    response = signed_post(
        client, "/messages/twilio/inbound/", {"From": f"whatsapp:{learner.phone}", "Body": word}
    )
    assert response.status_code == 200
    assert b"<Response><Message>" in response.content  # the one confirmation, as the reply
    learner.refresh_from_db()
    assert learner.messages_stopped_at is not None
    reply = Message.objects.get(kind=MessageKind.REPLY)
    assert (reply.learner, reply.body, reply.status) == (learner, word, MessageStatus.RECEIVED)

    run = CourseRunFactory(course__parent=site.catalogue)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_create(learner=learner, run=run, by=None)
    assert Message.objects.get(kind=MessageKind.ENROLLED).status == MessageStatus.SKIPPED

    signed_post(client, "/messages/twilio/inbound/", {"From": learner.phone, "Body": "START"})
    learner.refresh_from_db()
    assert learner.messages_stopped_at is None


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_a_parents_stop_covers_each_of_their_children(client):
    children = [
        LearnerFactory(by_sms=True, phone="", guardian_phone="+85291237777") for _ in range(3)
    ]
    signed_post(client, "/messages/twilio/inbound/", {"From": "+852 9123 7777", "Body": "STOP"})
    for child in children:
        child.refresh_from_db()
        assert child.messages_stopped_at is not None


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_a_reply_from_an_unknown_number_is_kept_and_answered_with_nothing(client):
    response = signed_post(
        client, "/messages/twilio/inbound/", {"From": "+85291230404", "Body": "hello?"}
    )
    assert response.status_code == 200 and b"<Message>" not in response.content
    reply = Message.objects.get()
    assert reply.learner is None and reply.body == "hello?"


def test_twilio_gets_405_for_a_get(client):
    assert client.get("/messages/twilio/status/").status_code == 405
    assert timezone.now()  # the view answered without a session or a CSRF token
