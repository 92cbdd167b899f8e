"""Admin filters on a record's id, and on a range of dates, that take any value a URL carries
without a server error.

Django keeps a number too large for the database away from it when it looks up an integer
field, but not when it looks up a relation. A Wagtail page's id is its relation to Page, and
a learner number is filtered as the enrolment's relation to the learner: on SQLite such a
number raised OverflowError. These fields take it as a wrong choice, as they would "x".
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django_filters.fields import DateRangeField
from django_filters.fields import ModelChoiceField as FilterModelChoiceField
from django_filters.fields import ModelChoiceIterator as FilterModelChoiceIterator

from cms.validators import sane_year

# The ids of every database the centre runs on are signed 64-bit integers.
SMALLEST_ID = -(2**63)
LARGEST_ID = 2**63 - 1


def beyond_any_id(value) -> bool:
    """A whole number no id can be; anything else is left to the field's own checks."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return False
    return not SMALLEST_ID <= number <= LARGEST_ID


class IdRangeMixin:
    def to_python(self, value):
        if value not in self.empty_values and beyond_any_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ShownIteratorMixin:
    """Offers the field's ``shown`` queryset when it has one, while the field still accepts
    any row of its ``queryset``: a list of five years of classes is no list to choose from,
    and renders slower every term; an older one is still reached by a link."""

    # Read when iterated, not when made: the widget's iterator is made with the field, before
    # the form says what to show.
    @property
    def queryset(self):
        shown = getattr(self.field, "shown", None)
        return self._queryset if shown is None else shown

    @queryset.setter
    def queryset(self, value):
        self._queryset = value


class ShownChoiceIterator(ShownIteratorMixin, ModelChoiceIterator):
    pass


class ShownFilterChoiceIterator(ShownIteratorMixin, FilterModelChoiceIterator):
    pass


class QuickSelect(forms.Select):
    """A select that writes its options in one pass. Django renders each option through a
    template of its own: with the 300 classes a busy term offers, that was a third of the
    at-risk page. The HTML is the same as Django's, without option groups."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _group, options, _index in widget["optgroups"]
                for option in options
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options
        )


class IdChoiceField(IdRangeMixin, forms.ModelChoiceField):
    """A form's choice of a record, where a number no id can be is a wrong choice."""

    iterator = ShownChoiceIterator
    widget = QuickSelect
    shown = None


class IdChoiceFilterField(IdRangeMixin, FilterModelChoiceField):
    """The same for a filterset, whose field also offers a choice of "none"."""

    iterator = ShownFilterChoiceIterator
    widget = QuickSelect
    shown = None


def offer_only(field: forms.ModelChoiceField, condition, chosen) -> None:
    """Offer the rows of ``field`` meeting ``condition`` (a Q), and the chosen one whatever it
    is; every row stays a valid choice."""
    try:
        chosen_pk = int(str(chosen).strip()) if chosen not in (None, "") else None
    except ValueError:
        chosen_pk = None
    if chosen_pk is not None and not SMALLEST_ID <= chosen_pk <= LARGEST_ID:
        chosen_pk = None
    field.shown = field.queryset.filter(
        condition if chosen_pk is None else condition | Q(pk=chosen_pk)
    )


class IdChoiceFilter(django_filters.ModelChoiceFilter):
    """A filterset's choice of a record, where a number no id can be is a wrong choice."""

    field_class = IdChoiceFilterField


class IdNumberFilter(django_filters.NumberFilter):
    """A record's number typed in: a whole number that an id can be, or the filter is wrong."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", SMALLEST_ID)
        kwargs.setdefault("max_value", LARGEST_ID)
        super().__init__(*args, **kwargs)


class SaneDateRangeField(DateRangeField):
    """A date range whose ends fall in sane years (cms.validators.sane_year). django-filter
    turns each end into the start or end of that day in the centre's time zone: year 1 in Hong
    Kong is before the first datetime Python has (OverflowError, a 500 on every history page
    given `?timestamp_from=0001-01-01`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators.append(sane_year)


def date_range_filters_bound() -> None:
    """Every date-range filter of the admin, Wagtail's history filters included, takes its
    dates through SaneDateRangeField. Called once, from CmsConfig.ready: the history filters
    are Wagtail's own, built per viewset, and have no setting to give them another field."""
    django_filters.DateFromToRangeFilter.field_class = SaneDateRangeField
