"""Learners' correction requests for the coordinators: a list, waiting ones first, each with a
link to the learner's record (where the correction itself is made) and a page to answer it.

Requests come only from learners (/learn/correction/): nobody adds, edits or deletes one here.
Coordinators answer them through enrolment.services.corrections.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import FormView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from cms.admin_views import LocalDateColumn
from cms.roles import staff_name
from enrolment import access
from enrolment.errors import CorrectionError
from enrolment.forms.base import add_service_error
from enrolment.forms.corrections import CorrectionAnswerForm
from enrolment.models import CorrectionRequest, CorrectionStatus
from enrolment.services.corrections import correction_request_resolve, correction_requests_listing

SUMMARY_LENGTH = 90


class CorrectionRequestPermissionPolicy(ModelPermissionPolicy):
    """Reading and answering, for whom enrolment.access allows it; adding and deleting, for no
    one (requests are the learners' own words)."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and access.can_handle_correction_requests(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class CorrectionRequestFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=CorrectionStatus.choices,
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = CorrectionRequest
        fields = []


class CorrectionRequestIndexView(IndexView):
    def get_base_queryset(self):
        return correction_requests_listing(user=self.request.user)

    def order_queryset(self, queryset):
        # The service's order (waiting first, the longest waiting first) is the point of the
        # list; no column re-sorts it.
        return queryset


def _answer_url(request: CorrectionRequest) -> str:
    return reverse("correction_requests:edit", args=[quote(request.pk)])


def _learner_url(request: CorrectionRequest) -> str:
    return reverse("learners:edit", args=[quote(request.learner_id)])


def _summary(request: CorrectionRequest) -> str:
    return Truncator(request.text).chars(SUMMARY_LENGTH)


@method_decorator(never_cache, name="dispatch")
class CorrectionAnswerView(WagtailAdminTemplateMixin, FormView):
    template_name = "enrolment/admin/corrections/answer.html"
    form_class = CorrectionAnswerForm
    page_title = gettext_lazy("Correction request")
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        if not access.can_handle_correction_requests(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def correction(self) -> CorrectionRequest:
        requests = access.correction_requests_for_user(self.request.user)
        return get_object_or_404(
            requests.select_related("learner", "handled_by"), pk=self.kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.correction.learner.list_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("correction_requests:index"), "label": _("Correction requests")},
            {"url": "", "label": self.correction.learner.list_name},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            correction=self.correction,
            learner_url=_learner_url(self.correction),
            handled_by=staff_name(self.correction.handled_by),
            index_url=reverse("correction_requests:index"),
        )
        return context

    def form_valid(self, form):
        try:
            correction_request_resolve(
                request=self.correction,
                by=self.request.user,
                status=form.cleaned_data["status"],
                reply=form.cleaned_data["reply"],
            )
        except CorrectionError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Answered. %(name)s sees your answer on their page.")
            % {"name": self.correction.learner.preferred_name},
        )
        return redirect("correction_requests:index")


class CorrectionRequestViewSet(ModelViewSet):
    model = CorrectionRequest
    icon = "edit"
    url_prefix = "enrolment/correction-requests"
    url_namespace = "correction_requests"
    menu_label = gettext_lazy("Correction requests")
    index_view_class = CorrectionRequestIndexView
    copy_view_enabled = False
    # Needed by Wagtail to build a form class; answers go through CorrectionAnswerView.
    form_fields = ["status"]
    list_display = [
        TitleColumn("text", label=gettext_lazy("Request"), accessor=_summary, get_url=_answer_url),
        TitleColumn("learner", label=gettext_lazy("Learner"), get_url=_learner_url),
        LocalDateColumn("created_at", label=gettext_lazy("Asked")),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        LocalDateColumn("handled_at", label=gettext_lazy("Answered")),
    ]
    filterset_class = CorrectionRequestFilterSet
    list_per_page = 50
    # Not exported: each request is a person's own words about their record.
    list_export = []

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", CorrectionAnswerView.as_view(), name="edit"),
        ]
