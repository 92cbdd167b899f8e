"""The catalogue's filters, read from GET parameters: the course index page's own query, so
they live beside it in the models package.

Filters on runs (weekday, time of day, free seats) must all hold for the same upcoming run:
a course with a Monday-morning run and a full Friday-evening run is not a match for
"Friday evening with free seats".
"""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from cms.languages import active_language
from courses.choices import Audience, Level, TimeOfDay, Weekday
from courses.models.snippets import Category, Partner
from courses.models.timetable import CourseRun

NOON = dt.time(12, 0)
FIVE_PM = dt.time(17, 0)

TIME_OF_DAY_FILTERS = {
    TimeOfDay.MORNING: Q(start_time__lt=NOON),
    TimeOfDay.AFTERNOON: Q(start_time__gte=NOON, start_time__lt=FIVE_PM),
    TimeOfDay.EVENING: Q(start_time__gte=FIVE_PM),
}


class SubjectField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.localized_name


class SubjectFilter(django_filters.ModelChoiceFilter):
    field_class = SubjectField


def subjects(request=None):
    """The subject filter's choices: the original categories (whose slug is the filter's
    value in every language), each named and ordered in the visitor's language where a
    translation exists. One query, however many languages."""
    translated = Category.objects.filter(
        translation_key=OuterRef("translation_key"), locale__language_code=active_language()
    )
    return (
        Category.objects.originals()
        .annotate(localized_name=Coalesce(Subquery(translated.values("name")[:1]), F("name")))
        .order_by("localized_name")
    )


def _keep(queryset, name, value):
    # Run-level filters are applied together in CourseFilter.filter_queryset.
    return queryset


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", max_length=100, strip=True
    )
    category = SubjectFilter(
        label=_("Subject"),
        queryset=subjects,
        to_field_name="slug",
        empty_label=_("All subjects"),
    )
    audience = django_filters.ChoiceFilter(
        label=_("For"), choices=Audience.choices, empty_label=_("Everyone")
    )
    level = django_filters.ChoiceFilter(
        label=_("English level"), choices=Level.choices, empty_label=_("Any level")
    )
    weekday = django_filters.ChoiceFilter(
        label=_("Day"), choices=Weekday.choices, empty_label=_("Any day"), method=_keep
    )
    time = django_filters.ChoiceFilter(
        label=_("Time of day"), choices=TimeOfDay.choices, empty_label=_("Any time"), method=_keep
    )
    free_seats = django_filters.BooleanFilter(
        label=_("Only courses with free seats"), widget=forms.CheckboxInput, method=_keep
    )

    def filter_text(self, queryset, name, value):
        if not value:
            return queryset
        # A course is found by its title or summary in any of its languages, and by the name
        # of its subject or partner in any of theirs: an Arabic visitor who types "IELTS"
        # finds the Arabic page, and an English course too.
        pages = queryset.model.objects.filter(
            Q(title__icontains=value) | Q(summary__icontains=value)
        )
        categories = Category.objects.filter(name__icontains=value)
        partners = Partner.objects.filter(name__icontains=value)
        return queryset.filter(
            Q(translation_key__in=pages.values("translation_key"))
            | Q(category__translation_key__in=categories.values("translation_key"))
            | Q(partner__translation_key__in=partners.values("translation_key"))
        )

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        # Runs hang on the original page; every translation of it shares them.
        runs = CourseRun.objects.upcoming().filter(
            course__translation_key=OuterRef("translation_key")
        )
        narrowed = False
        if data.get("weekday"):
            runs = runs.filter(weekdays__contains=data["weekday"])
            narrowed = True
        if data.get("time"):
            runs = runs.filter(TIME_OF_DAY_FILTERS[data["time"]])
            narrowed = True
        if data.get("free_seats"):
            # Seats a newcomer can take today (the card's "Seats free").
            runs = runs.open_for_enrolment().with_seats().filter(seats_left__gt=0)
            narrowed = True
        if narrowed:
            queryset = queryset.filter(Exists(runs.values("pk")))
        return queryset
