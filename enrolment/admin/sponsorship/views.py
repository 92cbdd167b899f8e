"""Sponsorship admin views shared or standing alone: the mixin that makes a create or edit
view go through the services, the funding worklist (which children wait for a
sponsor, which are under-funded) and the review of a progress report before sponsors see it."""

from urllib.parse import urlencode

from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet

from cms.exports import attachment
from enrolment.forms.base import add_service_error
from enrolment.models import ProgressReport
from enrolment.models.schools import school_year_choices, school_year_label, school_year_of
from enrolment.services.access_log import access_log_exported
from enrolment.services.funding import (
    FundingStatus,
    funding_needs_standings,
    funding_rows_of,
    funding_workbook,
)
from enrolment.services.identity_check import Match, field_label, report_identity_matches
from enrolment.services.sponsor_portal import first_name, report_for_sponsors
from enrolment.services.sponsorship import SponsorshipError, report_share, report_unshare

FUNDING_PERMISSION = "enrolment.view_sponsorship"


# --- create, edit and delete through the services ---------------------------------------------


class ServiceSaveMixin:
    """A create or edit view whose save is a service call: the service checks, saves and
    logs (so Wagtail's own action, which would log again, is not used), and its refusal
    becomes a form error with nothing saved."""

    def save_instance(self):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except SponsorshipError as error:
            add_service_error(form, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


# --- funding ----------------------------------------------------------------------------------


PER_PAGE = 50  # children a page of the funding list


def funding_status_choices():
    return [
        ("", gettext_lazy("All")),
        *(
            (status, FundingStatus.LABELS[status])
            for status in (
                FundingStatus.WAITING,
                FundingStatus.UNDER_FUNDED,
                FundingStatus.NO_PLACEMENT,
            )
        ),
    ]


class FundingFilterForm(forms.Form):
    school_year = forms.TypedChoiceField(
        label=gettext_lazy("School year"), coerce=int, choices=school_year_choices, required=False
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), choices=funding_status_choices, required=False
    )


@method_decorator(never_cache, name="dispatch")
class FundingView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """The children whose school year is not fully paid for, neediest first; ``?export=xlsx``
    with the same filters downloads it. A filter value that makes no sense is reported and
    left out, never a server error."""

    permission_required = FUNDING_PERMISSION
    raise_exception = True
    template_name = "enrolment/admin/sponsorship/funding.html"
    page_title = gettext_lazy("Funding")
    header_icon = "pick"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]

    @cached_property
    def form(self) -> FundingFilterForm:
        data = self.request.GET.copy()
        if not data.get("school_year"):
            data["school_year"] = str(school_year_of(timezone.localdate()))
        return FundingFilterForm(data)

    @cached_property
    def filters(self) -> tuple[int, str, list[str]]:
        """The school year and status to show, and what was wrong with the request's: a bad
        value falls back to the default."""
        form = self.form
        form.is_valid()
        problems = []
        year = form.cleaned_data.get("school_year")
        if year is None:
            year = school_year_of(timezone.localdate())
            problems.append(
                _("That school year is not one to choose from: showing %(year)s.")
                % {"year": school_year_label(year)}
            )
        status = form.cleaned_data.get("status")
        if status is None:
            status = ""
            problems.append(_("That status is not one to choose from: showing all."))
        return year, status, problems

    @cached_property
    def standings(self):
        year, status, _problems = self.filters
        return funding_needs_standings(school_year=year, status=status)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            year = self.filters[0]
            rows = funding_rows_of(self.standings, school_year=year)
            name = f"funding-{year}.xlsx"
            access_log_exported(user=request.user, what=name, rows=len(rows))
            return attachment(funding_workbook(rows), filename=name)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year, status, problems = self.filters
        for problem in problems:
            messages.warning(self.request, problem)
        query = {"school_year": year, "export": "xlsx"}
        if status:
            query["status"] = status
        # Every child is ordered and counted from plain values; only the page's children get
        # their school, sponsors and payments read.
        page = Paginator(self.standings, PER_PAGE).get_page(self.request.GET.get("p"))
        rows = funding_rows_of(list(page.object_list), school_year=year)
        context.update(
            form=self.form,
            rows=[(row, reverse("learners:edit", args=[quote(row.child.pk)])) for row in rows],
            page_obj=page,
            total=page.paginator.count,
            year_label=school_year_label(year),
            total_gap=sum((row.gap for row in self.standings), 0),
            export_url="?" + urlencode(query),
            filtered=bool(status) or year != school_year_of(timezone.localdate()),
        )
        return context


class FundingViewSet(ViewSet):
    name = "funding"
    url_prefix = "sponsorship/funding"
    icon = "pick"
    menu_label = gettext_lazy("Funding")

    def get_urlpatterns(self):
        return [path("", FundingView.as_view(), name="index")]

    @cached_property
    def menu_item_class(self):
        class FundingMenuItem(MenuItem):
            def is_shown(self, request):
                return request.user.has_perm(FUNDING_PERMISSION)

        return FundingMenuItem


# --- reviewing a report before sponsors see it ------------------------------------------------


def highlighted(text: str, matches: list[Match]) -> SafeString:
    """The text escaped, its line breaks kept, each match in <mark>."""
    parts, at = [], 0
    for match in sorted(matches, key=lambda m: m.start):
        if match.start < at:  # overlapping: already inside a mark
            continue
        parts += [escape(text[at : match.start]), format_html("<mark>{}</mark>", match.text)]
        at = match.end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # every part escaped above


def highlighted_preview(preview, matches: list[Match]) -> dict:
    """The comment and each subject and grade as HTML, what names the child marked."""

    def mark(field: str, text: str) -> SafeString:
        return highlighted(text, [m for m in matches if m.field == field])

    return {
        "comment": mark("teacher_comment", preview.teacher_comment),
        "grades": [
            (mark(f"grades.{i}.subject", subject), mark(f"grades.{i}.grade", grade))
            for i, (subject, grade) in enumerate(preview.grades)
        ],
        "matches": [
            {"text": m.text, "kind": m.kind_label, "where": field_label(m.field)} for m in matches
        ],
    }


@method_decorator(never_cache, name="dispatch")
class ReportShareView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Show exactly what sponsors will see; share or stop sharing on POST."""

    permission_required = "enrolment.change_progressreport"
    raise_exception = True
    template_name = "enrolment/admin/sponsorship/report_share.html"
    page_title = gettext_lazy("Review and share")
    header_icon = "view"

    @cached_property
    def report(self) -> ProgressReport:
        return get_object_or_404(
            ProgressReport.objects.select_related("child", "shared_by"), pk=self.kwargs["pk"]
        )

    @property
    def url(self) -> str:
        return reverse("progress_reports:share", args=[quote(self.report.pk)])

    def get_page_subtitle(self):
        return str(self.report)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("progress_reports:index"), "label": _("Progress reports")},
            {
                "url": reverse("progress_reports:edit", args=[quote(self.report.pk)]),
                "label": str(self.report),
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = report_for_sponsors(
            reports=ProgressReport.objects.all(), report_id=self.report.pk
        )
        context.update(
            report=self.report,
            first_name=first_name(self.report.child.preferred_name),
            preview=preview,
            marked=highlighted_preview(preview, report_identity_matches(report=self.report)),
            consent=self.report.child.consent_share_progress,
            edit_url=reverse("progress_reports:edit", args=[quote(self.report.pk)]),
            learner_url=reverse("learners:edit", args=[quote(self.report.child_id)]),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        name = self.report.child.preferred_name
        try:
            if action == "share":
                report_share(report=self.report, by=request.user)
                messages.success(
                    request,
                    _("The report is shared: %(name)s's sponsors can read it now.")
                    % {"name": name},
                )
            elif action == "unshare":
                report_unshare(report=self.report, by=request.user, reason="stopped")
                messages.success(
                    request,
                    _("The report is no longer shared: %(name)s's sponsors cannot see it.")
                    % {"name": name},
                )
            else:
                messages.error(request, _("Choose whether to share the report or stop sharing it."))
        except SponsorshipError as error:
            messages.error(request, error.message)
        return redirect(self.url)
