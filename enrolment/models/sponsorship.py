"""Sponsors, their sponsorships of children's schooling, and the schools' term reports."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from cms.validators import free_text, sane_year, single_line
from enrolment.models.schools import MONEY, school_year_label
from enrolment.models.scoping import OwnedQuerySet


class SponsorQuerySet(OwnedQuerySet):
    """`for_user`: coordinators see every sponsor; a sponsor only their own record."""

    owner = "user"


class Sponsor(models.Model):
    """Someone who funds children's schooling: a person, a company or a church group.

    Their account is in the Sponsors group; what they see is what /sponsor/ shows.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sponsor",
        verbose_name=_("account"),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=120,
        help_text=_("How the sponsor is named on their page and statements."),
        validators=[single_line],
    )
    notes = models.TextField(
        _("notes for coordinators"), blank=True, max_length=2000, validators=[free_text]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SponsorQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "pk"]
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")

    def __str__(self):
        return self.display_name


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    TERMLY = "termly", _("Each term")
    YEARLY = "yearly", _("Yearly")
    ONE_OFF = "one_off", _("One-off")


class CostItem(models.TextChoices):
    """What a sponsorship may pay for: the cost lines of a school placement."""

    FEES = "fees", _("School fees")
    UNIFORM = "uniform", _("Uniform")
    BOOKS = "books", _("Books")
    TRANSPORT = "transport", _("Transport")
    OTHER = "other", _("Other school costs")


def running_between(start: dt.date, end: dt.date, *, via: str = "") -> Q:
    """Sponsorships whose period touches [start, end]; `via` is the path to them from another
    model ("sponsorships__" from a sponsor)."""
    return Q(**{f"{via}starts_on__lte": end}) & (
        Q(**{f"{via}ends_on__isnull": True}) | Q(**{f"{via}ends_on__gte": start})
    )


class SponsorshipQuerySet(OwnedQuerySet):
    """`for_user`: coordinators see every sponsorship; a sponsor their own."""

    owner = "sponsor__user"

    def overlapping(self, start: dt.date, end: dt.date):
        """Sponsorships whose period touches [start, end]."""
        return self.filter(running_between(start, end))


class Sponsorship(models.Model):
    """A sponsor's promise to pay towards a child's schooling for a period."""

    sponsor = models.ForeignKey(
        "enrolment.Sponsor",
        on_delete=models.PROTECT,
        related_name="sponsorships",
        verbose_name=_("sponsor"),
    )
    child = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="sponsorships",
        verbose_name=_("child"),
    )
    starts_on = models.DateField(_("starts on"), validators=[sane_year])
    ends_on = models.DateField(
        _("ends on"),
        null=True,
        blank=True,
        help_text=_("Leave empty while it goes on."),
        validators=[sane_year],
    )
    amount = models.DecimalField(
        _("amount (HK$)"),
        **MONEY,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Paid each time, at the frequency below."),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    covers = models.JSONField(
        _("what it covers"),
        default=list,
        blank=True,
        help_text=_("The school costs this sponsorship pays for."),
    )
    note = models.TextField(
        _("notes for coordinators"), blank=True, max_length=2000, validators=[free_text]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SponsorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sponsorship_amount_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="sponsorship_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.sponsor} → {self.child}"

    @property
    def covers_labels(self) -> list[str]:
        labels = dict(CostItem.choices)
        return [str(labels[key]) for key in self.covers if key in labels]


class Term(models.IntegerChoices):
    FIRST = 1, _("First term")
    SECOND = 2, _("Second term")
    THIRD = 3, _("Third term")


class ProgressReportQuerySet(models.QuerySet):
    def shareable(self):
        """Reports a coordinator has reviewed and shared, of children whose family agreed to
        share progress with sponsors. Withdrawing the consent hides them all again."""
        return self.filter(shared_with_sponsors=True, child__consent_share_progress=True)


class ProgressReport(ClusterableModel):
    """The school's report on a child for one term, as the centre recorded it."""

    child = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("child"),
    )
    school_year = models.PositiveSmallIntegerField(_("school year"))
    term = models.PositiveSmallIntegerField(_("term"), choices=Term.choices)
    school_attendance_percent = models.PositiveSmallIntegerField(
        _("school attendance (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The share of school days the child attended this term, from the report."),
    )
    teacher_comment = models.TextField(
        _("school teacher's comment"),
        blank=True,
        max_length=3000,
        help_text=_("Shared with sponsors once reviewed: leave out names of people and places."),
        validators=[free_text],
    )
    caseworker_note = models.TextField(
        _("caseworker note"),
        blank=True,
        max_length=3000,
        help_text=_("Restricted: never shown to sponsors, whatever the sharing flag says."),
        validators=[free_text],
    )
    shared_with_sponsors = models.BooleanField(_("shared with sponsors"), default=False)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "-term", "child__preferred_name"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "school_year", "term"], name="one_report_per_child_and_term"
            ),
        ]

    def __str__(self):
        return f"{self.child} – {school_year_label(self.school_year)} {self.get_term_display()}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)


class SubjectGrade(Orderable):
    """One line of a progress report: a subject and the grade or mark the school gave."""

    report = ParentalKey(ProgressReport, on_delete=models.CASCADE, related_name="grades")
    subject = models.CharField(_("subject"), max_length=80, validators=[single_line])
    grade = models.CharField(_("grade or mark"), max_length=20, validators=[single_line])

    class Meta(Orderable.Meta):
        verbose_name = _("subject grade")
        verbose_name_plural = _("subject grades")

    def __str__(self):
        return f"{self.subject}: {self.grade}"
