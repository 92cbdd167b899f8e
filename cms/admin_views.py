"""What the admin screens of every app share: a delete that other records forbid is refused
with a sentence, not a 500 (the database's PROTECT raising ProtectedError) or Wagtail's bare
"no permission"; an inspect view shows what is not recorded as "—" and staff by name;
listings show dates as dates, in Hong Kong time."""

import datetime as dt

from django.contrib.admin.utils import quote
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column

from cms.formats import local_date
from cms.roles import staff_name


class ProtectedDeleteMixin:
    """For a delete view. Checked here rather than left to Wagtail's reference index, which
    only knows about records saved since the admin loaded: the database's PROTECT is the last
    word."""

    protected_message = ""  # "%(object)s has ...": why the object stays

    def form_valid(self, form):
        if self.usage is not None and self.usage.is_protected:  # what the index does know
            return self.refuse(self.protected_message % {"object": self.object})
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            return self.refuse(self.protected_message % {"object": self.object})

    def refuse(self, message: str):
        messages.error(self.request, message)
        return redirect(self.edit_url_name, quote(self.object.pk))


class InspectValuesMixin:
    """For an inspect view: a value not recorded reads "—" rather than "None" (a valid
    certificate's "Revoked"), and a person on staff by their name rather than their username."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if value is None or value == "":
            return "—"
        if isinstance(value, AbstractBaseUser):
            return staff_name(value)
        return value


class LocalDateColumn(Column):
    """A listing's date or moment as staff compare it with a paper form or a phone call:
    "30 Nov 2026, 12:24" in Hong Kong time, a date as "30 Nov 2026"; not Wagtail's "1 month
    ago", which a coordinator cannot check against anything."""

    def get_value(self, instance):
        value = super().get_value(instance)
        if isinstance(value, dt.datetime):
            return local_date(value, "MEDIUM_DATETIME_FORMAT")
        if isinstance(value, dt.date):
            return local_date(value, "MEDIUM_DATE_FORMAT")
        return value or ""
