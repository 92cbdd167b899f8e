"""Closing a run and issuing its certificates, and one enrolment's override and certificate. Every
change goes through enrolment.services.certification; these views preview what will happen, show
a refusal as a form error and report the outcome. A refusal changes nothing."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import CourseRun
from enrolment.admin.enrolments.actions import EnrolmentActionView
from enrolment.admin.mixins import ACTION_TEMPLATE, runs_crumb
from enrolment.errors import EnrolmentError
from enrolment.forms.admin import ApproveForm
from enrolment.forms.certificates import OverrideForm
from enrolment.models import (
    Enrolment,
    EnrolmentStatus,
)
from enrolment.services.attendance_totals import attendance_summaries
from enrolment.services.certification import (
    CertificationError,
    certificate_issue,
    certificates_issue_for_run,
    completion_override,
    completion_verdict,
    run_close,
)

S = EnrolmentStatus


class RunActionView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Preview what will happen to each learner of a run, then do it on POST."""

    raise_exception = True
    template_name = ACTION_TEMPLATE
    form_class = ApproveForm  # nothing to fill in: the POST is the confirmation
    header_icon = "date"
    submit_label = ""
    explanation = ""

    @cached_property
    def run(self) -> CourseRun:
        return get_object_or_404(CourseRun.objects.select_related("course"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.run.code} – {self.run.course.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [runs_crumb(), {"url": "", "label": self.get_page_title()}]

    @property
    def listing_url(self) -> str:
        return reverse("enrolments:index") + f"?run={self.run.pk}"

    def rows(self) -> list[tuple[str, str, str]]:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            run=self.run,
            rows=self.rows(),
            row_headings=[_("Learner"), _("Outcome"), _("Why")],
            submit_label=self.submit_label,
            explanation=self.explanation,
            cancel_url=reverse("course_runs:index"),
        )
        return context


class CloseRunView(RunActionView):
    permission_required = "courses.change_courserun"
    page_title = gettext_lazy("Close run")
    submit_label = gettext_lazy("Close the run")
    explanation = gettext_lazy(
        "Each enrolled learner completes or not by the run's rules: attendance at or above "
        "its minimum, and a result at or above the pass mark where it has one. Anyone still "
        "waiting or applying is withdrawn. Outcomes can be overridden afterwards, with a reason."
    )

    def rows(self):
        enrolments = list(
            Enrolment.objects.filter(run=self.run)
            .active()
            .select_related("learner", "result")
            .order_by("learner__preferred_name", "pk")
        )
        summaries = attendance_summaries(
            enrolment_ids=[e.pk for e in enrolments if e.status == S.ENROLLED]
        )
        rows = []
        for enrolment in enrolments:
            name = enrolment.learner.list_name
            if enrolment.status != S.ENROLLED:
                rows.append((name, str(S.WITHDRAWN.label), _("The class has finished.")))
                continue
            verdict = completion_verdict(
                run=self.run,
                attendance_percent=summaries[enrolment.pk].percent,
                result=getattr(enrolment, "result", None),
            )
            outcome = S.COMPLETED if verdict.completed else S.NOT_COMPLETED
            rows.append((name, str(outcome.label), verdict.reason))
        return rows

    def form_valid(self, form):
        try:
            outcome = run_close(run=self.run, by=self.request.user)
        except CertificationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(code)s is closed: %(completed)d completed, %(not_completed)d not completed, "
                "%(withdrawn)d withdrawn."
            )
            % {
                "code": self.run.code,
                "completed": len(outcome.completed),
                "not_completed": len(outcome.not_completed),
                "withdrawn": len(outcome.withdrawn),
            },
        )
        return redirect(self.listing_url)


class IssueForRunView(RunActionView):
    permission_required = "enrolment.add_certificate"
    page_title = gettext_lazy("Issue certificates")
    header_icon = "doc-full"
    submit_label = gettext_lazy("Issue certificates")
    explanation = gettext_lazy(
        "A certificate is issued for every completed enrolment of this run that has none yet."
    )

    def rows(self):
        enrolments = (
            Enrolment.objects.filter(run=self.run, status__in=[S.COMPLETED, S.NOT_COMPLETED])
            .select_related("learner", "certificate")
            .order_by("learner__preferred_name", "pk")
        )
        rows = []
        for enrolment in enrolments:
            name = enrolment.learner.list_name
            if enrolment.status != S.COMPLETED:
                rows.append((name, _("No certificate"), _("Not completed.")))
            elif hasattr(enrolment, "certificate"):
                rows.append((name, _("Already has one"), enrolment.certificate.number))
            else:
                rows.append((name, _("Will be issued"), ""))
        return rows

    def form_valid(self, form):
        try:
            outcome = certificates_issue_for_run(run=self.run, by=self.request.user)
        except CertificationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(issued)d issued, %(already)d already had one, %(not_completed)d not completed.")
            % {
                "issued": len(outcome.issued),
                "already": outcome.already,
                "not_completed": outcome.not_completed,
            },
        )
        return redirect(reverse("certificates:index") + f"?run={self.run.pk}")


class OverrideView(EnrolmentActionView):
    form_class = OverrideForm
    page_title = gettext_lazy("Override completion")
    submit_label = gettext_lazy("Override")
    explanation = gettext_lazy(
        "A decision against the run's rules, either way. The reason is kept in the history."
    )

    def get_initial(self):
        # Offer the other outcome: that is what an override is for.
        return {"completed": "no" if self.enrolment.status == S.COMPLETED else "yes"}

    def perform(self, form):
        return completion_override(
            enrolment=self.enrolment,
            completed=form.cleaned_data["completed"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )


class IssueCertificateView(EnrolmentActionView):
    permission_required = "enrolment.add_certificate"
    form_class = ApproveForm
    page_title = gettext_lazy("Issue certificate")
    header_icon = "doc-full"
    submit_label = gettext_lazy("Issue certificate")
    explanation = gettext_lazy(
        "The certificate carries the learner's legal name (or preferred name if none is on "
        "file), the course and the dates, as they are now."
    )

    def form_valid(self, form):
        try:
            certificate = certificate_issue(enrolment=self.enrolment, by=self.request.user)
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Certificate %(number)s issued to %(name)s.")
            % {"number": certificate.number, "name": certificate.holder_name},
        )
        return redirect(self.inspect_url)
