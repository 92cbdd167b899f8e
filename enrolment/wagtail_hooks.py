"""The coordinators' side of enrolment in the Wagtail admin: learners, enrolments, reviews,
imports, the waitlist promotion that follows a run getting more seats, and the menus of
achievements (admin_certificates) and children's sponsorships (admin_sponsorship)."""

import datetime as dt

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.urls import path
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.log_actions import LogFormatter

from cms.admin_filters import IdChoiceFilter, IdNumberFilter
from courses.choices import Level
from courses.models import Category, CoursePage, CourseRun
from enrolment import admin_certificates, admin_sponsorship, admin_views
from enrolment.admin_attendance import AtRiskViewSet, RegistersNotTakenViewSet
from enrolment.admin_forms import EnrolmentOnBehalfForm, LearnerAdminForm
from enrolment.models import Enrolment, EnrolmentStatus, Learner
from enrolment.services.enrolling import waitlist_promote

# --- learners ---------------------------------------------------------------------------------


class LearnerFilterSet(WagtailFilterSet):
    english_level = django_filters.ChoiceFilter(
        label=_("English level"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    age_group = django_filters.ChoiceFilter(
        label=_("Child or adult"),
        choices=[("child", _("Child (under 18)")), ("adult", _("Adult (18 or over)"))],
        method="filter_age_group",
        widget=forms.RadioSelect,
        empty_label=_("All"),
    )
    has_account = django_filters.BooleanFilter(
        label=_("Has an account"), field_name="user", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Learner
        fields = []

    def filter_age_group(self, queryset, name, value):
        if value == "child":
            return queryset.children()
        if value == "adult":
            return queryset.adults()
        return queryset


class LearnerViewSet(ModelViewSet):
    model = Learner
    icon = "user"
    url_prefix = "enrolment/learners"
    url_namespace = "learners"
    menu_label = _("Learners")
    index_view_class = admin_views.LearnerIndexView
    edit_view_class = admin_views.LearnerEditView
    delete_view_class = admin_views.LearnerDeleteView
    list_display = [
        "preferred_name",
        Column("learner_number", label=_("Number"), sort_key="pk"),
        "phone",
        "email",
        "english_level",
        BooleanColumn("has_account", label=_("Account"), sort_key="has_account"),
    ]
    # Searched by LearnerIndexView.search_queryset (phone numbers by their digits).
    search_fields = ["preferred_name", "legal_name", "phone", "email", "case_reference"]
    filterset_class = LearnerFilterSet
    list_per_page = 50
    # No case reference: exports leave the admin and travel by email and USB stick.
    list_export = [
        "learner_number",
        "preferred_name",
        "legal_name",
        "date_of_birth",
        "languages",
        "preferred_language",
        "english_level",
        "phone",
        "email",
        "guardian_name",
        "guardian_phone",
        "guardian_relationship",
        "consent_photo",
        "consent_share_progress",
        "has_account",
    ]
    export_headings = {
        "learner_number": _("Learner number"),
        "has_account": _("Has an account"),
    }
    export_filename = "learners"
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            # Staff collecting details at the desk read this notice to the learner first.
            HelpPanel(template="includes/collection_notice_panel.html"),
            MultiFieldPanel(
                [
                    FieldPanel("preferred_name"),
                    FieldPanel("legal_name"),
                    FieldPanel("date_of_birth"),
                ],
                heading=_("Name and age"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                    FieldPanel("preferred_language"),
                    FieldPanel("languages"),
                    FieldPanel("english_level"),
                ],
                heading=_("Contact and languages"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("guardian_name"),
                    FieldRowPanel(
                        [FieldPanel("guardian_phone"), FieldPanel("guardian_relationship")]
                    ),
                ],
                heading=_("Parent or guardian (for a child)"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("consent_photo"),
                    FieldPanel("consent_share_progress"),
                    FieldPanel("photo"),
                ],
                heading=_("Consents and photo"),
            ),
            MultiFieldPanel(
                [FieldPanel("case_reference")],
                heading=_("Restricted: coordinators only"),
            ),
        ],
        base_form_class=LearnerAdminForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "<int:pk>/password-link/",
                admin_views.LearnerPasswordLinkView.as_view(),
                name="password_link",
            )
        ]


