"""The impact report's filters, read from GET parameters: a period (chosen from a list, or
any two dates) and optionally a programme, partner, course or funder. A value that makes no
sense is a form error with a sentence, never a server error."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.admin_filters import IdChoiceField
from cms.validators import sane_year
from courses.models import Category, CoursePage, Partner, courses_once
from enrolment.models import Sponsor
from enrolment.models.schools import school_year_label, school_year_of
from enrolment.services.impact import ImpactScope
from enrolment.services.impact.scope import (
    Period,
    period_of_dates,
    period_of_month,
    period_of_quarter,
    period_of_school_year,
)

# A longer span is not a report anyone asks for, and would only make the queries work.
LONGEST_SPAN = dt.timedelta(days=366 * 10)
SCHOOL_YEARS, QUARTERS, MONTHS = 4, 8, 24


def _quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def period_choices(today: dt.date | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Recent school years, quarters and months, newest first, grouped."""
    today = today or timezone.localdate()
    year = school_year_of(today)
    school_years = [
        (f"sy-{y}", _("School year %(year)s") % {"year": school_year_label(y)})
        for y in range(year, year - SCHOOL_YEARS, -1)
    ]
    quarters = []
    q_year, quarter = _quarter_of(today)
    for _n in range(QUARTERS):
        quarters.append(
            (f"q-{q_year}-{quarter}", period_of_quarter(year=q_year, quarter=quarter).label)
        )
        q_year, quarter = (q_year, quarter - 1) if quarter > 1 else (q_year - 1, 4)
    months = []
    m_year, month = today.year, today.month
    for _n in range(MONTHS):
        first = dt.date(m_year, month, 1)
        months.append((f"m-{m_year}-{month}", date_format(first, "YEAR_MONTH_FORMAT")))
        m_year, month = (m_year, month - 1) if month > 1 else (m_year - 1, 12)
    return [
        (_("School years"), school_years),
        (_("Quarters"), quarters),
        (_("Months"), months),
    ]


def period_of(value: str) -> Period:
    """The period a choice's value names ("sy-2026", "q-2026-3", "m-2026-11")."""
    kind, *numbers = value.split("-")
    year, *rest = (int(n) for n in numbers)
    if kind == "sy":
        return period_of_school_year(year=year)
    if kind == "q":
        return period_of_quarter(year=year, quarter=rest[0])
    return period_of_month(year=year, month=rest[0])


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class ImpactFilterForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), required=False, choices=())
    date_from = forms.DateField(
        label=gettext_lazy("Or from"), required=False, widget=DateInput, validators=[sane_year]
    )
    date_to = forms.DateField(
        label=gettext_lazy("to"), required=False, widget=DateInput, validators=[sane_year]
    )
    category = IdChoiceField(
        label=gettext_lazy("Programme"),
        required=False,
        empty_label=gettext_lazy("All programmes"),
        queryset=Category.objects.none(),
    )
    partner = IdChoiceField(
        label=gettext_lazy("Partner"),
        required=False,
        empty_label=gettext_lazy("All partners"),
        queryset=Partner.objects.none(),
    )
    course = IdChoiceField(
        label=gettext_lazy("Course"),
        required=False,
        empty_label=gettext_lazy("All courses"),
        queryset=CoursePage.objects.none(),
    )
    sponsor = IdChoiceField(
        label=gettext_lazy("Funder (sponsor)"),
        required=False,
        empty_label=gettext_lazy("All funders"),
        queryset=Sponsor.objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", _("This school year")), *period_choices()]
        self.fields["category"].queryset = Category.objects.originals()
        self.fields["partner"].queryset = Partner.objects.originals()
        self.fields["course"].queryset = courses_once()
        self.fields["sponsor"].queryset = Sponsor.objects.order_by("display_name", "pk")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if "date_from" in self.errors or "date_to" in self.errors:
            return cleaned
        if bool(start) != bool(end):
            raise ValidationError(_("Give both dates, from and to, or neither."))
        if start and end and end < start:
            raise ValidationError(_("The period cannot end before it starts."))
        if start and end and end - start > LONGEST_SPAN:
            raise ValidationError(_("Choose a period of ten years or less."))
        return cleaned

    def scope(self) -> ImpactScope:
        """The report's scope; call after is_valid()."""
        data = self.cleaned_data
        if data.get("date_from"):
            period = period_of_dates(start=data["date_from"], end=data["date_to"])
        elif data.get("period"):
            period = period_of(data["period"])
        else:
            period = period_of_school_year(year=school_year_of(timezone.localdate()))
        return ImpactScope(
            period=period,
            category=data.get("category"),
            partner=data.get("partner"),
            course=data.get("course"),
            sponsor=data.get("sponsor"),
        )

    def chosen(self) -> list[tuple[str, str]]:
        """The filters in use, as (label, value) for the report's heading and exports."""
        return [
            (str(self.fields[name].label), str(self.cleaned_data[name]))
            for name in ("category", "partner", "course", "sponsor")
            if self.cleaned_data.get(name)
        ]
