"""What every form of the project shares: text fields that refuse control characters.

A model field carries its validator (cms.validators), so the admin's model forms refuse what it
refuses. A plain form, or a field the model does not own (a page's title), gets it here: a text
field typed into a text input takes `single_line`, one typed into a text area `free_text`.
Passwords are left as typed (hashed, never shown nor exported), and so is what a widget of its
own writes (a rich text editor's HTML).
"""

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.chooser import BaseChooser

from cms.choosers import CheckedWidgetMixin
from cms.roles import staff_name
from cms.validators import free_text, sane_year, single_line

UNREADABLE = _("This could not be read. Reload the page and make the change again.")


def plain_text_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        if isinstance(field.widget, forms.Textarea):
            validator = free_text
        elif isinstance(field.widget, forms.TextInput | forms.EmailInput | forms.URLInput):
            validator = single_line
        else:
            continue
        if validator not in field.validators:
            field.validators.append(validator)


class PlainTextMixin:
    """For a form class: every text field refuses control characters (see above)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plain_text_fields(self)


class SaneDateTimeField(forms.DateTimeField):
    """A date and time in sane years. Year 1 in Hong Kong's time zone is before the first
    datetime Python has: Django's own field raised OverflowError (a 500)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class PageForm(PlainTextMixin, WagtailAdminPageForm):
    """The editor's form for every page type of the project: a page's title and promote fields
    are Wagtail's, and carry no validator of ours; nor do its publishing dates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("go_live_at", "expire_at"):
            field = self.fields.get(name)
            if isinstance(field, forms.DateTimeField):
                field.__class__ = SaneDateTimeField
                field.validators.append(sane_year)
        self.unreadable: set[str] = set()
        for name, field in self.fields.items():
            _guard_reading(self, name, field.widget)

    def clean(self):
        cleaned_data = super().clean()
        for name in sorted(self.unreadable):
            self.add_error(name, UNREADABLE)
        return cleaned_data


_CHECKED_CHOOSERS: dict[type, type] = {}


def _guard_reading(form: PageForm, name: str, widget: forms.Widget) -> None:
    """Posted data a widget cannot read is a form error, not a 500: the rich text editor
    json-decoded `abc` (JSONDecodeError), and a page or image chooser shown again looked up
    the id `abc` (ValueError). What cannot be read is recorded and refused in clean(), never
    taken for "empty", which would blank the field."""
    if isinstance(widget, BaseChooser) and not isinstance(widget, CheckedWidgetMixin):
        kind = type(widget)
        if kind not in _CHECKED_CHOOSERS:
            checked = type(f"Checked{kind.__name__}", (CheckedWidgetMixin, kind), {})
            _CHECKED_CHOOSERS[kind] = checked
        widget.__class__ = _CHECKED_CHOOSERS[kind]
    read = widget.value_from_datadict

    def value_from_datadict(data, files, html_name):
        try:
            return read(data, files, html_name)
        except (ValueError, TypeError, AttributeError):
            form.unreadable.add(name)
            return None

    widget.value_from_datadict = value_from_datadict


def _option_label(obj) -> str:
    return staff_name(obj) if isinstance(obj, AbstractBaseUser) else str(obj)


class PeopleChoiceField(forms.ModelChoiceField):
    """A select of accounts that names each by full name (cms.roles.staff_name): a run's
    teachers read "Grace Mbuyi", not "teacher.grace"."""

    def label_from_instance(self, obj):
        return _option_label(obj)


class PeopleMultipleChoiceField(forms.ModelMultipleChoiceField):
    """PeopleChoiceField for several; anything but an account keeps its own label."""

    def label_from_instance(self, obj):
        return _option_label(obj)
