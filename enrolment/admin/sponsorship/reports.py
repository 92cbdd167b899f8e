"""Children's progress reports in the admin: recorded with their subject grades, then
reviewed and shared with sponsors from their "Review and share" page. Saving goes through
report_save, which stops sharing a report whose shared parts changed."""

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import CreateView, EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from cms.exports import SafeExportIndexView
from enrolment.admin.access_log import LoggedRecordMixin
from enrolment.admin.exports import ProgressReportExport
from enrolment.admin.sensitive import SensitiveFieldPanel
from enrolment.admin.sponsorship.views import ReportShareView, ServiceSaveMixin
from enrolment.forms.sponsorship import ProgressReportForm
from enrolment.models import ProgressReport
from enrolment.models.schools import school_year_choices
from enrolment.services.sponsorship import report_save


def report_review_url(report: ProgressReport) -> str:
    return reverse("progress_reports:share", args=[quote(report.pk)])


class ProgressReportFilterSet(WagtailFilterSet):
    school_year = django_filters.TypedChoiceFilter(
        label=gettext_lazy("School year"), choices=school_year_choices, coerce=int
    )
    shared_with_sponsors = django_filters.BooleanFilter(
        label=gettext_lazy("Shared with sponsors"), widget=forms.NullBooleanSelect
    )

    class Meta:
        model = ProgressReport
        fields = []


class ProgressReportIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return ProgressReport.objects.select_related("child")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("enrolment.change_progressreport"):
            buttons.append(
                MenuItem(
                    _("Review and share"),
                    url=report_review_url(instance),
                    icon_name="view",
                    priority=15,
                )
            )
        return buttons


class ReportSaveMixin(ServiceSaveMixin):
    def save_instance(self):
        self.saved = report_save(report=self.form.save(commit=False), by=self.request.user)
        return self.saved.report

    def save_action(self):
        if self.expects_json_response:  # a background save: the editor page stays open
            return super().save_action()
        review = messages.button(report_review_url(self.object), _("Review and share"))
        if self.saved.unshared:
            messages.warning(
                self.request,
                _(
                    "Report for %(name)s saved. What sponsors see has changed, so it is no "
                    "longer shared: review it and share it again."
                )
                % {"name": self.object.child.preferred_name},
                buttons=[review],
            )
            return redirect(self.get_success_url())
        if self.saved.created:
            messages.success(
                self.request,
                _("Report for %(name)s created. Sponsors see it once you review and share it.")
                % {"name": self.object.child.preferred_name},
                buttons=[review],
            )
            return redirect(self.get_success_url())
        return super().save_action()


class ProgressReportCreateView(ReportSaveMixin, CreateView):
    pass


class ProgressReportEditView(LoggedRecordMixin, ReportSaveMixin, EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button(
                _("Review and share"),
                url=report_review_url(self.object),
                icon_name="view",
                priority=40,
            )
        )
        return buttons


class ProgressReportViewSet(ProgressReportExport, ModelViewSet):
    model = ProgressReport
    icon = "doc-full-inverse"
    url_prefix = "sponsorship/reports"
    url_namespace = "progress_reports"
    menu_label = gettext_lazy("Progress reports")
    index_view_class = ProgressReportIndexView
    add_view_class = ProgressReportCreateView
    edit_view_class = ProgressReportEditView
    copy_view_enabled = False
    list_display = [
        "child",  # the title column: it carries each row's edit link and actions
        Column(
            "school_year",
            label=gettext_lazy("School year"),
            accessor="school_year_label",
            sort_key="school_year",
        ),
        Column(
            "term",
            label=pgettext_lazy("school term", "Term"),
            accessor="get_term_display",
            sort_key="term",
        ),
        Column(
            "attendance",
            label=gettext_lazy("School attendance"),
            accessor=lambda r: (
                "" if r.school_attendance_percent is None else f"{r.school_attendance_percent}%"
            ),
        ),
        BooleanColumn(
            "shared_with_sponsors",
            label=gettext_lazy("Shared with sponsors"),
            sort_key="shared_with_sponsors",
        ),
    ]
    filterset_class = ProgressReportFilterSet
    search_fields = ["child__preferred_name"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("child"),
            FieldRowPanel([FieldPanel("school_year"), FieldPanel("term")]),
            FieldPanel("school_attendance_percent"),
            FieldPanel("teacher_comment"),
            InlinePanel(
                "grades",
                heading=gettext_lazy("Subjects and grades"),
                label=gettext_lazy("Subject"),
            ),
            MultiFieldPanel(
                [SensitiveFieldPanel("caseworker_note")],
                heading=gettext_lazy("Restricted: never shared with sponsors"),
            ),
        ],
        base_form_class=ProgressReportForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/share/", ReportShareView.as_view(), name="share"),
        ]
