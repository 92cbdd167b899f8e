from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    WAITLISTED = "waitlisted", _("On the waitlist")
    ENROLLED = "enrolled", _("Enrolled")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


ACTIVE_STATUSES = [EnrolmentStatus.APPLIED, EnrolmentStatus.WAITLISTED, EnrolmentStatus.ENROLLED]


class Enrolment(models.Model):
    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("learner"),
    )
    run = models.ForeignKey(
        "courses.CourseRun",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("run"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "run"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_enrolment_per_learner_and_run",
            )
        ]

    def __str__(self):
        return f"{self.learner} – {self.run.code}"
