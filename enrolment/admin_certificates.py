"""The coordinators' admin for what learners achieved: closing a run, overriding a completion,
the certificates register (issue, revoke) and qualifications from outside the centre.

Every change goes through enrolment.services.certification or .qualifications; these views
only collect the decision, preview what will happen, show a refusal as a form error and report
the outcome. A refusal changes nothing.
"""

import datetime as dt

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Case, CharField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput
from wagtail.admin.widgets.button import Button

from cms.admin_filters import IdChoiceFilter
from cms.exports import SafeExportIndexView
from courses.choices import Level, RunStatus
from courses.models import CoursePage, CourseRun, Partner
from enrolment.admin_forms import ApproveForm
from enrolment.admin_views import EnrolmentActionView, learner_chooser_viewset
from enrolment.models import (
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Learner,
    Qualification,
    QualificationKind,
)
from enrolment.services.certification import (
    CertificationError,
    certificate_issue,
    certificate_revoke,
    certificates_issue_for_run,
    completion_override,
    completion_verdict,
    run_close,
)
from enrolment.services.errors import EnrolmentError
from enrolment.services.qualifications import (
    GED_SUBJECTS,
    IELTS_SKILLS,
    QualificationError,
    qualification_record_ged,
    qualification_record_ielts,
    qualification_record_partner_level,
)
from enrolment.services.registers import attendance_summaries

S = EnrolmentStatus
ACTION_TEMPLATE = "enrolment/admin/certification_action.html"


def _runs_crumb():
    return {"url": reverse("course_runs:index"), "label": _("Course runs")}


def _certificates_crumb():
    return {"url": reverse("certificates:index"), "label": _("Certificates")}


# --- menu items offered elsewhere -------------------------------------------------------------


def run_action_items(user, run: CourseRun, *, today: dt.date | None = None) -> list[MenuItem]:
    """Close a finished run; issue the certificates of a closed one."""
    today = today or timezone.localdate()
    items = []
    if (
        user.has_perm("courses.change_courserun")
        and run.status == RunStatus.PUBLISHED
        and run.end_date <= today
    ):
        items.append(
            MenuItem(
                _("Close run"),
                url=reverse("certificates:close_run", args=[run.pk]),
                icon_name="lock",
                priority=30,
            )
        )
    if user.has_perm("enrolment.add_certificate") and run.status == RunStatus.CLOSED:
        items.append(
            MenuItem(
                _("Issue certificates"),
                url=reverse("certificates:issue_for_run", args=[run.pk]),
                icon_name="doc-full",
                priority=31,
            )
        )
    return items


def course_run_list_buttons(request, run: CourseRun) -> list[MenuItem]:
    """For the course-run listing, through courses' "register_course_run_list_buttons" hook."""
    return run_action_items(request.user, run)


def certification_action_items(user, enrolment: Enrolment) -> list[MenuItem]:
    """Override the outcome of a closed run's enrolment; issue its certificate.

    The enrolment should come with its certificate joined (select_related("certificate")),
    or this costs one query per enrolment."""
    items = []
    pk = quote(enrolment.pk)
    if enrolment.status in (S.COMPLETED, S.NOT_COMPLETED) and user.has_perm(
        "enrolment.change_enrolment"
    ):
        items.append(
            MenuItem(
                _("Override completion"),
                reverse("certificates:override", args=[pk]),
                icon_name="edit",
                priority=70,
            )
        )
    if (
        enrolment.status == S.COMPLETED
        and user.has_perm("enrolment.add_certificate")
        and not hasattr(enrolment, "certificate")
    ):
        items.append(
            MenuItem(
                _("Issue certificate"),
                reverse("certificates:issue", args=[pk]),
                icon_name="doc-full",
                priority=71,
            )
        )
    return items


# --- closing a run, issuing its certificates --------------------------------------------------


