"""The enrolments listing, enrolling a learner on their behalf, and one enrolment's page with its
history. Objects are fetched through enrolment.access, like everywhere else."""

from django.contrib.admin.utils import quote
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.widgets.button import Button, HeaderButton

from cms.exports import SafeExportIndexView
from courses.models import CourseRun
from enrolment import access
from enrolment.admin.chooser import learner_chooser_viewset
from enrolment.admin.enrolments.actions import status_sentence
from enrolment.admin.menus import (
    certification_action_items,
    enrolment_action_items,
    run_action_items,
)
from enrolment.admin.mixins import search_condition
from enrolment.errors import EnrolmentError
from enrolment.models import EnrolmentStatus
from enrolment.services.enrolling import (
    enrolment_create,
)

S = EnrolmentStatus


class EnrolmentIndexView(SafeExportIndexView):
    """The listing: no edit link (statuses change through actions), an action menu per row,
    and header buttons to enrol someone, import a spreadsheet and review applications."""

    def get_base_queryset(self):
        # One query for the page however many rows: related rows joined, the waitlist
        # position computed by a subquery.
        return (
            access.enrolments_for_user(self.request.user)
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
                number_field="learner_id",
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
        buttons += certification_action_items(self.request.user, instance)
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
            buttons += [
                HeaderButton(
                    _("Import from spreadsheet"),
                    url=reverse("enrolments:import"),
                    icon_name="upload",
                    priority=30,
                ),
                HeaderButton(
                    _("Enrol late or a walk-in"),
                    url=reverse("enrolments:late"),
                    icon_name="plus",
                    priority=31,
                ),
                HeaderButton(
                    _("Record a past course"),
                    url=reverse("enrolments:past"),
                    icon_name="history",
                    priority=32,
                ),
            ]
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
    template_name = "enrolment/admin/enrolments/inspect.html"

    def get_object(self, queryset=None):
        queryset = (
            access.enrolments_for_user(self.request.user)
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
        return items + certification_action_items(self.request.user, self.object)

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
            support_url=(
                reverse("enrolments:support", args=[quote(enrolment.pk)]) if self.can_change else ""
            ),
        )
        return context


# --- reviewing applications in bulk -----------------------------------------------------------
