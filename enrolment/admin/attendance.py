"""The coordinators' attendance pages in the admin: who is at risk, which registers nobody
took. Each narrows by class or course with GET filters and downloads as XLSX; by default they
look at the published classes under way. Only people with enrolment.view_attendance (the
Coordinators group) see them."""

from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from cms.admin_filters import IdChoiceField, offer_only
from cms.exports import attachment
from courses.choices import RunStatus
from courses.models import CoursePage, CourseRun, courses_once, run_is_recent
from enrolment.services.access_log import access_log_exported
from enrolment.services.at_risk import at_risk_of, at_risk_queryset
from enrolment.services.attendance_reports import (
    at_risk_rows,
    at_risk_workbook,
    registers_not_taken_rows,
    registers_not_taken_workbook,
    runs_under_way,
    teacher_names,
)

PERMISSION = "enrolment.view_attendance"
PER_PAGE = 50


class AttendanceFilterForm(forms.Form):
    run = IdChoiceField(
        label=_("Class (run)"),
        required=False,
        empty_label=_("All classes under way"),
        queryset=CourseRun.objects.none(),
    )
    course = IdChoiceField(
        label=_("Course"),
        required=False,
        empty_label=_("All courses"),
        queryset=CoursePage.objects.none(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        # Any published class that has started, so a finished one can still be looked up.
        self.fields["run"].queryset = CourseRun.objects.filter(
            status=RunStatus.PUBLISHED, start_date__lte=today
        ).as_choices()
        self.fields["course"].queryset = courses_once()
        offer_only(self.fields["run"], run_is_recent(today), self.data.get("run"))

    def runs(self):
        """The runs to report on: the chosen class, else the classes under way (of the chosen
        course). An invalid choice reports on nothing rather than on everything."""
        if not self.is_valid():
            return CourseRun.objects.none()
        run, course = self.cleaned_data.get("run"), self.cleaned_data.get("course")
        runs = CourseRun.objects.filter(pk=run.pk) if run else runs_under_way()
        return runs.filter(course=course) if course else runs


class AttendanceReportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """A filterable report; ``?export=xlsx`` with the same filters downloads it."""

    permission_required = PERMISSION
    raise_exception = True
    filename = ""

    @cached_property
    def form(self) -> AttendanceFilterForm:
        return AttendanceFilterForm(self.request.GET)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def rows(self) -> list:
        """Every row, for the download."""
        raise NotImplementedError

    def queryset(self) -> QuerySet:
        """The rows as a queryset, paged in the database for the page."""
        raise NotImplementedError

    def page_rows(self, objects: list) -> list:
        """A page's objects as the template's rows."""
        return objects

    def page(self) -> Page:
        page = Paginator(self.queryset(), PER_PAGE).get_page(self.request.GET.get("p"))
        page.object_list = self.page_rows(list(page.object_list))
        return page

    def workbook(self, rows: list) -> bytes:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            day = timezone.localdate().isoformat()
            rows, name = self.rows(), f"{self.filename}-{day}.xlsx"
            access_log_exported(user=request.user, what=name, rows=len(rows))
            return attachment(self.workbook(rows), filename=name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("p", None)
        query["export"] = "xlsx"
        page = self.page()
        context.update(
            form=self.form,
            rows=page.object_list,
            page_obj=page,
            total=page.paginator.count,
            export_url=f"?{query.urlencode()}",
            filtered=any(self.request.GET.get(name) for name in self.form.fields),
        )
        return context


@method_decorator(never_cache, name="dispatch")
class AtRiskView(AttendanceReportView):
    template_name = "enrolment/admin/attendance/at_risk.html"
    page_title = _("At risk")
    header_icon = "warning"
    filename = "at-risk"

    def rows(self):
        return at_risk_rows(runs=self.form.runs())

    def queryset(self):
        return at_risk_queryset(runs=self.form.runs())

    def page_rows(self, objects):
        return [at_risk_of(enrolment) for enrolment in objects]

    def workbook(self, rows):
        return at_risk_workbook(rows)


@method_decorator(never_cache, name="dispatch")
class RegistersNotTakenView(AttendanceReportView):
    template_name = "enrolment/admin/attendance/registers_not_taken.html"
    page_title = _("Registers not taken")
    header_icon = "calendar-check"
    filename = "registers-not-taken"

    def rows(self):
        return list(self.queryset())

    def queryset(self):
        return registers_not_taken_rows(user=self.request.user, runs=self.form.runs())

    def page_rows(self, objects):
        for session in objects:
            session.teacher_names = teacher_names(session)
        return objects

    def workbook(self, rows):
        return registers_not_taken_workbook(rows)


class AttendanceReportViewSet(ViewSet):
    """One report as an item of the Enrolment menu, shown to those who may read attendance."""

    view_class: type[AttendanceReportView]

    def get_urlpatterns(self):
        return [path("", self.view_class.as_view(), name="index")]

    @cached_property
    def menu_item_class(self):
        class ReportMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm(PERMISSION)

        return ReportMenuItem


class AtRiskViewSet(AttendanceReportViewSet):
    name = "at_risk"
    url_prefix = "enrolment/at-risk"
    icon = "warning"
    menu_label = _("At risk")
    view_class = AtRiskView


class RegistersNotTakenViewSet(AttendanceReportViewSet):
    name = "registers_not_taken"
    url_prefix = "enrolment/registers-not-taken"
    icon = "calendar-check"
    menu_label = _("Registers not taken")
    view_class = RegistersNotTakenView
