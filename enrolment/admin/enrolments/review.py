"""Reviewing a run's applications in bulk: approve or decline the selected ones, all or nothing."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import (
    Count,
    Q,
)
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import CourseRun
from enrolment import access
from enrolment.admin.mixins import enrolments_crumb, not_told_warning
from enrolment.errors import EnrolmentError
from enrolment.forms.admin import BulkReviewForm
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.services.enrolling import (
    enrolments_review,
)
from enrolment.services.messaging import messages_collect

S = EnrolmentStatus


class ReviewIndexView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Classes with applications waiting for review, so that nobody has to hunt for them."""

    permission_required = "enrolment.change_enrolment"
    raise_exception = True
    template_name = "enrolment/admin/enrolments/review_index.html"
    page_title = gettext_lazy("Review applications")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [enrolments_crumb(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = (
            CourseRun.objects.with_seats()
            .annotate(
                applications=Count(
                    "enrolments", filter=Q(enrolments__status=S.APPLIED), distinct=True
                )
            )
            .filter(applications__gt=0)
            .select_related("course")
            .order_by("start_date", "code")
        )
        return context


class ReviewRunView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """One run's applications with checkboxes: approve or decline the selected ones, all in
    one transaction, oldest application first so that seats go in the order people asked."""

    permission_required = "enrolment.change_enrolment"
    raise_exception = True
    template_name = "enrolment/admin/enrolments/review_run.html"
    form_class = BulkReviewForm
    page_title = gettext_lazy("Review applications")
    header_icon = "tasks"

    @cached_property
    def run(self) -> CourseRun:
        return get_object_or_404(
            CourseRun.objects.with_seats().select_related("course", "venue"),
            pk=self.kwargs["run_pk"],
        )

    def applications(self):
        return (
            access.enrolments_for_user(self.request.user)
            .filter(run=self.run, status=S.APPLIED)
            .select_related("learner")
            .order_by("created_at", "pk")
        )

    def get_page_subtitle(self):
        return self.run.code

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            enrolments_crumb(),
            {"url": reverse("enrolments:review"), "label": _("Review applications")},
            {"url": "", "label": self.run.code},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "applications": self.applications()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        selected = {str(value) for value in form["selected"].value() or []}
        context.update(
            run=self.run,
            applications=self.applications(),
            selected=selected,
            waitlisted=self.run.enrolments.filter(status=S.WAITLISTED).count(),
            listing_url=reverse("enrolments:index") + f"?run={self.run.pk}",
        )
        return context

    def form_valid(self, form):
        approve = form.cleaned_data["action"] == BulkReviewForm.APPROVE
        try:
            with messages_collect() as collected:
                results = enrolments_review(
                    enrolments=form.cleaned_data["selected"],
                    approve=approve,
                    by=self.request.user,
                    reason=form.cleaned_data["reason"],
                )
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _bulk_summary(results, approve=approve))
        not_told_warning(self.request, collected)
        return redirect(reverse("enrolments:review_run", args=[self.run.pk]))


def _bulk_summary(results: list[Enrolment], *, approve: bool) -> str:
    if not approve:
        return ngettext(
            "%(count)d application declined.", "%(count)d applications declined.", len(results)
        ) % {"count": len(results)}
    enrolled = sum(1 for e in results if e.status == S.ENROLLED)
    waitlisted = sum(1 for e in results if e.status == S.WAITLISTED)
    count = {"count": len(results)}
    if not waitlisted:
        return (
            ngettext(
                "%(count)d application approved: the learner is enrolled.",
                "%(count)d applications approved: all are enrolled.",
                len(results),
            )
            % count
        )
    if not enrolled:
        return (
            ngettext(
                "%(count)d application approved: the class is full, so the learner is on the "
                "waitlist.",
                "%(count)d applications approved: the class is full, so all are on the waitlist.",
                len(results),
            )
            % count
        )
    return _(
        "%(count)d applications approved: %(enrolled)d enrolled, then the class was full, so "
        "%(waitlisted)d on the waitlist."
    ) % {**count, "enrolled": enrolled, "waitlisted": waitlisted}


# --- bulk enrolment from a spreadsheet --------------------------------------------------------
