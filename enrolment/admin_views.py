"""The coordinators' admin screens for learners and enrolments.

Every change of an enrolment's status goes through a service in enrolment.services.enrolling;
these views only collect the decision, show the service's refusal as a form error, and report
what happened. Objects are fetched through `for_user` querysets, like everywhere else.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    ExpressionWrapper,
    Q,
    Value,
)
from django.db.models.functions import Cast, Concat
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.log_actions import log

from cms.exports import SafeExportIndexView, attachment
from courses.models import CourseRun
from enrolment.admin_forms import (
    ApproveForm,
    BulkReviewForm,
    ImportForm,
    MoveForm,
    ReasonForm,
)
from enrolment.admin_mixins import ProtectedDeleteMixin
from enrolment.models import Enrolment, EnrolmentStatus, Learner
from enrolment.services.accounts import learner_set_password_link
from enrolment.services.enrolling import (
    enrolment_approve,
    enrolment_create,
    enrolment_decline,
    enrolment_move,
    enrolment_withdraw,
    waitlist_position,
)
from enrolment.services.errors import AccountError, EnrolmentError
from enrolment.services.spreadsheets import (
    MAX_BYTES,
    MAX_ROWS,
    enrolments_import,
    enrolments_import_template,
    import_instructions,
)

S = EnrolmentStatus


def _enrolments_crumb():
    return {"url": reverse("enrolments:index"), "label": _("Enrolments")}


def search_condition(query: str, *, text_fields: list[str], phone_fields: list[str]) -> Q:
    """Text fields matched as typed; phone numbers by their digits, so that "9123 4567"
    finds the "+85291234567" on file."""
    condition = Q()
    for field in text_fields:
        condition |= Q(**{f"{field}__icontains": query})
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) >= 4:
        for field in phone_fields:
            condition |= Q(**{f"{field}__contains": digits})
    return condition


def status_sentence(enrolment: Enrolment) -> str:
    """What the new status means, in a sentence for a message to the coordinator."""
    values = {"learner": enrolment.learner.preferred_name, "code": enrolment.run.code}
    if enrolment.status == S.ENROLLED:
        return _("%(learner)s is enrolled in %(code)s.") % values
    if enrolment.status == S.WAITLISTED:
        values["position"] = waitlist_position(enrolment=enrolment)
        return _("%(code)s is full: %(learner)s is on its waitlist, position %(position)s.") % (
            values
        )
    if enrolment.status == S.APPLIED:
        return _("%(learner)s's application for %(code)s waits for review.") % values
    if enrolment.status == S.DECLINED:
        return _("%(learner)s's application for %(code)s was declined.") % values
    if enrolment.status == S.WITHDRAWN:
        return _("%(learner)s was withdrawn from %(code)s.") % values
    return _("%(learner)s in %(code)s: %(status)s.") % {
        **values,
        "status": enrolment.get_status_display(),
    }


# --- actions on one enrolment -----------------------------------------------------------------


def enrolment_action_items(enrolment: Enrolment) -> list[MenuItem]:
    """The status changes that make sense for this enrolment now, as menu items."""
    pk = quote(enrolment.pk)
    items = []
    if enrolment.status == S.APPLIED:
        items.append(
            MenuItem(_("Approve"), reverse("enrolments:approve", args=[pk]), icon_name="check")
        )
    if enrolment.status in (S.APPLIED, S.WAITLISTED):
        items.append(
            MenuItem(_("Decline"), reverse("enrolments:decline", args=[pk]), icon_name="cross")
        )
    if enrolment.is_active:
        items += [
            MenuItem(_("Withdraw"), reverse("enrolments:withdraw", args=[pk]), icon_name="logout"),
            MenuItem(
                _("Move to another class"),
                reverse("enrolments:move", args=[pk]),
                icon_name="arrow-right-full",
            ),
        ]
    for priority, item in enumerate(items, start=40):
        item.priority = priority
    return items


def _certification_items(user, enrolment: Enrolment) -> list[MenuItem]:
    """Override a closed run's outcome, issue a certificate: in enrolment.admin_certificates,
    which builds on this module's views."""
    from enrolment.admin_certificates import certification_action_items

    return certification_action_items(user, enrolment)


