"""A teacher or coordinator writes to a class: everyone enrolled in a run, its waitlist, or both.

The staff's own words are sent as typed (nobody translates "class cancelled tonight" on the
spot); only the wrapper around them (the centre's name) is in each learner's language. The
preview shows what each language group receives, how many by each channel, who cannot be
reached and why, and how many SMS parts the text takes, before anything is written.
"""

import datetime as dt
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.validators import text_refusal
from courses.models import CourseRun
from enrolment.errors import ClassMessageError
from enrolment.models import Channel, Enrolment, EnrolmentStatus, MessageKind, SkipReason
from enrolment.services.messaging import message_queue, message_recipient, message_render
from enrolment.services.sms import sms_segments

MAX_LENGTH = 600
TOKEN = re.compile(r"[0-9a-f]{32}")

# Who a message to the class reaches. "waitlist" includes those offered a seat: they have not
# taken it yet, and "class cancelled tonight" matters to them too.
AUDIENCES: dict[str, tuple[str, ...]] = {
    "enrolled": (EnrolmentStatus.ENROLLED,),
    "waitlist": (EnrolmentStatus.WAITLISTED, EnrolmentStatus.OFFERED),
    "both": (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.OFFERED),
}


@dataclass(frozen=True)
class LanguageGroup:
    language: str  # the code, e.g. "ar"
    name: str  # shown to staff, in their language
    text: str  # what each of them receives
    segments: int  # SMS parts of that text
    count: int  # how many learners read this language


@dataclass(frozen=True)
class Unreachable:
    name: str
    reason: str  # SkipReason's label


@dataclass
class Preview:
    text: str
    audience: str
    total: int = 0
    languages: list[LanguageGroup] = field(default_factory=list)
    channels: list[tuple[str, int]] = field(default_factory=list)  # (label, count) reached
    unreachable: list[Unreachable] = field(default_factory=list)

    @property
    def reached(self) -> int:
        return self.total - len(self.unreachable)


@dataclass(frozen=True)
class SendResult:
    sent: int  # messages queued to go
    unreachable: int  # recorded as not sent, with the reason


def run_message_clean(*, text: str) -> str:
    """The text as it will be sent, or a ClassMessageError saying what to change."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise ClassMessageError(_("Write the message first."), field="text")
    if len(text) > MAX_LENGTH:
        raise ClassMessageError(
            _(
                "The message is %(length)d characters long. Keep it to %(max)d: "
                "long messages arrive in pieces and cost more."
            )
            % {"length": len(text), "max": MAX_LENGTH},
            field="text",
        )
    refusal = text_refusal(text, multiline=True)
    if refusal:
        raise ClassMessageError(refusal, field="text")
    return text


def _statuses(audience: str) -> tuple[str, ...]:
    try:
        return AUDIENCES[audience]
    except KeyError:
        raise ClassMessageError(
            _("Choose who gets the message: the class, the waitlist, or both."),
            field="audience",
        ) from None


def run_message_recipients(*, run: CourseRun, audience: str) -> QuerySet[Enrolment]:
    """The enrolments the message goes to, with their learners: one query."""
    return (
        Enrolment.objects.filter(run=run, status__in=_statuses(audience))
        .select_related("learner")
        .order_by("learner__preferred_name", "pk")
    )


def run_message_preview(
    *, run: CourseRun, text: str, audience: str, today: dt.date | None = None
) -> Preview:
    """What sending would do, without writing anything."""
    text = run_message_clean(text=text)
    today = today or timezone.localdate()
    preview = Preview(text=text, audience=audience)
    languages: Counter[str] = Counter()
    language_names: dict[str, str] = {}
    channels: Counter[str] = Counter()
    for enrolment in run_message_recipients(run=run, audience=audience):
        learner = enrolment.learner
        preview.total += 1
        languages[learner.preferred_language] += 1
        language_names[learner.preferred_language] = learner.get_preferred_language_display()
        recipient = message_recipient(learner=learner, today=today)
        if recipient.skip_reason:
            preview.unreachable.append(
                Unreachable(learner.preferred_name, SkipReason(recipient.skip_reason).label)
            )
        else:
            channels[recipient.channel] += 1
    for language, count in sorted(languages.items()):
        _subject, rendered = message_render(
            kind=MessageKind.STAFF, language=language, context={"text": text}
        )
        preview.languages.append(
            LanguageGroup(
                language, language_names[language], rendered, sms_segments(rendered), count
            )
        )
    preview.channels = [
        (Channel(channel).label, channels[channel])
        for channel in Channel.values
        if channels[channel]
    ]
    return preview


def run_message_token() -> str:
    """A new token for one preview's "Send" button (see run_message_send)."""
    return uuid.uuid4().hex


@transaction.atomic
def run_message_send(
    *, run: CourseRun, text: str, audience: str, by, token: str = ""
) -> SendResult:
    """Write the message to each recipient; they go after the commit. Those who cannot be
    reached get a "not sent" row with the reason, so the record says who was not told.

    With the preview's `token`, each learner's message carries a once-key: "Send" clicked
    twice, or the form sent again, writes nothing the second time."""
    text = run_message_clean(text=text)
    if token and not TOKEN.fullmatch(token):
        token = ""  # a garbled token: send, but without the protection
    sent = unreachable = 0
    for enrolment in run_message_recipients(run=run, audience=audience):
        message = message_queue(
            learner=enrolment.learner,
            kind=MessageKind.STAFF,
            context={"text": text},
            sent_by=by,
            once_key=f"staff:{token}:{enrolment.learner_id}" if token else None,
        )
        if message is None:
            continue  # written by the first click
        if message.skip_reason:
            unreachable += 1
        else:
            sent += 1
    return SendResult(sent=sent, unreachable=unreachable)