class RunActionView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Preview what will happen to each learner of a run, then do it on POST."""

    raise_exception = True
    template_name = ACTION_TEMPLATE
    form_class = ApproveForm  # nothing to fill in: the POST is the confirmation
    header_icon = "date"
    submit_label = ""
    explanation = ""

    @cached_property
    def run(self) -> CourseRun:
        return get_object_or_404(CourseRun.objects.select_related("course"), pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.run.code} – {self.run.course.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [_runs_crumb(), {"url": "", "label": self.get_page_title()}]

    @property
    def listing_url(self) -> str:
        return reverse("enrolments:index") + f"?run={self.run.pk}"

    def rows(self) -> list[tuple[str, str, str]]:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            run=self.run,
            rows=self.rows(),
            row_headings=[_("Learner"), _("Outcome"), _("Why")],
            submit_label=self.submit_label,
            explanation=self.explanation,
            cancel_url=reverse("course_runs:index"),
        )
        return context


class CloseRunView(RunActionView):
    permission_required = "courses.change_courserun"
    page_title = gettext_lazy("Close run")
    submit_label = gettext_lazy("Close the run")
    explanation = gettext_lazy(
        "Each enrolled learner completes or not by the run's rules: attendance at or above "
        "its minimum, and a result at or above the pass mark where it has one. Anyone still "
        "waiting or applying is withdrawn. Outcomes can be overridden afterwards, with a reason."
    )

    def rows(self):
        enrolments = list(
            Enrolment.objects.filter(run=self.run)
            .active()
            .select_related("learner", "result")
            .order_by("learner__preferred_name", "pk")
        )
        summaries = attendance_summaries(
            enrolment_ids=[e.pk for e in enrolments if e.status == S.ENROLLED]
        )
        rows = []
        for enrolment in enrolments:
            name = enrolment.learner.preferred_name
            if enrolment.status != S.ENROLLED:
                rows.append((name, str(S.WITHDRAWN.label), _("The class has finished.")))
                continue
            verdict = completion_verdict(
                run=self.run,
                attendance_percent=summaries[enrolment.pk].percent,
                result=getattr(enrolment, "result", None),
            )
            outcome = S.COMPLETED if verdict.completed else S.NOT_COMPLETED
            rows.append((name, str(outcome.label), verdict.reason))
        return rows

    def form_valid(self, form):
        try:
            outcome = run_close(run=self.run, by=self.request.user)
        except CertificationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(code)s is closed: %(completed)d completed, %(not_completed)d not completed, "
                "%(withdrawn)d withdrawn."
            )
            % {
                "code": self.run.code,
                "completed": len(outcome.completed),
                "not_completed": len(outcome.not_completed),
                "withdrawn": len(outcome.withdrawn),
            },
        )
        return redirect(self.listing_url)


class IssueForRunView(RunActionView):
    permission_required = "enrolment.add_certificate"
    page_title = gettext_lazy("Issue certificates")
    header_icon = "doc-full"
    submit_label = gettext_lazy("Issue certificates")
    explanation = gettext_lazy(
        "A certificate is issued for every completed enrolment of this run that has none yet."
    )

    def rows(self):
        enrolments = (
            Enrolment.objects.filter(run=self.run, status__in=[S.COMPLETED, S.NOT_COMPLETED])
            .select_related("learner", "certificate")
            .order_by("learner__preferred_name", "pk")
        )
        rows = []
        for enrolment in enrolments:
            name = enrolment.learner.preferred_name
            if enrolment.status != S.COMPLETED:
                rows.append((name, _("No certificate"), _("Not completed.")))
            elif hasattr(enrolment, "certificate"):
                rows.append((name, _("Already has one"), enrolment.certificate.number))
            else:
                rows.append((name, _("Will be issued"), ""))
        return rows

    def form_valid(self, form):
        try:
            outcome = certificates_issue_for_run(run=self.run, by=self.request.user)
        except CertificationError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(issued)d issued, %(already)d already had one, %(not_completed)d not completed.")
            % {
                "issued": len(outcome.issued),
                "already": outcome.already,
                "not_completed": outcome.not_completed,
            },
        )
        return redirect(reverse("certificates:index") + f"?run={self.run.pk}")


# --- one enrolment: override, issue -----------------------------------------------------------


class OverrideForm(forms.Form):
    completed = forms.TypedChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[("yes", gettext_lazy("Completed")), ("no", gettext_lazy("Not completed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy("Kept in the enrolment's history."),
    )


class OverrideView(EnrolmentActionView):
    form_class = OverrideForm
    page_title = gettext_lazy("Override completion")
    submit_label = gettext_lazy("Override")
    explanation = gettext_lazy(
        "A decision against the run's rules, either way. The reason is kept in the history."
    )

    def get_initial(self):
        # Offer the other outcome: that is what an override is for.
        return {"completed": "no" if self.enrolment.status == S.COMPLETED else "yes"}

    def perform(self, form):
        return completion_override(
            enrolment=self.enrolment,
            completed=form.cleaned_data["completed"],
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )


class IssueCertificateView(EnrolmentActionView):
    permission_required = "enrolment.add_certificate"
    form_class = ApproveForm
    page_title = gettext_lazy("Issue certificate")
    header_icon = "doc-full"
    submit_label = gettext_lazy("Issue certificate")
    explanation = gettext_lazy(
        "The certificate carries the learner's legal name (or preferred name if none is on "
        "file), the course and the dates, as they are now."
    )

    def form_valid(self, form):
        try:
            certificate = certificate_issue(enrolment=self.enrolment, by=self.request.user)
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Certificate %(number)s issued to %(name)s.")
            % {"number": certificate.number, "name": certificate.holder_name},
        )
        return redirect(self.inspect_url)


# --- the certificates register ----------------------------------------------------------------


def year_choices():
    this_year = timezone.localdate().year
    return [(str(year), str(year)) for year in range(this_year, this_year - 10, -1)]


class CertificateFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label=gettext_lazy("Year"), choices=year_choices)  # issued
    course = IdChoiceFilter(
        label=gettext_lazy("Course"),
        field_name="enrolment__run__course",
        queryset=CoursePage.objects.order_by("title"),
    )
    run = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Class (run)"),
        field_name="enrolment__run",
        queryset=CourseRun.objects.select_related("course").order_by("-start_date", "code"),
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


class CertificateInspectView(InspectView):
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


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,  # the service refuses an empty one, with its own message
        help_text=gettext_lazy("Kept on record; the public check only says “revoked”."),
    )


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
            _certificates_crumb(),
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


class CertificateViewSet(ModelViewSet):
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
        DateColumn("issued_at", label=gettext_lazy("Issued"), sort_key="issued_at"),
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
            path("runs/<int:pk>/issue/", IssueForRunView.as_view(), name="issue_for_run"),
            path("enrolments/<int:pk>/override/", OverrideView.as_view(), name="override"),
            path("enrolments/<int:pk>/issue/", IssueCertificateView.as_view(), name="issue"),
        ]


# --- qualifications ---------------------------------------------------------------------------


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
        return Qualification.objects.select_related("learner")

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None


class QualificationInspectView(InspectView):
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


class QualificationForm(forms.Form):
    learner = forms.ModelChoiceField(label=gettext_lazy("Learner"), queryset=Learner.objects.none())
    taken_on = forms.DateField(label=gettext_lazy("Date of the test"), widget=AdminDateInput)
    reference = forms.CharField(
        label=gettext_lazy("Candidate or certificate number"), max_length=60, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = Learner.objects.for_user(user)
        self.fields["learner"].widget = learner_chooser_viewset.widget_class()

    def record(self, by) -> Qualification:
        raise NotImplementedError


class GedForm(QualificationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for subject, label in GED_SUBJECTS.items():
            self.fields[subject] = forms.IntegerField(
                label=label, widget=forms.NumberInput(attrs={"min": 100, "max": 200})
            )

    def record(self, by):
        data = self.cleaned_data
        return qualification_record_ged(
            learner=data["learner"],
            scores={subject: data[subject] for subject in GED_SUBJECTS},
            taken_on=data["taken_on"],
            reference=data["reference"],
            by=by,
        )


class IeltsForm(QualificationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for skill, label in IELTS_SKILLS.items():
            self.fields[skill] = forms.DecimalField(
                label=label, widget=forms.NumberInput(attrs={"min": 0, "max": 9, "step": "0.5"})
            )

    def record(self, by):
        data = self.cleaned_data
        return qualification_record_ielts(
            learner=data["learner"],
            bands={skill: data[skill] for skill in IELTS_SKILLS},
            taken_on=data["taken_on"],
            reference=data["reference"],
            by=by,
        )


class PartnerLevelForm(QualificationForm):
    level = forms.ChoiceField(
        label=gettext_lazy("CEFR level"),
        choices=[(value, label) for value, label in Level.choices if value != Level.NONE],
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Awarded by"), queryset=Partner.objects.order_by("name")
    )

    def record(self, by):
        data = self.cleaned_data
        return qualification_record_partner_level(
            learner=data["learner"],
            level=data["level"],
            partner=data["partner"],
            taken_on=data["taken_on"],
            reference=data["reference"],
            by=by,
        )


QUALIFICATION_FORMS = {
    QualificationKind.GED: GedForm,
    QualificationKind.IELTS: IeltsForm,
    QualificationKind.PARTNER_LEVEL: PartnerLevelForm,
}


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

    template_name = "enrolment/admin/qualification_kind.html"
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
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(kind)s recorded for %(learner)s.")
            % {"kind": self.kind.label, "learner": qualification.learner.preferred_name},
        )
        return redirect("qualifications:index")


class QualificationViewSet(ModelViewSet):
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
        DateColumn("taken_on", label=gettext_lazy("Date of the test"), sort_key="taken_on"),
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
