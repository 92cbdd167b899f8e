import datetime as dt

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.roles import TEACHERS
from cms.validators import sane_year, single_line
from courses.choices import WEEKDAY_SHORT, RunMode, RunStatus, SessionStatus
from courses.fields import WeekdaysField
from courses.models.snippets import originals_only

# The enrolment app owns these values (enrolment.models.SEAT_HOLDING_STATUSES); courses reads
# seats through the reverse relation `run.enrolments` by name only, so that courses never
# imports enrolment. An offered seat is held for the learner it was offered to.
SEAT_HOLDING_STATUSES = ("enrolled", "offered")


# Classes a coordinator picks from a list: under way, to come, or ended in the last four months.
# Older ones stay valid choices, reached by a link (see cms.admin_filters.offer_only).
RECENT_RUN_DAYS = 120


def run_is_recent(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(end_date__gte=today - dt.timedelta(days=RECENT_RUN_DAYS))


class CourseRunQuerySet(models.QuerySet):
    def as_choices(self):
        """Runs to choose from, newest first, loading what a choice shows (code and course
        title) and no more: each run otherwise brings its course page's many columns, and a
        busy term offers hundreds of runs."""
        return (
            self.select_related("course")
            .only("code", "course_id", "course__title")
            .order_by("-start_date", "code")
        )

    def public(self):
        """Runs a visitor may see: published or closed, never drafts."""
        return self.exclude(status=RunStatus.DRAFT)

    def upcoming(self, today: dt.date | None = None):
        """Published runs that have not ended yet."""
        today = today or timezone.localdate()
        return self.filter(status=RunStatus.PUBLISHED, end_date__gte=today)

    def open_for_enrolment(self, today: dt.date | None = None):
        """Runs a newcomer can enrol in or join the waitlist of today: CourseRun's
        is_enrolment_open, in the database. A class under way whose enrolment has closed is
        not one, whatever seats it has."""
        today = today or timezone.localdate()
        return self.upcoming(today).filter(
            Q(enrolment_opens__isnull=True) | Q(enrolment_opens__lte=today),
            Q(enrolment_closes__isnull=True) | Q(enrolment_closes__gte=today),
        )

    def with_seats(self):
        return self.annotate(
            seats_taken=Count(
                "enrolments", filter=Q(enrolments__status__in=SEAT_HOLDING_STATUSES), distinct=True
            ),
            seats_left=F("capacity") - F("seats_taken"),
        )


class CourseRun(models.Model):
    """One scheduled offering of a course: a class with dates, a venue, teachers and seats."""

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="runs",
        verbose_name=_("course"),
    )
    code = models.SlugField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("Short, unique and printed on registers, e.g. ENG-A1-2026T3-A."),
    )
    start_date = models.DateField(_("first day"), validators=[sane_year])
    end_date = models.DateField(_("last day"), validators=[sane_year])
    weekdays = WeekdaysField(_("weekdays"))
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    venue = models.ForeignKey(
        "courses.Venue",
        on_delete=models.PROTECT,
        related_name="runs",
        verbose_name=_("venue"),
        limit_choices_to=originals_only,
    )
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="teaching_runs",
        verbose_name=_("teachers"),
        limit_choices_to={"groups__name": TEACHERS},
    )
    capacity = models.PositiveSmallIntegerField(
        _("seats"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    enrolment_opens = models.DateField(
        _("enrolment opens"), null=True, blank=True, validators=[sane_year]
    )
    enrolment_closes = models.DateField(
        _("enrolment closes"), null=True, blank=True, validators=[sane_year]
    )
    mode = models.CharField(
        _("enrolment mode"), max_length=10, choices=RunMode.choices, default=RunMode.OPEN
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance for a certificate (%)"),
        default=80,
        validators=[MaxValueValidator(100)],
    )
    absence_alert_after = models.PositiveSmallIntegerField(
        _("message after this many absences in a row"),
        default=2,
        help_text=_(
            "The learner (or a child's guardian) gets one message when they miss this many "
            "classes in a row. 0: no message."
        ),
    )
    pass_mark = models.DecimalField(
        _("pass mark"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leave empty when the course has no test. Scores are out of 100."),
    )
    offer_hold_hours = models.PositiveSmallIntegerField(
        _("hours to answer a seat offer"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(14 * 24)],
        help_text=_(
            "When a seat frees, the next person waiting is offered it and has this long to "
            "answer before it passes to the next."
        ),
    )
    transport_per_session = models.DecimalField(
        _("transport reimbursed per session (HK$)"),
        max_digits=7,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Paid back to learners whose enrolment says so, for each session attended."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CourseRunQuerySet.as_manager()

    class Meta:
        ordering = ["start_date", "start_time", "code"]
        verbose_name = _("course run")
        verbose_name_plural = _("course runs")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="run_ends_after_it_starts"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="run_class_ends_after_it_starts"
            ),
        ]

    def __str__(self):
        return f"{self.code} – {self.course.title}" if self.course_id else self.code

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The last day cannot be before the first day.")
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = _("A class must end after it starts.")
        if (
            self.enrolment_opens
            and self.enrolment_closes
            and self.enrolment_closes < self.enrolment_opens
        ):
            errors["enrolment_closes"] = _("Enrolment cannot close before it opens.")
        if self.enrolment_closes and self.end_date and self.enrolment_closes > self.end_date:
            errors["enrolment_closes"] = _("Enrolment must close by the run's last day.")
        if errors:
            raise ValidationError(errors)

    @property
    def weekday_labels(self) -> list[str]:
        return [str(WEEKDAY_SHORT[d]) for d in self.weekdays or ""]

    @property
    @admin.display(description=_("Schedule"))
    def schedule_label(self) -> str:
        days = ", ".join(self.weekday_labels)
        return f"{days} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def is_enrolment_open(self, today: dt.date | None = None) -> bool:
        # CourseRunQuerySet.open_for_enrolment asks the same in the database.
        today = today or timezone.localdate()
        if self.status != RunStatus.PUBLISHED or today > self.end_date:
            return False
        if self.enrolment_opens and today < self.enrolment_opens:
            return False
        if self.enrolment_closes and today > self.enrolment_closes:
            return False
        return True


class Session(models.Model):
    """One class meeting of a run. Generated from the run's schedule; may be moved or cancelled."""

    run = models.ForeignKey(
        CourseRun, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("run")
    )
    # The slot the schedule generated this session for. It stays put when the session is
    # moved, so that generating again never re-creates a moved session at its old date.
    scheduled_date = models.DateField(_("originally scheduled for"), editable=False)
    date = models.DateField(_("date"), validators=[sane_year])
    start_time = models.TimeField(_("starts at"))
    end_time = models.TimeField(_("ends at"))
    venue = models.ForeignKey(
        "courses.Venue",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue, if not the run's"),
        limit_choices_to=originals_only,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    note = models.CharField(
        _("note for learners"),
        max_length=200,
        blank=True,
        help_text=_("Why the session was moved or cancelled, shown on the timetable."),
        validators=[single_line],
    )

    class Meta:
        ordering = ["date", "start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "scheduled_date"], name="one_session_per_run_slot"
            ),
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_ends_after_it_starts"
            ),
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self):
        return f"{self.run.code} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"

    def save(self, *args, **kwargs):
        if self.scheduled_date is None:  # added by hand rather than generated
            self.scheduled_date = self.date
        super().save(*args, **kwargs)

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("A class must end after it starts.")})

    @property
    def effective_venue(self):
        return self.venue or self.run.venue

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    @property
    def is_moved(self) -> bool:
        return self.date != self.scheduled_date
