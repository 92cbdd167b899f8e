"""Transport fares to pay back, for coordinators: per period (a month by default) and
optionally one class; who, how many sessions they attended and how much, with totals, and the
same as an XLSX for payment. The sums are enrolment.services.transport's, made in the database.
"""

import datetime as dt

from django import forms
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem as AdminMenuItem
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from cms.exports import attachment
from cms.validators import EARLIEST_YEAR, LATEST_YEAR
from courses.models import CourseRun
from enrolment.services.access_log import access_log_exported
from enrolment.services.transport import (
    transport_reimbursements,
    transport_totals,
    transport_workbook,
)

PERMISSION = "enrolment.view_attendance"
PER_PAGE = 50
LONGEST_PERIOD = dt.timedelta(days=366)


def _month(today: dt.date) -> tuple[dt.date, dt.date]:
    first = today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


class TransportFilterForm(forms.Form):
    run = forms.ModelChoiceField(
        label=gettext_lazy("Class (run)"),
        required=False,
        empty_label=gettext_lazy("All classes that pay fares"),
        queryset=CourseRun.objects.none(),
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = (
            CourseRun.objects.filter(transport_per_session__gt=0)
            .select_related("course")
            .order_by("-start_date", "code")
        )

    def clean(self):
        data = super().clean()
        month = _month(timezone.localdate())
        start, end = data.get("start") or month[0], data.get("end") or month[1]
        for name, value in (("start", start), ("end", end)):
            if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                self.add_error(
                    name,
                    _("Give a date between %(first)d and %(last)d.")
                    % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
                )
        if end < start:
            self.add_error("end", _("The end of the period comes before its start."))
        elif end - start > LONGEST_PERIOD:
            self.add_error("end", _("Choose a period of at most a year."))
        data["start"], data["end"] = start, end
        return data


@method_decorator(never_cache, name="dispatch")
class TransportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The report; ``?export=xlsx`` with the same filters downloads it."""

    permission_required = PERMISSION
    raise_exception = True
    template_name = "enrolment/admin/support/transport.html"
    page_title = gettext_lazy("Transport fares")
    header_icon = "decimal"

    @cached_property
    def form(self) -> TransportFilterForm:
        return TransportFilterForm(self.request.GET)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    def period(self) -> dict | None:
        """start, end and run, as chosen; None while the choice is wrong."""
        if not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        return {"start": data["start"], "end": data["end"], "run": data["run"]}

    def get(self, request, *args, **kwargs):
        period = self.period()
        if request.GET.get("export") == "xlsx" and period is not None:
            content = transport_workbook(**period)
            name = f"transport-fares-{period['start'].isoformat()}-{period['end'].isoformat()}.xlsx"
            rows = transport_reimbursements(**period).count()
            access_log_exported(user=request.user, what=name, rows=rows)
            return attachment(content, filename=name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = self.period()
        page = totals = None
        if period is not None:
            paginator = Paginator(transport_reimbursements(**period), PER_PAGE)
            page = paginator.get_page(self.request.GET.get("p"))
            page.object_list = list(page.object_list)
            totals = transport_totals(**period)
        query = self.request.GET.copy()
        query.pop("p", None)
        query["export"] = "xlsx"
        context.update(
            form=self.form,
            page_obj=page,
            elided_page_range=(
                page.paginator.get_elided_page_range(page.number) if page is not None else []
            ),
            totals=totals,
            export_url=f"?{query.urlencode()}",
            filtered=any(self.request.GET.get(name) for name in self.form.fields),
        )
        return context


class TransportViewSet(ViewSet):
    """The report as an item of the Reports menu, shown to those who may read attendance."""

    name = "transport_fares"
    url_prefix = "enrolment/transport-fares"
    icon = "decimal"
    menu_label = gettext_lazy("Transport fares")
    menu_hook = "register_reports_menu_item"

    def get_urlpatterns(self):
        return [path("", TransportView.as_view(), name="index")]

    @cached_property
    def menu_item_class(self):
        class TransportMenuItem(AdminMenuItem):
            def is_shown(self, request):
                return request.user.has_perm(PERMISSION)

        return TransportMenuItem


def transport_run_buttons(user, run: CourseRun) -> list[MenuItem]:
    """ "Transport fares" on a run that pays them back, for those who may read the report."""
    if not (run.transport_per_session > 0 and user.has_perm(PERMISSION)):
        return []
    start = run.start_date
    end = min(run.end_date, start + LONGEST_PERIOD)
    query = f"?run={run.pk}&start={start.isoformat()}&end={end.isoformat()}"
    return [
        MenuItem(
            _("Transport fares"),
            url=reverse("transport_fares:index") + query,
            icon_name="decimal",
            priority=33,
        )
    ]
