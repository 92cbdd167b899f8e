"""The access log's listing for Data protection: who opened whose record, downloaded what,
exported how many rows; filtered by person, by member of staff, by action and by date.

Read only, for everyone: the log is evidence, so the viewset serves its listing and nothing
else (no add, edit or delete URL exists), and only Data protection (and superusers) may read
it. Coordinators may not: it records them.
"""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from cms.admin_filters import IdChoiceFilterField, IdNumberFilter
from cms.admin_views import LocalDateColumn
from cms.roles import staff_name
from enrolment import access
from enrolment.models import AccessAction, AccessLog, Learner
from enrolment.services.access_log import access_log_exported, access_log_viewed


class LoggedRecordMixin:
    """For an admin view of one person's record (a learner's or a child's edit page, or a
    record about a child): opening it is logged. A GET only: saving is already in the
    record's history, and a form shown again with errors was opened a moment before."""

    def logged_learner(self) -> Learner:
        # The learner's own record; a record about a child names the child.
        return self.object if isinstance(self.object, Learner) else self.object.child

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        access_log_viewed(
            user=request.user,
            learner=self.logged_learner(),
            what=request.resolver_match.view_name,
        )
        return response


class AccessLogPermissionPolicy(ModelPermissionPolicy):
    """Reading, for whom enrolment.access allows it; writing, for no one (not even a
    superuser: rows come only from enrolment.services.access_log)."""

    def user_has_permission(self, user, action):
        return action == "view" and access.can_read_access_log(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class StaffChoiceField(IdChoiceFilterField):
    def label_from_instance(self, obj):
        return staff_name(obj)


class StaffChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = StaffChoiceField


def staff_in_log(request):
    # Only those who appear in the log: a short list, not every learner's account.
    return (
        get_user_model()
        .objects.filter(pk__in=AccessLog.objects.values("user"))
        .order_by("first_name", "last_name", "username")
    )


class AccessLogFilterSet(WagtailFilterSet):
    learner = IdNumberFilter(
        label=_("Learner number"),
        field_name="learner_id",
        help_text=_("e.g. 123 for learner L123"),
    )
    user = StaffChoiceFilter(label=_("Staff member"), queryset=staff_in_log)
    action = django_filters.ChoiceFilter(
        label=_("Action"),
        choices=AccessAction.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    at = django_filters.DateFromToRangeFilter(label=_("Between"), widget=DateRangePickerWidget)

    class Meta:
        model = AccessLog
        fields = []


def person_name(log: AccessLog) -> str:
    # An export of a whole list is about no one person.
    return log.learner.list_name if log.learner else ""


class AccessLogIndexView(IndexView):
    def get_base_queryset(self):
        return access.access_logs_for_user(self.request.user).select_related("learner")


class AccessLogViewSet(ModelViewSet):
    model = AccessLog
    icon = "view"
    url_prefix = "enrolment/access-log"
    url_namespace = "access_log"
    menu_label = _("Access log")
    menu_order = 900
    add_to_admin_menu = True
    index_view_class = AccessLogIndexView
    copy_view_enabled = False
    # Needed by Wagtail to build a form class; there is no form view.
    form_fields = ["what"]
    list_display = [
        LocalDateColumn("at", label=_("When")),
        Column("user_name", label=_("Staff member")),
        Column("action", label=_("Action"), accessor="get_action_display"),
        Column("learner", label=_("Person"), accessor=person_name),
        Column("what", label=_("What")),
        Column("rows", label=_("Rows")),
    ]
    filterset_class = AccessLogFilterSet
    list_per_page = 50
    # Not exported: a copy of the log would be one more file naming people to keep track of.
    list_export = []
    ordering = ["-at", "-pk"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


def log_listing_export(*, request, view, filename: str, rows: int) -> None:
    """An admin listing's export, with its rows and, when it is filtered to one learner (the
    enrolments of a learner, from their page), that person."""
    filters = getattr(view, "filters", None)
    learner = None
    if filters is not None and filters.is_valid():
        learner_id = filters.form.cleaned_data.get("learner")
        if isinstance(learner_id, int):
            learner = access.learners_for_user(request.user).filter(pk=learner_id).first()
    access_log_exported(user=request.user, what=filename, rows=rows, learner=learner)
