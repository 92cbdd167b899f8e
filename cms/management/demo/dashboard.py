"""What the coordinator's dashboard has to show on an ordinary day that the rest of the demo
does not bring by itself: a text that did not arrive."""

from enrolment.models import Channel, Enrolment, EnrolmentStatus, Learner, MessageKind
from enrolment.services.message_backends import MemoryBackend, SendFailed
from enrolment.services.messaging import message_queue, message_recipient, message_send

# What Twilio reports for a phone switched off or out of reach for days.
UNREACHABLE = "Twilio error 30003: Unreachable destination handset"


def build_undelivered_message(*, copy: int, learners: dict[str, Learner]) -> None:
    """One learner's "you have a place" text, sent through the real path and refused by the
    provider: it is listed under "Messages not delivered" for a coordinator to call them."""
    enrolments = Enrolment.objects.filter(
        learner__in=learners.values(),
        status=EnrolmentStatus.ENROLLED,
        learner__message_channel=Channel.SMS,
    ).select_related("learner", "run", "run__course")
    reachable = (
        e
        for e in enrolments.order_by("learner__preferred_name", "pk")
        if not message_recipient(learner=e.learner).skip_reason
    )
    enrolment = next(reachable, None)
    if enrolment is None:
        return
    message = message_queue(
        learner=enrolment.learner,
        kind=MessageKind.ENROLLED,
        context={"enrolment": enrolment},
        once_key=f"demo-undelivered:{copy}",
    )
    if message is None:  # seeded before
        return
    # The demo sends through MemoryBackend (build_demo): its next send fails, for good.
    MemoryBackend.failures.append(SendFailed(UNREACHABLE, retry=False))
    message_send(message_id=message.pk)
