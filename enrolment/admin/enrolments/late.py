"""Staff stepping past the enrolment window: a latecomer or walk-in placed into a class under
way, and a past course recorded after the fact. Each view collects a learner, a class and a
reason and calls its service in enrolment.services.late_enrolment; a refusal is a form error."""

import datetime as dt

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.choices import RunStatus
from courses.models import CourseRun
from enrolment import access
from enrolment.admin.chooser import learner_chooser_viewset
from enrolment.admin.enrolments.actions import status_sentence
from enrolment.admin.mixins import enrolments_crumb, not_told_warning
from enrolment.errors import EnrolmentError
from enrolment.forms.admin import StaffPlacementForm
from enrolment.models import Enrolment
from enrolment.services.late_enrolment import enrolment_place_late, enrolment_record_past
from enrolment.services.messaging import messages_collect


class StaffPlacementView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "enrolment.add_enrolment"
    raise_exception = True
    form_class = StaffPlacementForm
    template_name = "enrolment/admin/enrolments/placement.html"
    header_icon = "clipboard-list"
    submit_label = ""
    explanation = ""

    def runs(self, today: dt.date):
        raise NotImplementedError

    def perform(self, form) -> Enrolment:
        raise NotImplementedError

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            enrolments_crumb(),
            {"url": "", "label": self.get_page_title()},
        ]

    def get_form_kwargs(self):
        runs = self.runs(timezone.localdate()).order_by("-start_date", "code")
        learners = access.learners_for_user(self.request.user)
        return {**super().get_form_kwargs(), "learners": learners, "runs": runs}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["learner"].widget = learner_chooser_viewset.widget_class()
        return form

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "submit_label": self.submit_label,
            "explanation": self.explanation,
            "cancel_url": reverse("enrolments:index"),
        }

    def form_valid(self, form):
        try:
            with messages_collect() as collected:
                enrolment = self.perform(form)
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, status_sentence(enrolment))
        not_told_warning(self.request, collected)
        return redirect(reverse("enrolments:inspect", args=[quote(enrolment.pk)]))


class LateEnrolView(StaffPlacementView):
    page_title = gettext_lazy("Enrol late or a walk-in")
    submit_label = gettext_lazy("Enrol")
    explanation = gettext_lazy(
        "For a class already under way, or whose enrolment has closed. The learner takes a "
        "seat if one is free, otherwise joins the waitlist, and is told by their chosen way."
    )

    def runs(self, today):
        return CourseRun.objects.filter(status=RunStatus.PUBLISHED, end_date__gte=today)

    def perform(self, form):
        return enrolment_place_late(
            learner=form.cleaned_data["learner"],
            run=form.cleaned_data["run"],
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )


class RecordPastView(StaffPlacementView):
    page_title = gettext_lazy("Record a past course")
    submit_label = gettext_lazy("Record as completed")
    explanation = gettext_lazy(
        "For a class that has finished: the learner is recorded as having completed it, so a "
        "certificate can be issued. It takes no seat and sends no message."
    )

    def runs(self, today):
        return CourseRun.objects.filter(
            Q(status=RunStatus.CLOSED) | Q(status=RunStatus.PUBLISHED, end_date__lt=today)
        )

    def perform(self, form):
        return enrolment_record_past(
            learner=form.cleaned_data["learner"],
            run=form.cleaned_data["run"],
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )
