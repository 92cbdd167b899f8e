"""What comes back from the provider: delivery reports, and learners' replies (STOP, START,
and YES or NO to a seat offered from the waitlist).

The views that receive these check Twilio's signature first; this module trusts its input.
"""

import unicodedata

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from enrolment.errors import EnrolmentError
from enrolment.models import (
    Channel,
    ConsentMethod,
    ConsentPurpose,
    Direction,
    Enrolment,
    EnrolmentStatus,
    Learner,
    Message,
    MessageKind,
    MessageStatus,
    normalise_phone,
)
from enrolment.services.consents import consent_give, consent_withdraw
from enrolment.services.messaging import message_render
from enrolment.services.offers import offer_accept, offer_decline

# Twilio's status names. A later report never moves a message back: "sent" arriving after
# "delivered" (reports can cross) leaves it delivered.
PROVIDER_STATUS = {
    "accepted": MessageStatus.SENT,
    "queued": MessageStatus.SENT,
    "sending": MessageStatus.SENT,
    "sent": MessageStatus.SENT,
    "delivered": MessageStatus.DELIVERED,
    "read": MessageStatus.DELIVERED,
    "undelivered": MessageStatus.FAILED,
    "failed": MessageStatus.FAILED,
}
RANK = {MessageStatus.SENT: 1, MessageStatus.DELIVERED: 2, MessageStatus.FAILED: 2}

# The words carriers and Twilio treat as "stop", and the same in the centre's languages,
# as a learner would type them.
STOP_WORDS = {
    "stop", "stopall", "unsubscribe", "cancel", "end", "quit", "optout", "revoke",
    "arrêt", "arrête", "stoppe",
    "توقف", "قف", "إلغاء",
    "بند", "رکو", "روکو",
    "停止", "取消", "退訂", "退订",
}  # fmt: skip
START_WORDS = {"start", "unstop", "subscribe", "début", "ابدأ", "شروع", "開始", "开始"}
# Answers to a seat offer, as `_word` reads them (below): "Oui", "نَعَم" and "ہاں" included.
# Cantonese says 係 for yes and 唔要 for "don't want".
YES_WORDS = {"yes", "y", "oui", "نعم", "ہاں", "ہان", "جی", "是", "是的", "好", "好的", "係", "要"}
NO_WORDS = {"no", "n", "non", "لا", "نہیں", "نہی", "否", "不", "不要", "唔要"}


def message_status_update(*, provider_id: str, provider_status: str, error_code: str = "") -> bool:
    """Record a delivery report. False if no message has this id or the status is unknown."""
    status = PROVIDER_STATUS.get(provider_status.strip().lower())
    if not provider_id or status is None:
        return False
    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(provider_id=provider_id, direction=Direction.OUT)
            .first()
        )
        if message is None:
            return False
        if RANK.get(message.status, 0) < RANK[status]:
            message.status = status
            if status == MessageStatus.FAILED:
                message.error = f"Provider error {error_code}".strip()[:300]
            message.save(update_fields=["status", "error", "updated_at"])
    return True


def _word(body: str) -> str:
    """The first word, in lower case, without accents or Arabic vowel marks: "Arrêt" and
    "ARRET" are the same word to the person who typed them."""
    text = unicodedata.normalize("NFKD", body).casefold()
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    words = unicodedata.normalize("NFKC", text).split()
    return words[0].strip(".!?,;:؟،。！") if words else ""


# Each list as `_word` reads a reply, so that a word is matched however it was typed.
_STOP, _START, _YES, _NO = (
    frozenset(map(_word, words)) for words in (STOP_WORDS, START_WORDS, YES_WORDS, NO_WORDS)
)


def message_receive(*, sender: str, body: str, provider_id: str = "") -> str:
    """Record a learner's reply and act on it. Returns the text to answer with, or "".

    `sender` is as Twilio gives it: "+85291230001" or "whatsapp:+85291230001". A number can
    belong to a learner and be the guardian's phone of others (a parent of three children):
    STOP stops messages to every learner reached through that phone.
    """
    channel = Channel.WHATSAPP if sender.startswith("whatsapp:") else Channel.SMS
    phone = normalise_phone(sender.removeprefix("whatsapp:"), strict=False)
    learners = (
        list(Learner.objects.filter(Q(phone=phone) | Q(guardian_phone=phone)).order_by("pk"))
        if phone
        else []
    )
    word = _word(body)
    with transaction.atomic():
        for learner in learners or [None]:
            Message.objects.create(
                learner=learner,
                direction=Direction.IN,
                channel=channel,
                address=phone or sender[:254],
                kind=MessageKind.REPLY,
                language=learner.preferred_language if learner else "",
                body=body[:1600],
                status=MessageStatus.RECEIVED,
                provider_id=provider_id[:64],
            )
        if not learners:
            return ""
        if word in _STOP:
            return _stop(learners, channel=channel, phone=phone)
        if word in _START:
            _start(learners)
        if word in _YES or word in _NO:
            return _answer_offer(learners, yes=word in _YES, channel=channel, phone=phone)
    return ""


def _answer_offer(learners: list[Learner], *, yes: bool, channel: str, phone: str) -> str:
    """Take or pass on the latest pending offer to anyone this phone answers for (a guardian
    answers for the child), and say what happened in that learner's language."""
    offer = (
        Enrolment.objects.filter(learner__in=learners, status=EnrolmentStatus.OFFERED)
        .select_related("learner", "run", "run__course")
        .order_by("-offer_expires_at", "-pk")
        .first()
    )
    learner = offer.learner if offer else learners[0]
    with translation.override(learner.preferred_language):
        if offer is None:
            return _record_reply(
                learner, _("No seat offer is waiting for your answer."), channel, phone
            )
        try:
            # The reply below is the confirmation: no second message.
            if yes:
                offer_accept(enrolment=offer, by=None, announce=False)
            else:
                offer_decline(enrolment=offer, by=None, announce=False)
        except EnrolmentError as error:
            return _record_reply(learner, str(error.message), channel, phone)
        kind = MessageKind.ENROLLED if yes else MessageKind.WITHDRAWN
        _subject, text = message_render(
            kind=kind, language=learner.preferred_language, context={"enrolment": offer}
        )
        return _record_reply(learner, text, channel, phone, kind=kind)


def _record_reply(
    learner: Learner, text: str, channel: str, phone: str, *, kind: str = MessageKind.REPLY
) -> str:
    """Keep the answer sent back in the reply itself (TwiML), so staff see what was said."""
    Message.objects.create(
        learner=learner,
        channel=channel,
        address=phone,
        kind=kind,
        language=learner.preferred_language,
        body=text,
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
    )
    return text


def _start(learners: list[Learner]) -> None:
    """START undoes a STOP: consent given before comes back, by reply. It gives no consent
    to someone who never agreed to messages."""
    for learner in learners:
        if learner.messages_consent_at is not None and learner.messages_stopped_at is not None:
            consent_give(
                learner=learner,
                purpose=ConsentPurpose.MESSAGES,
                by=None,
                method=ConsentMethod.REPLY,
            )


def _stop(learners: list[Learner], *, channel: str, phone: str) -> str:
    """Honour STOP at once, and say so once, in the reply to the STOP itself."""
    for learner in learners:
        consent_withdraw(
            learner=learner, purpose=ConsentPurpose.MESSAGES, by=None, method=ConsentMethod.REPLY
        )
    first = learners[0]
    _subject, text = message_render(
        kind=MessageKind.OPTED_OUT, language=first.preferred_language, context={"learner": first}
    )
    return _record_reply(first, text, channel, phone, kind=MessageKind.OPTED_OUT)
