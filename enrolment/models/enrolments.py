from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Case, Count, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cms.validators import free_text, single_line
from enrolment.models.scoping import OwnedQuerySet


class EnrolmentStatus(models.TextChoices):
    APPLIED = "applied", _("Applied, waiting for review")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Seat offered, waiting for your answer")
    ENROLLED = "enrolled", _("Enrolled")
    DECLINED = "declined", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


# An active enrolment is a claim on the run: at most one per learner and run.
ACTIVE_STATUSES = [
    EnrolmentStatus.APPLIED,
    EnrolmentStatus.WAITLISTED,
    EnrolmentStatus.OFFERED,
    EnrolmentStatus.ENROLLED,
]
# What counts against a run's capacity: an offered seat is held for the learner until they
# answer or the offer expires, so nobody else can take it meanwhile. (courses reads the same
# values as SEAT_HOLDING_STATUSES, without importing this app.)
SEAT_HOLDING_STATUSES = [EnrolmentStatus.OFFERED, EnrolmentStatus.ENROLLED]


class EnrolmentQuerySet(OwnedQuerySet):
    """`for_user`: coordinators see every enrolment; a learner only their own."""

    owner = "learner__user"

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def with_waitlist_position(self):
        """Annotate `waitlist_position`: 1 for the first person waiting, None if not waiting.

        One subquery for the whole list, so a page of enrolments costs one query.
        """
        ahead = (
            Enrolment.objects.filter(run=OuterRef("run"), status=EnrolmentStatus.WAITLISTED)
            .filter(
                Q(waitlisted_at__lt=OuterRef("waitlisted_at"))
                | Q(waitlisted_at=OuterRef("waitlisted_at"), pk__lt=OuterRef("pk"))
            )
            .order_by()
            .values("run")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waitlist_position=Case(
                When(
                    status=EnrolmentStatus.WAITLISTED,
                    then=Coalesce(Subquery(ahead), Value(0)) + 1,
                ),
                default=None,
                output_field=models.IntegerField(),
            )
        )

    def waitlist(self, run):
        return self.filter(run=run, status=EnrolmentStatus.WAITLISTED).order_by(
            "waitlisted_at", "pk"
        )


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
    # Waitlist order: first come, first promoted. Reset when someone re-joins the list.
    waitlisted_at = models.DateTimeField(_("joined the waitlist"), null=True, blank=True)
    # When the learner took a seat and when they gave it up: a session's register lists those
    # who held a seat at the time of the session, no one who came later or had left.
    enrolled_at = models.DateTimeField(_("took a seat"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    # While the status is "offered": the seat is held until then, and passes on after.
    offer_expires_at = models.DateTimeField(_("offer open until"), null=True, blank=True)
    # What it takes for the learner to attend: set by the learner when enrolling or by staff;
    # the register shows it to the teacher, the dashboard counts childcare places.
    interpreter_language = models.CharField(
        _("interpreter needed for"),
        max_length=60,
        blank=True,
        help_text=_("The language to interpret into; empty when no interpreter is needed."),
        validators=[single_line],
    )
    childcare_children = models.PositiveSmallIntegerField(
        _("children needing childcare"), default=0, validators=[MaxValueValidator(12)]
    )
    transport_reimbursed = models.BooleanField(
        _("transport reimbursed"),
        default=False,
        help_text=_("Fares are paid back for each session attended."),
    )
    # The marks' totals, recounted as each register is saved (services.attendance_totals), so
    # that the at-risk list reads them instead of counting years of marks.
    marks_present = models.PositiveIntegerField(_("sessions present"), default=0, editable=False)
    marks_late = models.PositiveIntegerField(_("sessions late"), default=0, editable=False)
    marks_excused = models.PositiveIntegerField(_("sessions excused"), default=0, editable=False)
    marks_absent = models.PositiveIntegerField(_("sessions absent"), default=0, editable=False)
    absences_in_a_row = models.PositiveIntegerField(
        _("absences in a row"), default=0, editable=False
    )
    last_attended = models.DateField(_("last attended"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnrolmentQuerySet.as_manager()

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
        indexes = [
            models.Index(fields=["run", "status"]),
            # The enrolments list, newest first, whole or by status.
            models.Index(fields=["-created_at"], name="enrolment_newest"),
            models.Index(fields=["status", "-created_at"], name="enrolment_status_newest"),
            models.Index(
                fields=["offer_expires_at"],
                condition=Q(status=EnrolmentStatus.OFFERED),
                name="enrolment_pending_offers",
            ),
        ]

    def __str__(self):
        return f"{self.learner} – {self.run.code}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class EnrolmentEvent(models.Model):
    """One status change of an enrolment: who, when, from what to what, and why."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="events", verbose_name=_("enrolment")
    )
    from_status = models.CharField(
        _("from"), max_length=16, choices=EnrolmentStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=16, choices=EnrolmentStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True, validators=[free_text])

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("enrolment status change")
        verbose_name_plural = _("enrolment status changes")

    def __str__(self):
        return f"{self.enrolment_id}: {self.from_status or '–'} → {self.to_status}"
