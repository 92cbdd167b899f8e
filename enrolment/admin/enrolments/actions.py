"""One status change of one enrolment: approve, decline, withdraw, move. Each view collects the
decision, calls its service in enrolment.services.enrolling, shows a refusal as a form error and
reports what happened."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from enrolment import access
from enrolment.admin.mixins import enrolments_crumb, not_told_warning
from enrolment.errors import EnrolmentError
from enrolment.forms.admin import ApproveForm, MoveForm, ReasonForm
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.services.enrolling import (
    enrolment_approve,
    enrolment_decline,
    enrolment_move,
    enrolment_withdraw,
    waitlist_position,
)
from enrolment.services.messaging import messages_collect

S = EnrolmentStatus


def status_sentence(enrolment: Enrolment) -> str:
    """What the new status means, in a sentence for a message to the coordinator."""
    values = {"learner": enrolment.learner.preferred_name, "code": enrolment.run.code}
    if enrolment.status == S.ENROLLED:
        return _("%(learner)s is enrolled in %(code)s.") % values
    if enrolment.status == S.WAITLISTED:
        values["position"] = waitlist_position(enrolment=enrolment)
        return _("%(code)s is full: %(learner)s is on its waitlist, position %(position)s.") % (
            values
        )
    if enrolment.status == S.APPLIED:
        return _("%(learner)s's application for %(code)s waits for review.") % values
    if enrolment.status == S.DECLINED:
        return _("%(learner)s's application for %(code)s was declined.") % values
    if enrolment.status == S.WITHDRAWN:
        return _("%(learner)s was withdrawn from %(code)s.") % values
    return _("%(learner)s in %(code)s: %(status)s.") % {
        **values,
        "status": enrolment.get_status_display(),
    }


# --- actions on one enrolment -----------------------------------------------------------------


class EnrolmentActionView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm one status change, call its service, show a refusal as a form error."""

    permission_required = "enrolment.change_enrolment"
    raise_exception = True
    template_name = "enrolment/admin/enrolments/action.html"
    header_icon = "clipboard-list"
    submit_label = ""
    button_classname = "button"
    explanation = ""

    @cached_property
    def enrolment(self) -> Enrolment:
        queryset = access.enrolments_for_user(self.request.user).select_related(
            "learner", "run", "run__course", "run__venue"
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.enrolment.learner} – {self.enrolment.run.code}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            enrolments_crumb(),
            {"url": self.inspect_url, "label": str(self.enrolment)},
            {"url": "", "label": self.get_page_title()},
        ]

    @property
    def inspect_url(self) -> str:
        return reverse("enrolments:inspect", args=[quote(self.enrolment.pk)])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            enrolment=self.enrolment,
            submit_label=self.submit_label,
            button_classname=self.button_classname,
            explanation=self.explanation,
            cancel_url=self.inspect_url,
        )
        return context

    def perform(self, form) -> Enrolment:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with messages_collect() as collected:
                result = self.perform(form)
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, status_sentence(result))
        not_told_warning(self.request, collected)
        return redirect(reverse("enrolments:inspect", args=[quote(result.pk)]))


class ApproveView(EnrolmentActionView):
    form_class = ApproveForm
    page_title = gettext_lazy("Approve application")
    submit_label = gettext_lazy("Approve")
    explanation = gettext_lazy(
        "The learner takes a seat if one is free, or joins the waitlist if the class is full. "
        "They are told by their chosen way: WhatsApp, text or email."
    )

    def perform(self, form):
        return enrolment_approve(enrolment=self.enrolment, by=self.request.user)


class DeclineView(EnrolmentActionView):
    form_class = ReasonForm
    page_title = gettext_lazy("Decline")
    submit_label = gettext_lazy("Decline")
    button_classname = "button no"
    explanation = gettext_lazy(
        "The application or waitlist place ends. The learner is told by their chosen way: "
        "WhatsApp, text or email."
    )

    def perform(self, form):
        return enrolment_decline(
            enrolment=self.enrolment, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class WithdrawView(EnrolmentActionView):
    form_class = ReasonForm
    page_title = gettext_lazy("Withdraw")
    submit_label = gettext_lazy("Withdraw")
    button_classname = "button no"
    explanation = gettext_lazy(
        "The learner leaves the class, its waitlist or the review queue. A freed seat goes "
        "to the first person on the waitlist."
    )

    def perform(self, form):
        return enrolment_withdraw(
            enrolment=self.enrolment, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class MoveView(EnrolmentActionView):
    form_class = MoveForm
    page_title = gettext_lazy("Move to another class")
    submit_label = gettext_lazy("Move")
    explanation = gettext_lazy(
        "The learner leaves this class and joins the chosen class, of this course or another "
        "(a level change after a placement test): enrolled if it has a seat, otherwise on its "
        "waitlist. The seat freed here goes to the first person on this class's waitlist."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enrolment": self.enrolment}

    def perform(self, form):
        return enrolment_move(
            enrolment=self.enrolment,
            to_run=form.cleaned_data["to_run"],
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )


# --- the enrolments viewset's own views -------------------------------------------------------