class EnrolmentActionView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """Confirm one status change, call its service, show a refusal as a form error."""

    permission_required = "enrolment.change_enrolment"
    raise_exception = True
    template_name = "enrolment/admin/enrolment_action.html"
    header_icon = "clipboard-list"
    submit_label = ""
    button_classname = "button"
    explanation = ""

    @cached_property
    def enrolment(self) -> Enrolment:
        queryset = Enrolment.objects.for_user(self.request.user).select_related(
            "learner", "run", "run__course", "run__venue"
        )
        return get_object_or_404(queryset, pk=self.kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.enrolment.learner} – {self.enrolment.run.code}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            _enrolments_crumb(),
            {"url": self.inspect_url, "label": str(self.enrolment)},
            {"url": "", "label": self.get_page_title()},
        ]

    @property
    def inspect_url(self) -> str:
        return reverse("enrolments:inspect", args=[quote(self.enrolment.pk)])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            enrolment=self.enrolment,
            submit_label=self.submit_label,
            button_classname=self.button_classname,
            explanation=self.explanation,
            cancel_url=self.inspect_url,
        )
        return context

    def perform(self, form) -> Enrolment:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, status_sentence(result))
        return redirect(reverse("enrolments:inspect", args=[quote(result.pk)]))


class ApproveView(EnrolmentActionView):
    form_class = ApproveForm
    page_title = gettext_lazy("Approve application")
    submit_label = gettext_lazy("Approve")
    explanation = gettext_lazy(
        "The learner takes a seat if one is free, or joins the waitlist if the class is full. "
        "They are told by email."
    )

    def perform(self, form):
        return enrolment_approve(enrolment=self.enrolment, by=self.request.user)


