"""The certificates register: listing, one certificate's page, revoking."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Case, CharField, Value, When
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button

from cms.admin_filters import IdChoiceFilter, offer_only
from cms.admin_views import InspectValuesMixin, LocalDateColumn
from cms.exports import SafeExportIndexView
from courses.models import CourseRun, courses_once, run_is_recent
from enrolment.admin.mixins import ACTION_TEMPLATE, InspectOnlyViewSetMixin, certificates_crumb
from enrolment.admin.run_ending import EndRunEarlyView
from enrolment.admin.runs import CloseRunView, IssueCertificateView, IssueForRunView, OverrideView
from enrolment.forms.certificates import RevokeForm
from enrolment.models import (
    Certificate,
)
from enrolment.services.certification import (
    CertificationError,
    certificate_revoke,
)


def year_choices():
    this_year = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this_year, this_year - 10, -1)]


class CertificateFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label=gettext_lazy("Year"), choices=year_choices)  # issued
    course = IdChoiceFilter(
        label=gettext_lazy("Course"),
        field_name="enrolment__run__course",
        queryset=courses_once(),
    )
    run = IdChoiceFilter(
        label=gettext_lazy("Class (run)"),
        field_name="enrolment__run",
        queryset=CourseRun.objects.as_choices(),
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[("valid", gettext_lazy("Valid")), ("revoked", gettext_lazy("Revoked"))],
        method="filter_status",
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )
    issued = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Issued between"),
        field_name="issued_at__date",
        widget=DateRangePickerWidget,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # This term's classes and last term's in the list; any class by a link.
        offer_only(self.filters["run"].field, run_is_recent(), self.data.get("run"))

    class Meta:
        model = Certificate
        fields = []

    def filter_status(self, queryset, name, value):
        if value == "valid":
            return queryset.filter(revoked_at__isnull=True)
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class CertificateIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return Certificate.objects.select_related("enrolment__run").annotate(
            # For the export: in words, in the coordinator's language.
            status_label=Case(
                When(revoked_at__isnull=True, then=Value(_("Valid"))),
                default=Value(_("Revoked")),
                output_field=CharField(),
            )
        )

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    def get_delete_url(self, instance):
        return None

    def get_list_more_buttons(self, instance):
        inspect_url = self.get_inspect_url(instance)
        buttons = [b for b in super().get_list_more_buttons(instance) if b.url != inspect_url]
        buttons += [
            MenuItem(_("Details"), url=inspect_url, icon_name="info-circle", priority=10),
            MenuItem(
                _("Web page"),
                url=reverse("certificate", args=[instance.pk]),
                icon_name="doc-full",
                priority=20,
            ),
            MenuItem(
                _("PDF"),
                url=reverse("certificate_pdf", args=[instance.pk]),
                icon_name="download",
                priority=21,
            ),
            MenuItem(
                _("Public check"),
                url=reverse("certificate_verify", args=[instance.verification_code]),
                icon_name="link-external",
                priority=22,
            ),
        ]
        if instance.is_valid and self.request.user.has_perm("enrolment.change_certificate"):
            buttons.append(
                MenuItem(
                    _("Revoke"),
                    url=reverse("certificates:revoke", args=[instance.pk]),
                    icon_name="cross",
                    priority=40,
                )
            )
        return buttons


class CertificateInspectView(InspectValuesMixin, InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related("enrolment__run", "issued_by", "revoked_by"),
            pk=self.pk,
        )

    def get_fields(self):
        return [
            "number",
            "holder_name",
            "course_title",
            "partner_name",
            "start_date",
            "end_date",
            "issued_at",
            "verification_code",
            "revoked_at",
            "revocation_reason",
        ]

    def get_edit_url(self):
        return None

    def get_delete_url(self):
        return None

    @cached_property
    def header_more_buttons(self):
        buttons = [
            Button(_("Web page"), url=reverse("certificate", args=[self.object.pk]), priority=20),
            Button(_("PDF"), url=reverse("certificate_pdf", args=[self.object.pk]), priority=21),
            Button(
                _("Public check"),
                url=reverse("certificate_verify", args=[self.object.verification_code]),
                priority=22,
            ),
        ]
        if self.object.is_valid and self.request.user.has_perm("enrolment.change_certificate"):
            buttons.append(
                Button(
                    _("Revoke"),
                    url=reverse("certificates:revoke", args=[self.object.pk]),
                    priority=40,
                )
            )
        return buttons


class RevokeView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "enrolment.change_certificate"
    raise_exception = True
    template_name = ACTION_TEMPLATE
    form_class = RevokeForm
    page_title = gettext_lazy("Revoke certificate")
    header_icon = "cross"

    @cached_property
    def certificate(self) -> Certificate:
        return get_object_or_404(Certificate, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.certificate.number} – {self.certificate.holder_name}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            certificates_crumb(),
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            facts=[
                (_("Number"), self.certificate.number),
                (_("Name as printed"), self.certificate.holder_name),
                (_("Course"), self.certificate.course_title),
            ],
            explanation=_(
                "The certificate stays on record; its public check then says it is revoked."
            ),
            submit_label=_("Revoke"),
            button_classname="button no",
            cancel_url=reverse("certificates:index"),
        )
        return context

    def form_valid(self, form):
        try:
            certificate_revoke(
                certificate=self.certificate,
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except CertificationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Certificate %(number)s revoked.") % {"number": self.certificate}
        )
        return redirect("certificates:index")


class CertificateViewSet(InspectOnlyViewSetMixin, ModelViewSet):
    """The register: read-only. Certificates are issued and revoked through the services."""

    model = Certificate
    icon = "doc-full"
    url_prefix = "enrolment/certificates"
    url_namespace = "certificates"
    menu_label = gettext_lazy("Certificates")
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "number",  # the title column: it carries each row's actions
        Column("holder_name", label=gettext_lazy("Name as printed"), sort_key="holder_name"),
        Column("course_title", label=gettext_lazy("Course"), sort_key="course_title"),
        Column("run_code", label=gettext_lazy("Class"), accessor="enrolment.run.code"),
        LocalDateColumn("issued_at", label=gettext_lazy("Issued"), sort_key="issued_at"),
        BooleanColumn("is_valid", label=gettext_lazy("Valid")),
    ]
    filterset_class = CertificateFilterSet
    search_fields = ["number", "holder_name", "course_title"]
    list_per_page = 50
    list_export = [
        "number",
        "holder_name",
        "course_title",
        "partner_name",
        "enrolment.run.code",
        "start_date",
        "end_date",
        "issued_at",
        "status_label",
        "revoked_at",
    ]
    export_headings = {
        "number": gettext_lazy("Number"),
        "holder_name": gettext_lazy("Name as printed"),
        "course_title": gettext_lazy("Course"),
        "partner_name": gettext_lazy("Partner"),
        "enrolment.run.code": gettext_lazy("Class"),
        "start_date": gettext_lazy("First day"),
        "end_date": gettext_lazy("Last day"),
        "issued_at": gettext_lazy("Issued"),
        "status_label": gettext_lazy("Status"),
        "revoked_at": gettext_lazy("Revoked"),
    }
    export_filename = "certificates"
    form_fields = ["number"]  # never shown: there is no add or edit view

    def get_common_view_kwargs(self, **kwargs):
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
        }

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if p.name not in ("add", "edit", "delete")]
        return patterns + [
            path("<int:pk>/revoke/", RevokeView.as_view(), name="revoke"),
            path("runs/<int:pk>/close/", CloseRunView.as_view(), name="close_run"),
            path("runs/<int:pk>/end-early/", EndRunEarlyView.as_view(), name="end_run_early"),
            path("runs/<int:pk>/issue/", IssueForRunView.as_view(), name="issue_for_run"),
            path("enrolments/<int:pk>/override/", OverrideView.as_view(), name="override"),
            path("enrolments/<int:pk>/issue/", IssueCertificateView.as_view(), name="issue"),
        ]
