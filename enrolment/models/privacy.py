"""Who looked at whose personal data (issue 15, PDPO's security principle): a row each time a
member of staff opens a learner's or a child's record, downloads a file that names them, or
exports a list of people.

Rows are only ever added (enrolment.services.access_log): the log is evidence, so nobody
edits or deletes one in the admin; only the retention command will remove old rows.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.validators import single_line
from enrolment.models.people import Learner


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
