"""Qualifications from outside the centre (GED subjects, IELTS bands, a partner's CEFR level):
listed and recorded through enrolment.services.qualifications, never edited."""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms.admin_views import InspectValuesMixin, LocalDateColumn
from cms.exports import SafeExportIndexView
from enrolment.admin.certificates import CertificateViewSet
from enrolment.admin.chooser import learner_chooser_viewset
from enrolment.admin.exports import QualificationExport
from enrolment.admin.mixins import ACTION_TEMPLATE, InspectOnlyViewSetMixin
from enrolment.forms.base import add_service_error
from enrolment.forms.certificates import QUALIFICATION_FORMS
from enrolment.models import (
    Qualification,
    QualificationKind,
)
from enrolment.services.qualifications import (
    QualificationError,
)


class QualificationFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"),
        choices=QualificationKind.choices,
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )
    passed = django_filters.BooleanFilter(label=gettext_lazy("Passed"))

    class Meta:
        model = Qualification
        fields = []


class QualificationIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return Qualification.objects.select_related("learner", "partner")

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None


class QualificationInspectView(InspectValuesMixin, InspectView):
    def get_fields(self):
        return [
            "learner",
            "kind",
            "taken_on",
            "scores",
            "overall",
            "passed",
            "partner",
            "reference",
        ]

    def get_edit_url(self):
        return None


class QualificationMixin(PermissionRequiredMixin, WagtailAdminTemplateMixin):
    permission_required = "enrolment.add_qualification"
    raise_exception = True
    header_icon = "pick"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("qualifications:index"), "label": _("Qualifications")},
            {"url": "", "label": self.get_page_title()},
        ]


class QualificationKindView(QualificationMixin, TemplateView):
    """Which kind to record: each has its own small form."""

    template_name = "enrolment/admin/qualifications/kind.html"
    page_title = gettext_lazy("Record a qualification")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kinds"] = [
            (label, reverse("qualifications:add_kind", args=[value]))
            for value, label in QualificationKind.choices
        ]
        return context


class QualificationCreateView(QualificationMixin, FormView):
    template_name = ACTION_TEMPLATE

    @cached_property
    def kind(self) -> QualificationKind:
        try:
            return QualificationKind(self.kwargs["kind"])
        except ValueError:
            raise Http404 from None

    def get_page_title(self):
        return _("Record: %(kind)s") % {"kind": self.kind.label}

    def get_form_class(self):
        return QUALIFICATION_FORMS[self.kind]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["learner"].widget = learner_chooser_viewset.widget_class()
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            submit_label=_("Save"),
            cancel_url=reverse("qualifications:index"),
            media=context["form"].media,
        )
        return context

    def form_valid(self, form):
        try:
            qualification = form.record(by=self.request.user)
        except QualificationError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(kind)s recorded for %(learner)s.")
            % {"kind": self.kind.label, "learner": qualification.learner.preferred_name},
        )
        return redirect("qualifications:index")


class QualificationViewSet(QualificationExport, InspectOnlyViewSetMixin, ModelViewSet):
    """Listed and recorded by coordinators; never edited. A mistake is deleted (superusers
    only) and recorded again, through the rules."""

    model = Qualification
    icon = "pick"
    url_prefix = "enrolment/qualifications"
    url_namespace = "qualifications"
    menu_label = gettext_lazy("Qualifications")
    index_view_class = QualificationIndexView
    inspect_view_class = QualificationInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "learner",
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display", sort_key="kind"),
        LocalDateColumn("taken_on", label=gettext_lazy("Date of the test"), sort_key="taken_on"),
        Column("overall", label=gettext_lazy("Overall result")),
        BooleanColumn("passed", label=gettext_lazy("Passed"), sort_key="passed"),
    ]
    filterset_class = QualificationFilterSet
    search_fields = ["learner__preferred_name", "reference"]
    list_per_page = 50
    form_fields = ["reference"]  # never shown: recording uses QUALIFICATION_FORMS, no edit

    def get_common_view_kwargs(self, **kwargs):
        return {**super().get_common_view_kwargs(**kwargs), "edit_url_name": None}

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if p.name not in ("add", "edit")]
        return patterns + [
            path("new/", QualificationKindView.as_view(), name="add"),
            path("new/<str:kind>/", QualificationCreateView.as_view(), name="add_kind"),
        ]


class AchievementsGroup(ViewSetGroup):
    menu_label = gettext_lazy("Achievements")
    menu_icon = "doc-full"
    menu_order = 225
    items = (CertificateViewSet, QualificationViewSet)
