from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from courses.choices import Weekday


class WeekdaysField(models.CharField):
    """A set of weekdays stored as sorted digits ("024" = Mon, Wed, Fri).

    Digits keep the column portable and queryable (``weekdays__contains="2"``) on SQLite and
    PostgreSQL alike; forms show one checkbox per day.
    """

    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 7
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def to_python(self, value):
        if isinstance(value, list | tuple | set):
            value = "".join(str(v) for v in value)
        if value is None:
            return value
        value = str(value)
        if any(ch not in Weekday.values for ch in value):
            raise ValidationError(_("Weekdays must be digits 0 (Monday) to 6 (Sunday)."))
        return "".join(sorted(set(value)))

    def get_prep_value(self, value):
        return self.to_python(value)

    def value_from_object(self, obj):
        return list(getattr(obj, self.attname) or "")

    def formfield(self, **kwargs):
        # Skip CharField's formfield: it would add a max_length check on a list.
        return WeekdaysFormField(
            choices=Weekday.choices,
            widget=forms.CheckboxSelectMultiple,
            required=not self.blank,
            label=kwargs.get("label") or self.verbose_name.capitalize(),
            help_text=self.help_text,
        )


class WeekdaysFormField(forms.MultipleChoiceField):
    def clean(self, value):
        return "".join(sorted(set(super().clean(value))))