class DeclineView(EnrolmentActionView):
    form_class = ReasonForm
    page_title = gettext_lazy("Decline")
    submit_label = gettext_lazy("Decline")
    button_classname = "button no"
    explanation = gettext_lazy(
        "The application or waitlist place ends. The learner is told by email."
    )

    def perform(self, form):
        return enrolment_decline(
            enrolment=self.enrolment, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class WithdrawView(EnrolmentActionView):
    form_class = ReasonForm
    page_title = gettext_lazy("Withdraw")
    submit_label = gettext_lazy("Withdraw")
    button_classname = "button no"
    explanation = gettext_lazy(
        "The learner leaves the class, its waitlist or the review queue. A freed seat goes "
        "to the first person on the waitlist."
    )

    def perform(self, form):
        return enrolment_withdraw(
            enrolment=self.enrolment, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class MoveView(EnrolmentActionView):
    form_class = MoveForm
    page_title = gettext_lazy("Move to another class")
    submit_label = gettext_lazy("Move")
    explanation = gettext_lazy(
        "The learner leaves this class and joins the chosen class of the same course: "
        "enrolled if it has a seat, otherwise on its waitlist. The seat freed here goes to "
        "the first person on this class's waitlist."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "enrolment": self.enrolment}

    def perform(self, form):
        return enrolment_move(
            enrolment=self.enrolment,
            to_run=form.cleaned_data["to_run"],
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )


# --- the enrolments viewset's own views -------------------------------------------------------


class EnrolmentIndexView(SafeExportIndexView):
    """The listing: no edit link (statuses change through actions), an action menu per row,
    and header buttons to enrol someone, import a spreadsheet and review applications."""

    def get_base_queryset(self):
        # One query for the page however many rows: related rows joined, the waitlist
        # position computed by a subquery.
        return (
            Enrolment.objects.for_user(self.request.user)
            .select_related("learner", "run", "run__course", "certificate")
            .with_waitlist_position()
        )

    def get_edit_url(self, instance):
        return None

    def get_copy_url(self, instance):
        return None

    @cached_property
    def add_item_label(self):
        return _("Enrol a learner")

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(
            search_condition(
                self.search_query,
                text_fields=["learner__preferred_name", "learner__email", "run__code"],
                phone_fields=["learner__phone"],
            )
        )

    def get_list_more_buttons(self, instance):
        inspect_url = self.get_inspect_url(instance)
        buttons = [b for b in super().get_list_more_buttons(instance) if b.url != inspect_url]
        buttons.append(
            MenuItem(
                _("Details and history"), url=inspect_url, icon_name="info-circle", priority=10
            )
        )
        if self.request.user.has_perm("enrolment.change_enrolment"):
            buttons += enrolment_action_items(instance)
            if instance.status == S.APPLIED:
                buttons.append(
                    MenuItem(
                        _("Review all applications for %(code)s") % {"code": instance.run.code},
                        url=reverse("enrolments:review_run", args=[instance.run_id]),
                        icon_name="tasks",
                        priority=60,
                    )
                )
        buttons += _certification_items(self.request.user, instance)
        return buttons

    @cached_property
    def filtered_run(self) -> CourseRun | None:
        if self.filters and self.filters.is_valid():
            return self.filters.form.cleaned_data.get("run")
        return None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        user = self.request.user
        if user.has_perm("enrolment.change_enrolment"):
            run = self.filtered_run
            if run is not None:
                buttons.append(
                    HeaderButton(
                        _("Review applications for %(code)s") % {"code": run.code},
                        url=reverse("enrolments:review_run", args=[run.pk]),
                        icon_name="tasks",
                        priority=20,
                    )
                )
                from enrolment.admin_certificates import run_action_items

                buttons += [
                    HeaderButton(item.label, url=item.url, icon_name=item.icon_name, priority=21)
                    for item in run_action_items(user, run)
                ]
            else:
                buttons.append(
                    HeaderButton(
                        _("Review applications"),
                        url=reverse("enrolments:review"),
                        icon_name="tasks",
                        priority=20,
                    )
                )
        if user.has_perm("enrolment.add_enrolment"):
            buttons.append(
                HeaderButton(
                    _("Import from spreadsheet"),
                    url=reverse("enrolments:import"),
                    icon_name="upload",
                    priority=30,
                )
            )
        return buttons


class EnrolmentCreateView(CreateView):
    """Enrol a learner on their behalf. The form only picks learner and run; the service
    decides enrolled, waitlisted or applied, and its refusal becomes a form error."""

    page_title = gettext_lazy("Enrol a learner")
    page_subtitle = gettext_lazy("Enrol a learner")
    submit_button_label = gettext_lazy("Enrol")
    submit_button_active_label = gettext_lazy("Enrolling…")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["learner"].widget = learner_chooser_viewset.widget_class()
        return form

    def save_instance(self):
        return enrolment_create(
            learner=self.form.cleaned_data["learner"],
            run=self.form.cleaned_data["run"],
            by=self.request.user,
        )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except EnrolmentError as error:
            # The service speaks to the learner ("You are already enrolled..."); the banner
            # says who it is about, the form error gives the service's reason as is.
            form.add_error(None, error.message)
            self.produced_error_message = _("%(learner)s could not be enrolled.") % {
                "learner": form.cleaned_data["learner"].preferred_name
            }
            return self.form_invalid(form)

    def get_success_message(self, instance):
        return status_sentence(instance)

    def get_success_buttons(self):
        return []

    def get_success_url(self):
        return reverse("enrolments:inspect", args=[quote(self.object.pk)])


class EnrolmentEditView(EditView):
    """There is no editing an enrolment directly: its page is the inspect view, whose
    buttons change the status through the services."""

    def dispatch(self, request, *args, **kwargs):
        return redirect("enrolments:inspect", pk=kwargs["pk"])


class EnrolmentInspectView(InspectView):
    template_name = "enrolment/admin/enrolment_inspect.html"

    def get_object(self, queryset=None):
        queryset = (
            Enrolment.objects.for_user(self.request.user)
            .select_related("learner", "run", "run__course", "run__venue", "certificate")
            .with_waitlist_position()
        )
        return get_object_or_404(queryset, pk=self.pk)

    def get_fields(self):
        return []

    def get_edit_url(self):
        return None

    @cached_property
    def can_change(self) -> bool:
        return self.request.user.has_perm("enrolment.change_enrolment")

    @cached_property
    def action_items(self) -> list[MenuItem]:
        items = enrolment_action_items(self.object) if self.can_change else []
        return items + _certification_items(self.request.user, self.object)

    @cached_property
    def header_more_buttons(self):
        return [
            Button(item.label, url=item.url, icon_name=item.icon_name, priority=item.priority)
            for item in self.action_items
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        enrolment = self.object
        context.update(
            enrolment=enrolment,
            events=enrolment.events.select_related("by").order_by("at", "pk"),
            actions=self.action_items,
            learner_url=(
                reverse("learners:edit", args=[quote(enrolment.learner_id)])
                if self.request.user.has_perm("enrolment.change_learner")
                else ""
            ),
            review_url=(
                reverse("enrolments:review_run", args=[enrolment.run_id])
                if self.can_change and enrolment.status == S.APPLIED
                else ""
            ),
        )
        return context


# --- reviewing applications in bulk -----------------------------------------------------------


class ReviewIndexView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Classes with applications waiting for review, so that nobody has to hunt for them."""

    permission_required = "enrolment.change_enrolment"
    raise_exception = True
    template_name = "enrolment/admin/review_index.html"
    page_title = gettext_lazy("Review applications")
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [_enrolments_crumb(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["runs"] = (
            CourseRun.objects.with_seats()
            .annotate(
                applications=Count(
                    "enrolments", filter=Q(enrolments__status=S.APPLIED), distinct=True
                )
            )
            .filter(applications__gt=0)
            .select_related("course")
            .order_by("start_date", "code")
        )
        return context


class ReviewRunView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    """One run's applications with checkboxes: approve or decline the selected ones, all in
    one transaction, oldest application first so that seats go in the order people asked."""

    permission_required = "enrolment.change_enrolment"
    raise_exception = True
    template_name = "enrolment/admin/review_run.html"
    form_class = BulkReviewForm
    page_title = gettext_lazy("Review applications")
    header_icon = "tasks"

    @cached_property
    def run(self) -> CourseRun:
        return get_object_or_404(
            CourseRun.objects.with_seats().select_related("course", "venue"),
            pk=self.kwargs["run_pk"],
        )

    def applications(self):
        return (
            Enrolment.objects.for_user(self.request.user)
            .filter(run=self.run, status=S.APPLIED)
            .select_related("learner")
            .order_by("created_at", "pk")
        )

    def get_page_subtitle(self):
        return self.run.code

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            _enrolments_crumb(),
            {"url": reverse("enrolments:review"), "label": _("Review applications")},
            {"url": "", "label": self.run.code},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "applications": self.applications()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        selected = {str(value) for value in form["selected"].value() or []}
        context.update(
            run=self.run,
            applications=self.applications(),
            selected=selected,
            waitlisted=self.run.enrolments.filter(status=S.WAITLISTED).count(),
            listing_url=reverse("enrolments:index") + f"?run={self.run.pk}",
        )
        return context

    def form_valid(self, form):
        chosen = sorted(form.cleaned_data["selected"], key=lambda e: (e.created_at, e.pk))
        approve = form.cleaned_data["action"] == BulkReviewForm.APPROVE
        reason = form.cleaned_data["reason"].strip()
        current = None
        results = []
        try:
            with transaction.atomic():
                for current in chosen:
                    if approve:
                        results.append(enrolment_approve(enrolment=current, by=self.request.user))
                    else:
                        results.append(
                            enrolment_decline(
                                enrolment=current, by=self.request.user, reason=reason
                            )
                        )
        except EnrolmentError as error:
            form.add_error(
                None,
                _("%(learner)s: %(message)s Nothing was changed.")
                % {"learner": current.learner.preferred_name, "message": error.message},
            )
            return self.form_invalid(form)
        messages.success(self.request, _bulk_summary(results, approve=approve))
        return redirect(reverse("enrolments:review_run", args=[self.run.pk]))


def _bulk_summary(results: list[Enrolment], *, approve: bool) -> str:
    if not approve:
        return ngettext(
            "%(count)d application declined.", "%(count)d applications declined.", len(results)
        ) % {"count": len(results)}
    enrolled = sum(1 for e in results if e.status == S.ENROLLED)
    waitlisted = sum(1 for e in results if e.status == S.WAITLISTED)
    return (
        ngettext(
            "%(count)d application approved:", "%(count)d applications approved:", len(results)
        )
        % {"count": len(results)}
        + " "
        + _("%(enrolled)d enrolled, %(waitlisted)d on the waitlist (the class was full).")
        % {"enrolled": enrolled, "waitlisted": waitlisted}
    )


# --- bulk enrolment from a spreadsheet --------------------------------------------------------


class ImportView(PermissionRequiredMixin, WagtailAdminTemplateMixin, FormView):
    permission_required = "enrolment.add_enrolment"
    raise_exception = True
    template_name = "enrolment/admin/import.html"
    form_class = ImportForm
    page_title = gettext_lazy("Enrol from a spreadsheet")
    header_icon = "upload"
    problems: list[str] = []

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [_enrolments_crumb(), {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            problems=self.problems,
            instructions=import_instructions(),
            max_rows=MAX_ROWS,
            max_megabytes=MAX_BYTES // (1024 * 1024),
            template_url=reverse("enrolments:import_template"),
        )
        return context

    def form_valid(self, form):
        result = enrolments_import(file=form.cleaned_data["file"], by=self.request.user)
        if not result.ok:
            self.problems = result.errors
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)d enrolment created from the spreadsheet:",
                "%(count)d enrolments created from the spreadsheet:",
                len(result.enrolments),
            )
            % {"count": len(result.enrolments)}
            + " "
            + _(
                "%(enrolled)d enrolled, %(waitlisted)d on a waitlist, "
                "%(applied)d applications waiting for review."
            )
            % {
                "enrolled": result.count(S.ENROLLED),
                "waitlisted": result.count(S.WAITLISTED),
                "applied": result.count(S.APPLIED),
            },
        )
        return redirect("enrolments:index")


class ImportTemplateView(PermissionRequiredMixin, View):
    permission_required = "enrolment.add_enrolment"
    raise_exception = True

    def get(self, request):
        return attachment(enrolments_import_template(), filename="enrolments-template.xlsx")


# --- learners ---------------------------------------------------------------------------------


class LearnerEditView(EditView):
    """The standard edit view, logging which fields changed (names, never values: the case
    reference must not leak into the history) so the history view says who changed what."""

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons += [
            Button(
                _("One-time password link"),
                url=reverse("learners:password_link", args=[quote(self.object.pk)]),
                icon_name="key",
                priority=40,
            ),
            Button(
                _("Enrolments"),
                url=reverse("enrolments:index") + f"?learner={self.object.pk}",
                icon_name="clipboard-list",
                priority=50,
            ),
        ]
        return buttons

    def save_instance(self):
        changed = list(self.form.changed_data)
        instance = self.action_class(
            self.form.instance, user=self.request.user, form=self.form, log_action=False
        ).execute(skip_permission_checks=True)
        log(
            instance=instance,
            action="enrolment.learner.edit",
            user=self.request.user,
            data={"fields": changed},
            content_changed=bool(changed),
        )
        return instance


class LearnerDeleteView(ProtectedDeleteMixin, DeleteView):
    """Only superusers may delete (coordinators have no delete permission). A learner with
    enrolments, school places, sponsorships or reports stays: their history matters, and the
    database protects it (each of those refers to the learner with PROTECT)."""

    protected_message = gettext_lazy(
        "%(object)s has enrolments, school places, sponsorships or reports on record, so "
        "their record cannot be deleted: it keeps their history. Withdraw them from their "
        "classes or end their sponsorships instead."
    )


class LearnerIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return Learner.objects.for_user(self.request.user).annotate(
            has_account=ExpressionWrapper(Q(user__isnull=False), output_field=BooleanField()),
            # "L123": how the import and the enrolments filter name a learner without a phone.
            learner_number=Concat(Value("L"), Cast("pk", CharField())),
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(
            search_condition(
                self.search_query,
                text_fields=["preferred_name", "legal_name", "email", "case_reference"],
                phone_fields=["phone", "guardian_phone"],
            )
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.request.user.has_perm("enrolment.change_learner"):
            buttons.append(
                MenuItem(
                    _("One-time password link"),
                    url=reverse("learners:password_link", args=[quote(instance.pk)]),
                    icon_name="key",
                    priority=40,
                )
            )
        buttons.append(
            MenuItem(
                _("Enrolments"),
                url=reverse("enrolments:index") + f"?learner={instance.pk}",
                icon_name="clipboard-list",
                priority=50,
            )
        )
        return buttons


@method_decorator(never_cache, name="dispatch")
class LearnerPasswordLinkView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Make a one-time link for the learner to set their password, and show it for the
    coordinator to copy or print. Creating it is a POST: it may create the learner's account."""

    permission_required = "enrolment.change_learner"
    raise_exception = True
    template_name = "enrolment/admin/password_link.html"
    page_title = gettext_lazy("One-time password link")
    header_icon = "key"

    @cached_property
    def learner(self) -> Learner:
        return get_object_or_404(
            Learner.objects.for_user(self.request.user).select_related("user"),
            pk=self.kwargs["pk"],
        )

    def get_page_subtitle(self):
        return self.learner.preferred_name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("learners:index"), "label": _("Learners")},
            {
                "url": reverse("learners:edit", args=[quote(self.learner.pk)]),
                "label": self.learner.preferred_name,
            },
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            learner=self.learner,
            valid_days=max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
            edit_url=reverse("learners:edit", args=[quote(self.learner.pk)]),
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            link = learner_set_password_link(learner=self.learner, request=request)
        except AccountError as error:
            return self.render_to_response(self.get_context_data(error=error.message))
        log(instance=self.learner, action="enrolment.learner.password_link", user=request.user)
        self.learner.refresh_from_db()
        return self.render_to_response(self.get_context_data(link=link))


# --- choosing a learner -----------------------------------------------------------------------


class LearnerSearchForm(BaseFilterForm):
    q = forms.CharField(label=gettext_lazy("Search term"), required=False)

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        return objects.filter(
            search_condition(
                query,
                text_fields=["preferred_name", "legal_name", "email"],
                phone_fields=["phone"],
            )
        )


class LearnerChooserMixin:
    filter_form_class = LearnerSearchForm

    def get_object_list(self):
        return Learner.objects.for_user(self.request.user)

    @property
    def columns(self):
        return [
            self.title_column,
            Column("phone", label=_("Phone")),
            Column("email", label=_("Email")),
            Column("date_of_birth", label=_("Date of birth")),
        ]


class LearnerChooseView(LearnerChooserMixin, ChooseView):
    pass


class LearnerChooseResultsView(LearnerChooserMixin, ChooseResultsView):
    pass


class LearnerChooserViewSet(ChooserViewSet):
    model = Learner
    icon = "user"
    url_prefix = "enrolment/choose-learner"
    choose_one_text = gettext_lazy("Choose a learner")
    choose_another_text = gettext_lazy("Choose another learner")
    edit_item_text = gettext_lazy("Edit learner")
    choose_view_class = LearnerChooseView
    choose_results_view_class = LearnerChooseResultsView
    # Only the enrolment form uses it; other forms keep their usual select.
    register_widget = False


learner_chooser_viewset = LearnerChooserViewSet("learner_chooser")
