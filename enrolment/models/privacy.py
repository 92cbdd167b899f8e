"""Who looked at whose personal data (issue 15, PDPO's security principle): a row each time a
member of staff opens a learner's or a child's record, downloads a file that names them, or
exports a list of people.

Rows are only ever added (enrolment.services.access_log): the log is evidence, so nobody
edits or deletes one in the admin; only the retention command will remove old rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.validators import free_text, single_line
from enrolment.models.people import Learner
from enrolment.models.scoping import OwnedQuerySet


class AccessAction(models.TextChoices):
    VIEWED = "viewed", _("Opened a record")
    DOWNLOADED = "downloaded", _("Downloaded a file")
    EXPORTED = "exported", _("Exported a list")


class AccessLog(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        # The row outlives the account: who looked stays known by name (user_name).
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    user_name = models.CharField(_("staff member's name"), max_length=300, validators=[single_line])
    at = models.DateTimeField(_("when"), auto_now_add=True)
    action = models.CharField(_("action"), max_length=20, choices=AccessAction.choices)
    learner = models.ForeignKey(
        Learner,
        verbose_name=_("person"),
        # Forgetting a person (anonymisation) keeps the row; deleting the record keeps that
        # someone looked, without whom.
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="access_logs",
    )
    what = models.CharField(_("what"), max_length=300, validators=[single_line])
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        # The two questions the log answers: who looked at this person, what did this
        # member of staff look at; newest first.
        indexes = [
            models.Index(fields=["learner", "-at"], name="accesslog_learner_at"),
            models.Index(fields=["user", "-at"], name="accesslog_user_at"),
            models.Index(fields=["-at"], name="accesslog_at"),
        ]

    def __str__(self):
        return f"{self.user_name}: {self.get_action_display()} {self.what}"


class CorrectionStatus(models.TextChoices):
    OPEN = "open", _("Waiting")
    DONE = "done", _("Corrected")
    REFUSED = "refused", _("Not changed")


class CorrectionRequestQuerySet(OwnedQuerySet):
    """`for_user`: coordinators see every request; a learner their own."""

    owner = "learner__user"


# Long enough to say what is wrong and what it should be; short enough to read at a glance.
CORRECTION_TEXT_MAX_LENGTH = 1000


class CorrectionRequest(models.Model):
    """A learner says something the centre holds about them is wrong (PDPO's sixth principle:
    the right to have it corrected). Staff correct the record themselves, then answer here."""

    learner = models.ForeignKey(
        Learner,
        verbose_name=_("learner"),
        # Their words about their own record: nothing to keep once the record is gone.
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    text = models.TextField(
        _("what is wrong, and what it should say"),
        max_length=CORRECTION_TEXT_MAX_LENGTH,
        validators=[free_text],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.OPEN
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("answered"), null=True, blank=True)
    staff_reply = models.TextField(
        _("reply to the learner"),
        max_length=CORRECTION_TEXT_MAX_LENGTH,
        blank=True,
        validators=[free_text],
    )

    objects = CorrectionRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="correction_status_created"),
        ]

    def __str__(self):
        return (
            f"{self.learner} – {self.created_at:%Y-%m-%d}" if self.created_at else str(self.learner)
        )

    @property
    def is_open(self) -> bool:
        return self.status == CorrectionStatus.OPEN
