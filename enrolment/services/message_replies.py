"""What comes back from the provider: delivery reports, and learners' replies (STOP, START).

The views that receive these check Twilio's signature first; this module trusts its input.
"""

import unicodedata

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from enrolment.models import (
    Channel,
    Direction,
    Learner,
    Message,
    MessageKind,
    MessageStatus,
    normalise_phone,
)
from enrolment.services.messaging import message_render

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
    "arret", "arrete", "stoppe",
    "توقف", "قف", "الغاء",
    "بند", "رکو", "روکو",
    "停止", "取消", "退訂", "退订",
}  # fmt: skip
START_WORDS = {"start", "unstop", "subscribe", "debut", "ابدا", "شروع", "開始", "开始"}


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
    now = timezone.now()
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
        if word in STOP_WORDS:
            return _stop(learners, channel=channel, phone=phone, now=now)
        if word in START_WORDS:
            Learner.objects.filter(pk__in=[learner.pk for learner in learners]).update(
                messages_stopped_at=None
            )
    return ""


def _stop(learners: list[Learner], *, channel: str, phone: str, now) -> str:
    """Honour STOP at once, and say so once, in the reply to the STOP itself."""
    Learner.objects.filter(pk__in=[learner.pk for learner in learners]).update(
        messages_stopped_at=now
    )
    first = learners[0]
    subject, text = message_render(
        kind=MessageKind.OPTED_OUT, language=first.preferred_language, context={"learner": first}
    )
    Message.objects.create(
        learner=first,
        channel=channel,
        address=phone,
        kind=MessageKind.OPTED_OUT,
        language=first.preferred_language,
        subject=subject[:200],
        body=text,
        status=MessageStatus.SENT,
        sent_at=now,
    )
    return text
