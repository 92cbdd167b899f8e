"""Consent per purpose, with its history (issue 15): one row per period of consent. Giving
opens a row, withdrawing closes it; the rows of a learner are the history.

The learner's own fields (consent_photo, consent_share_progress, consent_story and the
messages fields) stay the current state that every page and message reads; only
enrolment.services.consents writes either, and it writes both in one transaction, so that a
withdrawal takes effect everywhere at once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enrolment.models.people import Learner


class ConsentPurpose(models.TextChoices):
    PHOTO = "photo", _("Photos")
    SHARE_PROGRESS = "share_progress", _("School progress shared with sponsors")
    MESSAGES = "messages", _("Messages by WhatsApp, text or email")
    STORY = "story", _("Publishing a story")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("in person, recorded by centre staff")
    ONLINE = "online", _("online, by the learner")
    GUARDIAN = "guardian", _("by a parent or guardian")
    REPLY = "reply", _("by a reply to a message")


class Consent(models.Model):
    learner = models.ForeignKey(
        Learner, on_delete=models.CASCADE, related_name="consents", verbose_name=_("learner")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    given_at = models.DateTimeField(_("given"))
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    method = models.CharField(_("how"), max_length=20, choices=ConsentMethod.choices)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    withdrawn_method = models.CharField(
        _("how withdrawn"), max_length=20, choices=ConsentMethod.choices, blank=True
    )

    class Meta:
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            # Two open rows would make "is it given?" ambiguous; withdrawal closes the one.
            models.UniqueConstraint(
                fields=["learner", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_open_consent_per_purpose",
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.learner_id})"

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None


class StorySubject(models.Model):
    """Whose story a StoryPage tells. cms may not import enrolment, so the link lives here;
    a story with a subject is served only while that learner's story consent is open."""

    story = models.OneToOneField(
        "cms.StoryPage",
        on_delete=models.CASCADE,
        related_name="subject",
        verbose_name=_("story"),
    )
    learner = models.ForeignKey(
        Learner,
        # Erasing a learner erases the link; the page's own consent box still governs it.
        on_delete=models.CASCADE,
        related_name="stories",
        verbose_name=_("learner"),
    )
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("linked by"),
    )

    class Meta:
        verbose_name = _("story subject")
        verbose_name_plural = _("story subjects")

    def __str__(self):
        return str(self.story)
