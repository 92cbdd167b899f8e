"""What every form shares: text fields that refuse control characters (cms.forms), and a
service's refusal shown where it belongs."""

from django import forms

from cms.forms import PlainTextMixin
from enrolment.errors import DomainError

__all__ = ["PlainTextMixin", "add_service_error"]


def add_service_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusal on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
