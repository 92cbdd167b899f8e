"""Who was served, in broad bands: age, audience, language, gender, region of origin, and
the IELTS bands reached. Each breakdown is one grouped query, suppressed before anyone sees
it (suppression.py). Every band is listed, empty or not, in a fixed order."""

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Value, When
from django.utils.translation import gettext as _

from courses.choices import Audience
from enrolment.models import QualificationKind
from enrolment.models.people import Gender, Region, years_before
from enrolment.services.impact.scope import ImpactScope, served_enrolments, served_learners
from enrolment.services.impact.suppression import Breakdown, breakdown_suppress

NOT_RECORDED = "unknown"
# (key, youngest age in the band); the last band has no upper end.
AGE_BANDS = [("0-11", 0), ("12-17", 12), ("18-24", 18), ("25-39", 25), ("40-59", 40), ("60+", 60)]


def _age_labels() -> dict[str, str]:
    return {
        "0-11": _("under 12"),
        "12-17": _("12 to 17"),
        "18-24": _("18 to 24"),
        "25-39": _("25 to 39"),
        "40-59": _("40 to 59"),
        "60+": _("60 and over"),
        NOT_RECORDED: _("not recorded"),
    }


def _grouped(queryset, field: str, count: str = "pk", *, distinct: bool = False) -> dict:
    rows = queryset.order_by().values(field).annotate(n=Count(count, distinct=distinct))
    return {row[field]: row["n"] for row in rows}


def _age_band_case(scope: ImpactScope) -> Case:
    """Age at the end of the period: born after the day someone turned N is younger than N.

    A forgotten learner has no date of birth but keeps the band they were in on the last day
    they took part (enrolment.services.forgetting), so the figures do not change when
    someone is forgotten."""
    end = scope.period.end
    whens = [
        When(date_of_birth__isnull=True, age_band__gt="", then=F("age_band")),
        When(date_of_birth__isnull=True, then=Value(NOT_RECORDED)),
    ]
    for (key, _youngest), (_next, older) in zip(AGE_BANDS, AGE_BANDS[1:], strict=False):
        whens.append(When(date_of_birth__gt=years_before(end, older), then=Value(key)))
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


def breakdowns_compute(*, scope: ImpactScope, served: int) -> list[Breakdown]:
    learners = served_learners(scope)
    total = _("Learners served")
    by_age = _grouped(learners.annotate(band=_age_band_case(scope)), "band")
    age_labels = _age_labels()
    by_audience = _grouped(
        served_enrolments(scope), "run__course__audience", "learner", distinct=True
    )
    by_language = _grouped(learners, "preferred_language")
    by_gender = _grouped(learners, "gender")
    by_region = _grouped(learners, "region_of_origin")

    def choices_counts(choices, counts, *, unsaid: str | None = "") -> list[tuple[str, int]]:
        rows = [(str(label), counts.get(value, 0)) for value, label in choices if value != unsaid]
        if unsaid is None:  # a value every row has
            return rows
        return rows + [(_("not recorded"), counts.get(unsaid, 0))]

    languages = [(str(label), by_language.get(code, 0)) for code, label in settings.LANGUAGES]
    breakdowns = [
        ("age", _("Age band"), [(age_labels[key], by_age.get(key, 0)) for key in age_labels]),
        ("audience", _("Audience"), choices_counts(Audience.choices, by_audience, unsaid=None)),
        ("language", _("Preferred language"), [row for row in languages if row[1]]),
        ("gender", _("Gender"), choices_counts(Gender.choices, by_gender)),
        ("region", _("Region of origin"), choices_counts(Region.choices, by_region)),
    ]
    return [
        breakdown_suppress(
            key=key,
            title=title,
            counts=counts,
            total=served,
            total_label=total,
            overlapping=key == "audience",
        )
        for key, title, counts in breakdowns
    ]


def returning_breakdown(*, new: int, returning: int) -> Breakdown:
    """New and returning learners: two cells of one total, suppressed like any breakdown."""
    return breakdown_suppress(
        key="returning",
        title=_("New and returning learners"),
        counts=[(_("New learners"), new), (_("Returning learners"), returning)],
        total=new + returning,
        total_label=_("Learners served"),
    )


def ielts_breakdown(*, qualifications) -> Breakdown:
    """The overall IELTS bands reached in the period, highest first."""
    counts = _grouped(qualifications.filter(kind=QualificationKind.IELTS), "overall")
    bands = sorted(counts, key=lambda band: float(band or 0), reverse=True)
    return breakdown_suppress(
        key="ielts",
        title=_("IELTS overall bands reached"),
        counts=[(_("band %(band)s") % {"band": band}, counts[band]) for band in bands],
        total=sum(counts.values()),
        total_label=_("IELTS results"),
    )
