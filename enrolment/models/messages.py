"""Messages to and from learners: one row per text, email or WhatsApp message, and per reply.

A row is written in the same transaction as the change it announces and sent after that
commits, so a rollback leaves nothing to send and a failure to send never undoes the change.
The row is the record of who was told what, by which channel, and why someone was not.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.validators import free_text, single_line
from enrolment.models.people import Channel, Learner
from enrolment.models.scoping import OwnedQuerySet


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Will try again")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered")
    SKIPPED = "skipped", _("Not sent")
    RECEIVED = "received", _("Received")


class SkipReason(models.TextChoices):
    NO_CONSENT = "no_consent", _("has not agreed to messages")
    OPTED_OUT = "opted_out", _("asked for no more messages")
    NO_CHANNEL = "no_channel", _("chose no messages")
    NO_ADDRESS = "no_address", _("has no phone number or email for this channel")


class MessageKind(models.TextChoices):
    ENROLLED = "enrolled", _("Place confirmed")
    WAITLISTED = "waitlisted", _("On the waitlist")
    APPLIED = "applied", _("Application received")
    PROMOTED = "promoted", _("Seat given from the waitlist")
    OFFER = "offer", _("Seat offered from the waitlist")
    OFFER_EXPIRED = "offer_expired", _("Offered seat passed on (no answer)")
    DECLINED = "declined", _("Application not accepted")
    WITHDRAWN = "withdrawn", _("Left the class")
    MOVED = "moved", _("Moved to another class")
    REMINDER = "reminder", _("First class tomorrow")
    SESSION_CANCELLED = "session_cancelled", _("Class cancelled")
    SESSION_MOVED = "session_moved", _("Class moved")
    RUN_ENDED = "run_ended", _("Class ended early")
    ABSENCE = "absence", _("Missed classes")
    CERTIFICATE = "certificate", _("Certificate issued")
    PASSWORD_LINK = "password_link", _("Link to choose a password")
    STAFF = "staff", _("Message from staff")
    OPTED_OUT = "opted_out", _("No more messages (confirmation)")
    REPLY = "reply", _("Reply")


class Direction(models.TextChoices):
    OUT = "out", _("to the learner")
    IN = "in", _("from the learner")


class MessageQuerySet(OwnedQuerySet):
    """`for_user`: coordinators see every message; a learner only their own."""

    owner = "learner__user"

    def due(self, now):
        """Messages a worker may send now: queued, or waiting for their next try."""
        return self.filter(
            Q(status=MessageStatus.QUEUED)
            | Q(status=MessageStatus.RETRYING, next_attempt_at__lte=now)
        )


class Message(models.Model):
    learner = models.ForeignKey(
        Learner,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        verbose_name=_("learner"),
    )
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, default=Direction.OUT
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The phone number (E.164) or email it went to or came from: for a child, the guardian's.
    address = models.CharField(_("to"), max_length=254, blank=True, validators=[single_line])
    kind = models.CharField(_("kind"), max_length=20, choices=MessageKind.choices)
    language = models.CharField(_("language"), max_length=10, validators=[single_line])
    subject = models.CharField(_("subject"), max_length=200, blank=True, validators=[single_line])
    body = models.TextField(_("text"), validators=[free_text])
    status = models.CharField(
        _("status"), max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    skip_reason = models.CharField(
        _("why not sent"), max_length=20, choices=SkipReason.choices, blank=True
    )
    error = models.CharField(_("error"), max_length=300, blank=True, validators=[single_line])
    provider_id = models.CharField(
        _("provider's id"), max_length=64, blank=True, validators=[single_line]
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set for messages that must go once only (a reminder, an offer): a second copy of the
    # scheduler that writes the same key fails on the unique constraint instead of sending.
    once_key = models.CharField(
        max_length=120, null=True, blank=True, unique=True, validators=[single_line]
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["provider_id"]),
            models.Index(fields=["learner", "-created_at"]),
            # The messages list, newest first.
            models.Index(fields=["-created_at"], name="message_newest"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_channel_display()})"
