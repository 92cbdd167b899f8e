from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.validators import single_line


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# One-letter codes for paper and spreadsheet registers.
ATTENDANCE_CODES = {
    "P": AttendanceStatus.PRESENT,
    "L": AttendanceStatus.LATE,
    "E": AttendanceStatus.EXCUSED,
    "A": AttendanceStatus.ABSENT,
}
CODE_FOR_STATUS = {status: code for code, status in ATTENDANCE_CODES.items()}


class Attendance(models.Model):
    """One learner at one session: present, late, excused or absent, marked by whom and when."""

    enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("enrolment"),
    )
    session = models.ForeignKey(
        "courses.Session",
        on_delete=models.PROTECT,
        related_name="attendance",
        verbose_name=_("session"),
    )
    status = models.CharField(_("status"), max_length=10, choices=AttendanceStatus.choices)
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[single_line])
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"))
    # Goes up by one at every change. A register form sends back the version it showed, so a
    # save from an old copy of the page can tell that a colleague changed the mark since.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "session"], name="one_mark_per_learner_and_session"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=AttendanceStatus.values),
                name="attendance_status_is_known",
            ),
        ]
        indexes = [models.Index(fields=["session", "enrolment"])]

    def __str__(self):
        return f"{self.enrolment_id} @ {self.session_id}: {self.status}"


class AttendanceChange(models.Model):
    """A later edit of a mark: what it was, what it became, who changed it and when."""

    attendance = models.ForeignKey(
        Attendance, on_delete=models.CASCADE, related_name="changes", verbose_name=_("mark")
    )
    from_status = models.CharField(_("from"), max_length=10, choices=AttendanceStatus.choices)
    to_status = models.CharField(_("to"), max_length=10, choices=AttendanceStatus.choices)
    from_note = models.CharField(
        _("note before"), max_length=200, blank=True, validators=[single_line]
    )
    to_note = models.CharField(
        _("note after"), max_length=200, blank=True, validators=[single_line]
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"))

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("attendance change")
        verbose_name_plural = _("attendance changes")

    def __str__(self):
        return f"{self.attendance_id}: {self.from_status} → {self.to_status}"
