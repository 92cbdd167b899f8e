"""Schools and a child's place at one for a school year, with what that year costs. A school
year runs from September to August; Hong Kong's grades run K1 to S6."""

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from cms.validators import single_line

SCHOOL_YEAR_FIRST_MONTH = 9
MONEY = {"max_digits": 10, "decimal_places": 2}


def school_year_of(day: dt.date) -> int:
    """The school year a day falls in, named by the year it starts in."""
    return day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1


def school_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of a school year."""
    return dt.date(year, SCHOOL_YEAR_FIRST_MONTH, 1), dt.date(year + 1, 8, 31)


def school_year_label(year: int) -> str:
    return f"{year}/{(year + 1) % 100:02d}"


def school_year_choices(*, around: int | None = None, before: int = 3, after: int = 1):
    """(year, "2026/27") pairs for a form's drop-down, around the current school year."""
    around = around if around is not None else school_year_of(timezone.localdate())
    return [(y, school_year_label(y)) for y in range(around + after, around - before - 1, -1)]


class Grade(models.IntegerChoices):
    """Hong Kong school levels in order, so that a school's range is a pair of numbers."""

    K1 = 1, _("K1 (kindergarten)")
    K2 = 2, _("K2 (kindergarten)")
    K3 = 3, _("K3 (kindergarten)")
    P1 = 4, _("P1 (primary)")
    P2 = 5, _("P2 (primary)")
    P3 = 6, _("P3 (primary)")
    P4 = 7, _("P4 (primary)")
    P5 = 8, _("P5 (primary)")
    P6 = 9, _("P6 (primary)")
    S1 = 10, _("S1 (secondary)")
    S2 = 11, _("S2 (secondary)")
    S3 = 12, _("S3 (secondary)")
    S4 = 13, _("S4 (secondary)")
    S5 = 14, _("S5 (secondary)")
    S6 = 15, _("S6 (secondary)")


class SchoolType(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("Secondary")
    THROUGH_TRAIN = "through_train", _("Through-train (primary and secondary)")
    SPECIAL = "special", _("Special school")


# The grades each type of school usually teaches: the default range of a new school.
TYPE_GRADES = {
    SchoolType.KINDERGARTEN: (Grade.K1, Grade.K3),
    SchoolType.PRIMARY: (Grade.P1, Grade.P6),
    SchoolType.SECONDARY: (Grade.S1, Grade.S6),
    SchoolType.THROUGH_TRAIN: (Grade.P1, Grade.S6),
    SchoolType.SPECIAL: (Grade.P1, Grade.S6),
}


class District(models.TextChoices):
    """Hong Kong's 18 districts."""

    CENTRAL_WESTERN = "central_western", _("Central and Western")
    EASTERN = "eastern", _("Eastern")
    SOUTHERN = "southern", _("Southern")
    WAN_CHAI = "wan_chai", _("Wan Chai")
    KOWLOON_CITY = "kowloon_city", _("Kowloon City")
    KWUN_TONG = "kwun_tong", _("Kwun Tong")
    SHAM_SHUI_PO = "sham_shui_po", _("Sham Shui Po")
    WONG_TAI_SIN = "wong_tai_sin", _("Wong Tai Sin")
    YAU_TSIM_MONG = "yau_tsim_mong", _("Yau Tsim Mong")
    ISLANDS = "islands", _("Islands")
    KWAI_TSING = "kwai_tsing", _("Kwai Tsing")
    NORTH = "north", _("North")
    SAI_KUNG = "sai_kung", _("Sai Kung")
    SHA_TIN = "sha_tin", _("Sha Tin")
    TAI_PO = "tai_po", _("Tai Po")
    TSUEN_WAN = "tsuen_wan", _("Tsuen Wan")
    TUEN_MUN = "tuen_mun", _("Tuen Mun")
    YUEN_LONG = "yuen_long", _("Yuen Long")


class School(index.Indexed, models.Model):
    """A school a sponsored child attends. Its name locates the child: a sponsor sees it only
    where the child's family agreed to share progress."""

    name = models.CharField(_("name"), max_length=160, unique=True, validators=[single_line])
    district = models.CharField(_("district"), max_length=20, choices=District.choices)
    school_type = models.CharField(_("type"), max_length=20, choices=SchoolType.choices)
    lowest_grade = models.PositiveSmallIntegerField(
        _("lowest grade"),
        choices=Grade.choices,
        help_text=_("The youngest class the school teaches."),
    )
    highest_grade = models.PositiveSmallIntegerField(
        _("highest grade"),
        choices=Grade.choices,
        help_text=_("The oldest class the school teaches."),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.CheckConstraint(
                condition=Q(lowest_grade__lte=models.F("highest_grade")),
                name="school_grade_range_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    def teaches(self, grade: int) -> bool:
        return self.lowest_grade <= grade <= self.highest_grade

    @property
    def grade_range_label(self) -> str:
        return f"{Grade(self.lowest_grade).name}–{Grade(self.highest_grade).name}"


class SchoolPlacement(models.Model):
    """A child's place at a school for one school year, and what that year costs."""

    child = models.ForeignKey(
        "enrolment.Learner",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("child"),
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="placements", verbose_name=_("school")
    )
    school_year = models.PositiveSmallIntegerField(
        _("school year"), help_text=_("The year the school year starts in: 2026 is 2026/27.")
    )
    grade = models.PositiveSmallIntegerField(_("grade"), choices=Grade.choices)
    fees = models.DecimalField(
        _("school fees (HK$)"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    uniform = models.DecimalField(
        _("uniform (HK$)"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    books = models.DecimalField(
        _("books (HK$)"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    transport = models.DecimalField(
        _("transport (HK$)"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    other_costs = models.DecimalField(
        _("other costs (HK$)"), **MONEY, default=Decimal(0), validators=[MinValueValidator(0)]
    )
    other_costs_note = models.CharField(
        _("what the other costs are"), max_length=200, blank=True, validators=[single_line]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-school_year", "child__preferred_name"]
        verbose_name = _("school placement")
        verbose_name_plural = _("school placements")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "school_year"], name="one_placement_per_child_and_year"
            ),
            models.CheckConstraint(
                condition=Q(fees__gte=0)
                & Q(uniform__gte=0)
                & Q(books__gte=0)
                & Q(transport__gte=0)
                & Q(other_costs__gte=0),
                name="placement_costs_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.child} – {school_year_label(self.school_year)}"

    @property
    def school_year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def total_costs(self) -> Decimal:
        return self.fees + self.uniform + self.books + self.transport + self.other_costs
