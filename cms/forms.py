"""What every form of the project shares: text fields that refuse control characters.

A model field carries its validator (cms.validators), so the admin's model forms refuse what it
refuses. A plain form, or a field the model does not own (a page's title), gets it here: a text
field typed into a text input takes `single_line`, one typed into a text area `free_text`.
Passwords are left as typed (hashed, never shown nor exported), and so is what a widget of its
own writes (a rich text editor's HTML).
"""

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm

from cms.validators import free_text, sane_year, single_line


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
