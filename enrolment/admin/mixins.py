"""What the coordinators' admin screens share: refusing a delete with a sentence, searching by name
or phone digits, breadcrumbs, who an action could not tell."""

import re

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.db.models import (
    Q,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.admin_url_finder import ModelAdminURLFinder

from cms.admin_views import ProtectedDeleteMixin as BaseProtectedDeleteMixin
from enrolment import access
from enrolment.errors import EnrolmentError
from enrolment.models import Learner, MessageStatus

# Confirming an action on a run or a certificate: a preview table and one button.
ACTION_TEMPLATE = "enrolment/admin/certificates/action.html"


class ProtectedDeleteMixin(BaseProtectedDeleteMixin):
    """cms.admin_views' refusal of a protected delete; a service's refusal (EnrolmentError),
    raised while deleting, is shown the same way."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except EnrolmentError as error:
            return self.refuse(error.message)


def enrolments_crumb():
    return {"url": reverse("enrolments:index"), "label": _("Enrolments")}


LEARNER_NUMBER = re.compile(r"^[Ll]\s*(\d{1,9})$")


def search_condition(
    query: str, *, text_fields: list[str], phone_fields: list[str], number_field: str = ""
) -> Q:
    """Text fields matched as typed; phone numbers by their digits, so that "9123 4567"
    finds the "+85291234567" on file; a learner number ("L12", as lists show it) finds that
    learner through `number_field`."""
    condition = Q()
    for field in text_fields:
        condition |= Q(**{f"{field}__icontains": query})
    if number_field and (number := LEARNER_NUMBER.match(query.strip())):
        condition |= Q(**{number_field: int(number.group(1))})
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


def not_told_warning(request, collected: list) -> None:
    """After an action: who could not be told, and why (the skipped messages it wrote)."""
    skipped = [m for m in collected if m.status == MessageStatus.SKIPPED and m.learner]
    if not skipped:
        return
    names = ", ".join(f"{m.learner.list_name} ({m.get_skip_reason_display()})" for m in skipped)
    messages.warning(
        request,
        ngettext(
            "%(count)d learner could not be told: %(names)s.",
            "%(count)d learners could not be told: %(names)s.",
            len(skipped),
        )
        % {"count": len(skipped), "names": names},
    )


class LearnerPageMixin:
    """An admin page about one learner (the URL's pk), found among those the user may see
    (anyone else is a 404), with the learner's name under the title and the way back:
    Learners > their record > this page."""

    learner_related: tuple[str, ...] = ()

    @cached_property
    def learner(self) -> Learner:
        learners = access.learners_for_user(self.request.user).select_related(*self.learner_related)
        return get_object_or_404(learners, pk=self.kwargs["pk"])

    @cached_property
    def edit_url(self) -> str:
        return reverse("learners:edit", args=[quote(self.learner.pk)])

    def get_page_subtitle(self):
        return self.learner.list_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("learners:index"), "label": _("Learners")},
            {"url": self.edit_url, "label": self.learner.list_name},
            {"url": "", "label": self.page_title},
        ]
