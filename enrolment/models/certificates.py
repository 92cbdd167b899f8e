from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.validators import free_text, not_in_future, sane_year, single_line
from courses.models.snippets import originals_only


class Result(models.Model):
    """A learner's result in a run's test, recorded by a teacher of the run."""

    enrolment = models.OneToOneField(
        "enrolment.Enrolment",
        on_delete=models.CASCADE,
        related_name="result",
        verbose_name=_("enrolment"),
    )
    score = models.DecimalField(
        _("score (out of 100)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=1000, validators=[free_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self):
        return f"{self.enrolment_id}: {self.score}"


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """The centre's certificate for a completed enrolment: one per enrolment, ever.

    What it says (name, course, dates) is kept as printed, so a certificate still verifies
    the same after a course is renamed or a learner's record changes.
    """

    enrolment = models.OneToOneField(
        "enrolment.Enrolment",
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("enrolment"),
    )
    number = models.CharField(
        _("certificate number"), max_length=20, unique=True, validators=[single_line]
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    # Unguessable: 128 random bits, URL-safe. The verification page accepts nothing else.
    verification_code = models.CharField(
        _("verification code"), max_length=32, unique=True, validators=[single_line]
    )
    holder_name = models.CharField(_("name as printed"), max_length=160, validators=[single_line])
    course_title = models.CharField(
        _("course as printed"), max_length=255, validators=[single_line]
    )
    partner_name = models.CharField(
        _("partner as printed"), max_length=120, blank=True, validators=[single_line]
    )
    start_date = models.DateField(_("first day"), validators=[sane_year])
    end_date = models.DateField(_("last day"), validators=[sane_year])
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revocation_reason = models.TextField(
        _("reason for revoking"), blank=True, validators=[free_text]
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="one_number_per_sequence")
        ]

    def __str__(self):
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class CertificateCounter(models.Model):
    """The last sequence number used in a year; locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class QualificationKind(models.TextChoices):
    # The diploma, which follows by itself once all four subjects have passed.
    GED = "ged", _("GED diploma")
    # One subject's result: GED subjects are taken one at a time, often months apart.
    GED_SUBJECT = "ged_subject", _("GED subject")
    IELTS = "ielts", _("IELTS")
    PARTNER_LEVEL = "partner_level", _("Partner's English level")


class GedSubject(models.TextChoices):
    MATH = "math", _("Mathematical Reasoning")
    RLA = "rla", _("Reasoning Through Language Arts")
    SCIENCE = "science", _("Science")
    SOCIAL_STUDIES = "social_studies", _("Social Studies")


class Qualification(models.Model):
    """A result from outside the centre: one GED subject's score (the GED diploma once all
    four have passed), IELTS bands, a partner's level.

    The scores are kept as entered (``scores``; for a GED subject ``{"subject", "score"}``);
    whether it passed and the overall result are worked out by the rules in
    ``enrolment.services.qualifications`` and stored for listing.
    """

    learner = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="qualifications",
        verbose_name=_("learner"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    # A result is recorded once the test is taken: a date ahead is a slip (2999 for 2029).
    taken_on = models.DateField(_("date of the test"), validators=[sane_year, not_in_future])
    scores = models.JSONField(_("scores"), default=dict)
    overall = models.CharField(
        _("overall result"), max_length=20, blank=True, validators=[single_line]
    )
    passed = models.BooleanField(_("passed"), default=False)
    partner = models.ForeignKey(
        "courses.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("awarded by"),
        limit_choices_to=originals_only,
    )
    reference = models.CharField(
        _("candidate or certificate number"), max_length=60, blank=True, validators=[single_line]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-taken_on", "-pk"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        # The qualifications list, latest test first.
        indexes = [models.Index(fields=["-taken_on"], name="qualification_latest")]
        constraints = [
            models.UniqueConstraint(
                fields=["learner"],
                condition=models.Q(kind="ged"),
                name="one_ged_diploma_per_learner",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.result_display}"

    @property
    def result_display(self) -> str:
        """The result in words for lists: "Science 162", "Diploma", "6.5"."""
        if self.kind == QualificationKind.GED_SUBJECT:
            subject = (self.scores or {}).get("subject")
            label = GedSubject(subject).label if subject in GedSubject.values else subject
            return f"{label} {(self.scores or {}).get('score', '')}"
        if self.kind == QualificationKind.GED and self.passed:
            return str(_("Diploma"))
        return self.overall
