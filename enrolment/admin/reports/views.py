"""/admin/reports/impact/: the impact report for a period and its XLSX and PDF, coordinators
only. The filters are GET parameters, so a report can be bookmarked or sent to a colleague;
a bad value shows the form's message and no figures (400), never a server error."""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.exports import attachment
from enrolment import access
from enrolment.admin.reports.exports import impact_pdf, impact_workbook
from enrolment.admin.reports.forms import ImpactFilterForm
from enrolment.models import AccessAction
from enrolment.services.access_log import access_log_record
from enrolment.services.impact import impact_report_compile

PDF = "application/pdf"


@method_decorator(never_cache, name="dispatch")
class ImpactReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "enrolment/admin/reports/impact.html"
    page_title = gettext_lazy("Impact report")
    header_icon = "table"
    export: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not access.can_see_impact_reports(request.user):
            raise PermissionDenied  # the admin's "no permission", back to the dashboard
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    @cached_property
    def form(self) -> ImpactFilterForm:
        # Always bound: no parameters at all is a valid choice of every default.
        return ImpactFilterForm(self.request.GET)

    @cached_property
    def report(self):
        if not self.form.is_valid():
            return None
        return impact_report_compile(scope=self.form.scope())

    def filters(self) -> list[tuple[str, str]]:
        return self.form.chosen()

    def get(self, request, *args, **kwargs):
        report = self.report
        if report is None:
            return self.render_to_response(self.get_context_data(), status=400)
        period = report.scope.period
        name = f"impact-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"
        if self.export == "xlsx":
            content = impact_workbook(report=report, filters=self.filters())
            access_log_record(user=request.user, action=AccessAction.EXPORTED, what=f"{name}.xlsx")
            return attachment(content, filename=f"{name}.xlsx")
        if self.export == "pdf":
            content = impact_pdf(report=report, filters=self.filters(), request=request)
            access_log_record(user=request.user, action=AccessAction.EXPORTED, what=f"{name}.pdf")
            return attachment(content, filename=f"{name}.pdf", content_type=PDF)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.urlencode()
        suffix = f"?{query}" if query else ""
        report = self.report
        context.update(
            form=self.form,
            report=report,
            filters=self.filters() if report else [],
            charts=report.charts(rtl=translation.get_language_bidi()) if report else [],
            xlsx_url=reverse("impact_report_xlsx") + suffix,
            pdf_url=reverse("impact_report_pdf") + suffix,
        )
        return context


class ImpactMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_see_impact_reports(request.user)


def impact_menu_item() -> MenuItem:
    return ImpactMenuItem(
        gettext_lazy("Impact"), reverse("impact_report"), icon_name="table", order=50
    )


def impact_urls():
    return [
        path("reports/impact/", ImpactReportView.as_view(), name="impact_report"),
        path(
            "reports/impact/xlsx/",
            ImpactReportView.as_view(export="xlsx"),
            name="impact_report_xlsx",
        ),
        path(
            "reports/impact/pdf/", ImpactReportView.as_view(export="pdf"), name="impact_report_pdf"
        ),
    ]
