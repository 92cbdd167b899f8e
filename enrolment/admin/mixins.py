"""What the coordinators' admin screens share: refusing a delete with a sentence, searching by name
or phone digits, breadcrumbs."""

from django.contrib.admin.utils import quote
from django.db import transaction
from django.db.models import (
    ProtectedError,
    Q,
)
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder

from enrolment.errors import EnrolmentError

# Confirming an action on a run or a certificate: a preview table and one button.
ACTION_TEMPLATE = "enrolment/admin/certificates/action.html"


class ProtectedDeleteMixin:
    """Deleting something other records depend on is refused with a sentence, not a 500 or
    Wagtail's bare "no permission". Checked here rather than left to Wagtail's reference
    index, which only knows about records saved since the admin loaded: the database's
    PROTECT is the last word. A service's refusal (EnrolmentError) is shown the same way."""

    protected_message = ""  # "%(object)s has ...": why the object stays

    def form_valid(self, form):
        if self.usage is not None and self.usage.is_protected:  # what the index does know
            return self.refuse(self.protected_message % {"object": self.object})
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            return self.refuse(self.protected_message % {"object": self.object})
        except EnrolmentError as error:
            return self.refuse(error.message)

    def refuse(self, message: str):
        messages.error(self.request, message)
        return redirect(self.edit_url_name, quote(self.object.pk))


def enrolments_crumb():
    return {"url": reverse("enrolments:index"), "label": _("Enrolments")}


def search_condition(query: str, *, text_fields: list[str], phone_fields: list[str]) -> Q:
    """Text fields matched as typed; phone numbers by their digits, so that "9123 4567"
    finds the "+85291234567" on file."""
    condition = Q()
    for field in text_fields:
        condition |= Q(**{f"{field}__icontains": query})
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) >= 4:
        for field in phone_fields:
            condition |= Q(**{f"{field}__contains": digits})
    return condition


def runs_crumb():
    return {"url": reverse("course_runs:index"), "label": _("Course runs")}


def certificates_crumb():
    return {"url": reverse("certificates:index"), "label": _("Certificates")}


class InspectOnlyViewSetMixin:
    """For records changed only through services, whose viewset has no edit view: where the
    admin links to an object's edit page from elsewhere (a learner's "usage", the history),
    it links to the record's inspect page instead of failing to find an edit URL."""

    @property
    def url_finder_class(self):
        return type(
            "_InspectURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )
