"""The enrolments viewset: listing filters (by term, class, course, status), columns, exports and
the URLs of its actions."""

import datetime as dt

import django_filters
from django import forms
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cms.admin_filters import IdChoiceFilter, IdNumberFilter, offer_only
from cms.admin_views import LocalDateColumn
from courses.models import Category, CourseRun, courses_once, run_is_recent
from enrolment.admin.attendance import AtRiskViewSet, RegistersNotTakenViewSet
from enrolment.admin.corrections import CorrectionRequestViewSet
from enrolment.admin.enrolments.actions import ApproveView, DeclineView, MoveView, WithdrawView
from enrolment.admin.enrolments.imports import ImportTemplateView, ImportView
from enrolment.admin.enrolments.late import LateEnrolView, RecordPastView
from enrolment.admin.enrolments.review import ReviewIndexView, ReviewRunView
from enrolment.admin.enrolments.support import SupportView
from enrolment.admin.enrolments.views import (
    EnrolmentCreateView,
    EnrolmentEditView,
    EnrolmentIndexView,
    EnrolmentInspectView,
)
from enrolment.admin.learners import LearnerViewSet
from enrolment.admin.messages import MessageViewSet
from enrolment.admin.stories import StorySubjectViewSet
from enrolment.forms.admin import EnrolmentOnBehalfForm
from enrolment.models import Enrolment, EnrolmentStatus

QUARTER_MONTHS = {
    1: _("Jan–Mar"),
    2: _("Apr–Jun"),
    3: _("Jul–Sep"),
    4: _("Oct–Dec"),
}


def term_choices() -> list[tuple[str, str]]:
    """Terms as calendar quarters (T3 = July to September, as in run codes like 2026T3),
    from two years back to next year, newest first. A run belongs to the term it starts in."""
    this_year = timezone.localdate().year
    return [
        (f"{year}-T{quarter}", f"{year} T{quarter} ({QUARTER_MONTHS[quarter]})")
        for year in range(this_year + 1, this_year - 3, -1)
        for quarter in (4, 3, 2, 1)
    ]


def term_dates(value: str) -> tuple[dt.date, dt.date] | None:
    try:
        year, quarter = value.split("-T")
        year, quarter = int(year), int(quarter)
    except ValueError:
        return None
    if quarter not in QUARTER_MONTHS:
        return None
    first = dt.date(year, 3 * quarter - 2, 1)
    last = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return first, last - dt.timedelta(days=1)


class EnrolmentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=EnrolmentStatus.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    run = IdChoiceFilter(
        label=_("Class (run)"),
        queryset=CourseRun.objects.as_choices(),
    )
    course = IdChoiceFilter(
        label=_("Course"),
        field_name="run__course",
        queryset=courses_once(),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="run__course__category",
        queryset=Category.objects.originals().order_by("name"),
    )
    term = django_filters.ChoiceFilter(
        label=_("Term (when the class starts)"),
        choices=term_choices,
        method="filter_term",
    )
    starts = django_filters.DateFromToRangeFilter(
        label=_("Class starts between"),
        field_name="run__start_date",
        widget=DateRangePickerWidget,
    )
    # The "Enrolments" link on a learner sets it; a number field, not a list of every learner.
    learner = IdNumberFilter(
        label=_("Learner number"),
        field_name="learner_id",
        help_text=_("e.g. 123 for learner L123"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # This term's classes and last term's in the list; any class by a link.
        offer_only(self.filters["run"].field, run_is_recent(), self.data.get("run"))

    class Meta:
        model = Enrolment
        fields = []

    def filter_term(self, queryset, name, value):
        dates = term_dates(value)
        if dates is None:
            return queryset
        return queryset.filter(run__start_date__range=dates)


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    icon = "clipboard-list"
    url_prefix = "enrolment/enrolments"
    url_namespace = "enrolments"
    menu_label = _("Enrolments")
    index_view_class = EnrolmentIndexView
    add_view_class = EnrolmentCreateView
    edit_view_class = EnrolmentEditView
    inspect_view_class = EnrolmentInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "learner",
        Column("course", label=_("Course"), accessor="run.course.title"),
        Column("run_code", label=_("Class"), accessor="run.code", sort_key="run__code"),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        Column("waitlist_position", label=_("Waitlist position")),
        # Pending offers: the coordinator sees whose answer the seat waits for, and until when.
        LocalDateColumn(
            "offer_expires_at",
            label=_("Offer open until"),
            sort_key="offer_expires_at",
        ),
        LocalDateColumn("created_at", label=_("Created"), sort_key="created_at"),
    ]
    ordering = "-created_at"
    filterset_class = EnrolmentFilterSet
    # Searched by EnrolmentIndexView.search_queryset (phone numbers by their digits).
    search_fields = ["learner__preferred_name", "learner__email", "learner__phone", "run__code"]
    list_per_page = 50
    list_export = [
        "learner.list_name",
        "run.code",
        "run.course.title",
        "get_status_display",
        "waitlist_position",
        "offer_expires_at",
        "created_at",
        "updated_at",
        "run.start_date",
        "run.end_date",
    ]
    export_headings = {
        "learner.list_name": _("Learner"),
        "run.code": _("Class"),
        "run.course.title": _("Course"),
        "get_status_display": _("Status"),
        "waitlist_position": _("Waitlist position"),
        "offer_expires_at": _("Offer open until"),
        "created_at": _("Created"),
        "updated_at": _("Last changed"),
        "run.start_date": _("Class starts"),
        "run.end_date": _("Class ends"),
    }
    export_filename = "enrolments"

    def get_form_class(self, for_update=False):
        # Creating means enrolment_create; there is no editing (the edit URL redirects to the
        # inspect view, whose buttons change the status through the services).
        return EnrolmentOnBehalfForm

    def get_common_view_kwargs(self, **kwargs):
        # Deleting an enrolment would free a seat without promoting anyone: withdraw instead.
        return {**super().get_common_view_kwargs(**kwargs), "delete_url_name": None}

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if p.name != "delete"]
        return patterns + [
            path("<int:pk>/approve/", ApproveView.as_view(), name="approve"),
            path("<int:pk>/decline/", DeclineView.as_view(), name="decline"),
            path("<int:pk>/withdraw/", WithdrawView.as_view(), name="withdraw"),
            path("<int:pk>/move/", MoveView.as_view(), name="move"),
            path("late/", LateEnrolView.as_view(), name="late"),
            path("past/", RecordPastView.as_view(), name="past"),
            path("<int:pk>/support/", SupportView.as_view(), name="support"),
            path("review/", ReviewIndexView.as_view(), name="review"),
            path("review/<int:run_pk>/", ReviewRunView.as_view(), name="review_run"),
            path("import/", ImportView.as_view(), name="import"),
            path(
                "import/template.xlsx",
                ImportTemplateView.as_view(),
                name="import_template",
            ),
        ]


class EnrolmentGroup(ViewSetGroup):
    menu_label = _("Enrolment")
    menu_icon = "group"
    menu_order = 220
    items = (
        EnrolmentViewSet,
        LearnerViewSet,
        AtRiskViewSet,
        RegistersNotTakenViewSet,
        MessageViewSet,
        CorrectionRequestViewSet,
        StorySubjectViewSet,
    )