# --- enrolments -------------------------------------------------------------------------------


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
    run = django_filters.ModelChoiceFilter(
        label=_("Class (run)"),
        queryset=CourseRun.objects.select_related("course").order_by("-start_date", "code"),
    )
    course = IdChoiceFilter(
        label=_("Course"),
        field_name="run__course",
        queryset=CoursePage.objects.order_by("title"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="run__course__category",
        queryset=Category.objects.order_by("name"),
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
    index_view_class = admin_views.EnrolmentIndexView
    add_view_class = admin_views.EnrolmentCreateView
    edit_view_class = admin_views.EnrolmentEditView
    inspect_view_class = admin_views.EnrolmentInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        "learner",
        Column("course", label=_("Course"), accessor="run.course.title"),
        Column("run_code", label=_("Class"), accessor="run.code", sort_key="run__code"),
        Column("status", label=_("Status"), accessor="get_status_display", sort_key="status"),
        Column("waitlist_position", label=_("Waitlist position")),
        DateColumn("created_at", label=_("Created"), sort_key="created_at"),
    ]
    ordering = "-created_at"
    filterset_class = EnrolmentFilterSet
    # Searched by EnrolmentIndexView.search_queryset (phone numbers by their digits).
    search_fields = ["learner__preferred_name", "learner__email", "learner__phone", "run__code"]
    list_per_page = 50
    list_export = [
        "learner.preferred_name",
        "run.code",
        "run.course.title",
        "get_status_display",
        "waitlist_position",
        "created_at",
        "updated_at",
        "run.start_date",
        "run.end_date",
    ]
    export_headings = {
        "learner.preferred_name": _("Learner"),
        "run.code": _("Class"),
        "run.course.title": _("Course"),
        "get_status_display": _("Status"),
        "waitlist_position": _("Waitlist position"),
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
            path("<int:pk>/approve/", admin_views.ApproveView.as_view(), name="approve"),
            path("<int:pk>/decline/", admin_views.DeclineView.as_view(), name="decline"),
            path("<int:pk>/withdraw/", admin_views.WithdrawView.as_view(), name="withdraw"),
            path("<int:pk>/move/", admin_views.MoveView.as_view(), name="move"),
            path("review/", admin_views.ReviewIndexView.as_view(), name="review"),
            path("review/<int:run_pk>/", admin_views.ReviewRunView.as_view(), name="review_run"),
            path("import/", admin_views.ImportView.as_view(), name="import"),
            path(
                "import/template.xlsx",
                admin_views.ImportTemplateView.as_view(),
                name="import_template",
            ),
        ]


class EnrolmentGroup(ViewSetGroup):
    menu_label = _("Enrolment")
    menu_icon = "group"
    menu_order = 220
    items = (EnrolmentViewSet, LearnerViewSet, AtRiskViewSet, RegistersNotTakenViewSet)


@hooks.register("register_admin_viewset")
def register_enrolment():
    return EnrolmentGroup()


@hooks.register("register_admin_viewset")
def register_achievements():
    return admin_certificates.AchievementsGroup()


@hooks.register("register_admin_viewset")
def register_sponsorship():
    return admin_sponsorship.SponsorshipGroup()


@hooks.register("register_course_run_list_buttons")
def course_run_certification_buttons(request, run):
    return admin_certificates.course_run_list_buttons(request, run)


@hooks.register("register_admin_viewset")
def register_learner_chooser():
    return admin_views.learner_chooser_viewset


# --- history ----------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_learner_log_actions(actions):
    @actions.register_action("enrolment.learner.edit")
    class LearnerEdited(LogFormatter):
        label = _("Edit learner")

        def format_message(self, log_entry):
            labels = []
            for name in (log_entry.data or {}).get("fields", []):
                try:
                    labels.append(str(capfirst(Learner._meta.get_field(name).verbose_name)))
                except FieldDoesNotExist:  # a field removed since: show its name
                    labels.append(name)
            if not labels:
                return _("Saved without changes")
            return _("Changed: %(fields)s") % {"fields": ", ".join(labels)}

    actions.register_action(
        "enrolment.learner.password_link",
        _("One-time password link"),
        _("One-time password link created"),
    )


# --- more seats, fewer people waiting ---------------------------------------------------------


@hooks.register("after_course_run_saved")
def promote_waitlist_after_run_saved(*, request, run):
    """A coordinator raised a run's capacity (or re-published it): seats go to the waitlist."""
    promoted = waitlist_promote(run=run, by=request.user)
    if promoted:
        messages.success(
            request,
            ngettext(
                "%(count)d person was promoted from the waitlist of %(code)s.",
                "%(count)d people were promoted from the waitlist of %(code)s.",
                len(promoted),
            )
            % {"count": len(promoted), "code": run.code},
        )


@hooks.register("register_log_actions")
def register_report_log_actions(actions):
    actions.register_action(
        "enrolment.report.share", _("Share with sponsors"), _("Shared with sponsors")
    )

    @actions.register_action("enrolment.report.unshare")
    class ReportUnshared(LogFormatter):
        label = _("Stop sharing with sponsors")

        def format_message(self, log_entry):
            reason = (log_entry.data or {}).get("reason", "")
            if reason == "edited":
                return _("No longer shared: what sponsors see was changed, to be reviewed again")
            if reason == "stopped":
                return _("No longer shared: a coordinator stopped sharing it")
            if reason:
                return _("No longer shared: %(reason)s") % {"reason": reason}
            return _("No longer shared")
