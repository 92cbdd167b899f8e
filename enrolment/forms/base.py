"""What every form shares: showing a service's refusal where it belongs."""

from django import forms

from enrolment.errors import DomainError


def add_service_error(form: forms.Form, error: DomainError) -> None:
    """A service's refusal on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
