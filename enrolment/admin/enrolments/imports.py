"""Enrolling many learners at once from a spreadsheet, all or nothing."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.exports import attachment
from enrolment.admin.mixins import enrolments_crumb
from enrolment.forms.admin import ImportForm
from enrolment.models import EnrolmentStatus
from enrolment.services.import_templates import enrolments_import_template, import_instructions
from enrolment.services.spreadsheets import MAX_BYTES, MAX_ROWS, enrolments_import

S = EnrolmentStatus


class ImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "enrolment.add_enrolment"
    raise_exception = True
    template_name = "enrolment/admin/enrolments/import.html"
    form_class = ImportForm
    page_title = gettext_lazy("Enrol from a spreadsheet")
    header_icon = "upload"
    problems: list[str] = []

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [enrolments_crumb(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            problems=self.problems,
            instructions=import_instructions(),
            max_rows=MAX_ROWS,
            max_megabytes=MAX_BYTES // (1024 * 1024),
            template_url=reverse("enrolments:import_template"),
        )
        return context

    def form_valid(self, form):
        result = enrolments_import(file=form.cleaned_data["file"], by=self.request.user)
        if not result.ok:
            self.problems = result.errors
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)d enrolment created from the spreadsheet:",
                "%(count)d enrolments created from the spreadsheet:",
                len(result.enrolments),
            )
            % {"count": len(result.enrolments)}
            + " "
            + _(
                "%(enrolled)d enrolled, %(waitlisted)d on a waitlist, "
                "%(applied)d applications waiting for review."
            )
            % {
                "enrolled": result.count(S.ENROLLED),
                "waitlisted": result.count(S.WAITLISTED),
                "applied": result.count(S.APPLIED),
            },
        )
        return redirect("enrolments:index")


class ImportTemplateView(PermissionRequiredMixin, View):
    permission_required = "enrolment.add_enrolment"
    raise_exception = True

    def get(self, request):
        return attachment(enrolments_import_template(), filename="enrolments-template.xlsx")
