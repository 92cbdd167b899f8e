import django_filters
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from cms.admin_filters import IdChoiceFilter
from cms.admin_views import ProtectedDeleteMixin
from cms.choosers import SnippetViewSet
from cms.exports import SafeExportIndexView
from cms.forms import PeopleMultipleChoiceField, PlainTextMixin
from courses import admin_views
from courses.models import Category, CourseRun, Partner, Session, Venue, courses_once
from courses.services import run_clashes, session_check, session_clashes


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None  # the database, by name, like every other listing here


class PartnerViewSet(SnippetViewSet):
    model = Partner
    icon = "group"
    list_display = ["name", "website"]
    search_fields = ["name"]
    search_backend_name = None  # the database, by name, like every other listing here


class VenueDeleteView(ProtectedDeleteMixin, SnippetDeleteView):
    protected_message = _(
        "%(object)s is the venue of runs or sessions, so it stays. Move them to another venue "
        "first."
    )


class VenueViewSet(SnippetViewSet):
    delete_view_class = VenueDeleteView
    model = Venue
    icon = "site"
    list_display = ["name", "district"]
    search_fields = ["name", "district"]
    search_backend_name = None  # the database, by name, like every other listing here


class CatalogueGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (CategoryViewSet, PartnerViewSet, VenueViewSet)


class CourseRunFilterSet(WagtailFilterSet):
    start_date = django_filters.DateFromToRangeFilter(
        label=_("First day"), widget=DateRangePickerWidget
    )
    course = IdChoiceFilter(label=_("Course"), queryset=courses_once())

    class Meta:
        model = CourseRun
        fields = ["status", "mode", "course", "venue"]


class CourseRunIndexView(SafeExportIndexView):
    # The newest first: a run just created is at the top, not at the end of page two.
    default_ordering = "-start_date"

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("course", "venue")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("courses.add_session"):
            # A button of its own on the row (a ListingButton stays out of the "More" menu).
            buttons.append(
                ListingButton(
                    _("Generate sessions"),
                    url=reverse("course_runs:generate_sessions", args=[instance.pk]),
                    icon_name="date",
                    priority=15,
                )
            )
        buttons.append(
            MenuItem(
                _("Sessions"),
                url=reverse("course_sessions:index") + f"?run={instance.pk}",
                icon_name="calendar",
                priority=16,
            )
        )
        # Other apps add their actions on a run (close it, issue certificates) through this
        # hook, so that courses never imports them.
        for fn in hooks.get_hooks("register_course_run_list_buttons"):
            buttons += fn(self.request, instance)
        return buttons


class CourseRunCreateView(CreateView):
    """After creating a run, the next step is its sessions: the message says so, with the
    button to generate them."""

    def get_success_message(self, instance):
        return _(
            "Course run %(code)s created. It has no sessions yet: generate them from its "
            "schedule so that it appears on the timetable and the teachers' registers."
        ) % {"code": instance.code}

    def get_success_buttons(self):
        buttons = super().get_success_buttons()
        if self.request.user.has_perm("courses.add_session"):
            url = reverse("course_runs:generate_sessions", args=[self.object.pk])
            buttons.insert(0, messages.button(url, _("Generate sessions")))
        return buttons


class CourseRunEditView(EditView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("courses.add_session"):
            buttons.append(
                HeaderButton(
                    _("Generate sessions"),
                    url=reverse("course_runs:generate_sessions", args=[self.object.pk]),
                    icon_name="date",
                    priority=15,
                )
            )
        return buttons

    def save_instance(self):
        # Other apps react to a changed run (more seats free waitlist places) through this
        # hook, so that courses never imports them. One transaction: what they do in the
        # coordinator's name happens before anything waiting for the commit.
        with transaction.atomic():
            run = super().save_instance()
            for fn in hooks.get_hooks("after_course_run_saved"):
                fn(request=self.request, run=run)
        # Warned, not refused: the coordinator knows whether the overlap is real.
        admin_views.clashes_warn(self.request, run_clashes(run=run))
        return run


class CourseRunDeleteView(ProtectedDeleteMixin, DeleteView):
    protected_message = _(
        "%(object)s has enrolments, certificates or registers, so it stays. Set its status to "
        "cancelled or closed instead."
    )


class CourseRunViewSet(ModelViewSet):
    model = CourseRun
    icon = "date"
    url_prefix = "timetable/runs"
    url_namespace = "course_runs"
    menu_label = _("Course runs")
    index_view_class = CourseRunIndexView
    add_view_class = CourseRunCreateView
    edit_view_class = CourseRunEditView
    delete_view_class = CourseRunDeleteView
    list_display = ["code", "course", "start_date", "end_date", "schedule_label", "venue", "status"]
    filterset_class = CourseRunFilterSet
    # Lookups for the database, as the export's dotted "course.title" is not one.
    search_fields = ["code", "course__title"]
    list_export = [
        "code",
        "course.title",
        "start_date",
        "end_date",
        "schedule_label",
        "venue.name",
        "capacity",
        "mode",
        "status",
        "min_attendance_percent",
    ]
    export_headings = {
        "course.title": _("Course"),
        "schedule_label": _("Schedule"),
        "venue.name": _("Venue"),
    }
    export_filename = "course-runs"
    form_fields = [
        "course",
        "code",
        "start_date",
        "end_date",
        "weekdays",
        "start_time",
        "end_time",
        "venue",
        "teachers",
        "capacity",
        "enrolment_opens",
        "enrolment_closes",
        "mode",
        "status",
        "min_attendance_percent",
        "absence_alert_after",
        "pass_mark",
        "offer_hold_hours",
        "transport_per_session",
    ]
    copy_view_enabled = False

    def formfield_for_dbfield(self, db_field, **kwargs):
        # Teachers by name ("Grace Mbuyi"), as cms.wagtail_hooks names accounts in panel forms.
        if db_field.name == "teachers":
            kwargs["form_class"] = PeopleMultipleChoiceField
        return super().formfield_for_dbfield(db_field, **kwargs)

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "<int:pk>/generate-sessions/",
                admin_views.generate_sessions,
                name="generate_sessions",
            )
        ]


class SessionFilterSet(WagtailFilterSet):
    date = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    # Each run's label names its course: fetch them together, not one query per option.
    run = django_filters.ModelChoiceFilter(
        label=_("Run"), queryset=CourseRun.objects.select_related("course")
    )

    class Meta:
        model = Session
        fields = ["run", "status"]


class SessionAdminForm(PlainTextMixin, WagtailAdminModelForm):
    def clean(self):
        data = super().clean()
        try:
            session_check(
                status=data.get("status", ""),
                note=data.get("note", ""),
                start_time=data.get("start_time"),
                end_time=data.get("end_time"),
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return data


class SessionEditView(EditView):
    def save_instance(self):
        session = super().save_instance()
        admin_views.clashes_warn(self.request, session_clashes(session=session))
        return session


class SessionIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("run", "run__course")


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "calendar"
    url_prefix = "timetable/sessions"
    url_namespace = "course_sessions"
    menu_label = _("Sessions")
    index_view_class = SessionIndexView
    edit_view_class = SessionEditView
    list_display = ["run", "date", "start_time", "end_time", "status", "note"]
    filterset_class = SessionFilterSet
    list_per_page = 50
    search_fields = ["run__code", "note"]
    list_export = ["run.code", "date", "start_time", "end_time", "status", "note"]
    export_headings = {"run.code": _("Run")}
    export_filename = "sessions"
    edit_handler = ObjectList(
        [
            FieldPanel(name)
            for name in ["run", "date", "start_time", "end_time", "venue", "status", "note"]
        ],
        base_form_class=SessionAdminForm,
    )
    copy_view_enabled = False


class TimetableGroup(ViewSetGroup):
    menu_label = _("Timetable")
    menu_icon = "date"
    menu_order = 210
    items = (CourseRunViewSet, SessionViewSet)


@hooks.register("register_admin_viewset")
def register_catalogue():
    return CatalogueGroup()


@hooks.register("register_admin_viewset")
def register_timetable():
    return TimetableGroup()
