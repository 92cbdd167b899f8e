"""The learners' screens: listing, search, edit with a history of what changed, delete, the
one-time password link."""

import django_filters
from django import forms
from django.conf import settings
from django.contrib.admin.utils import quote
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Q,
)
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import log

from cms.exports import SafeExportIndexView
from courses.choices import Level
from enrolment import access
from enrolment.admin.access_log import LoggedRecordMixin
from enrolment.admin.consents import (
    CONSENT_FIELDS,
    ConsentHistoryPanel,
    consent_fields_hold,
    consents_record,
)
from enrolment.admin.forgetting import LearnerForgetView
from enrolment.admin.learner_data import LearnerDataView
from enrolment.admin.mixins import LearnerPageMixin, ProtectedDeleteMixin, search_condition
from enrolment.admin.sensitive import SensitiveFieldPanel, learner_text_fields
from enrolment.errors import AccountError
from enrolment.forms.admin import (
    LearnerAdminForm,
)
from enrolment.models import Learner
from enrolment.services.accounts import learner_password_link_send, learner_set_password_link
from enrolment.services.message_consent import learner_channel_set


def _record_channel(view, learner: Learner) -> Learner:
    """The channel and consent from the form, recorded with the staff member as its author."""
    return learner_channel_set(
        learner=learner,
        channel=view.form.cleaned_data["message_channel"],
        consent=view.form.cleaned_data["messages_agreed"],
        by=view.request.user,
    )


class LearnerCreateView(CreateView):
    def save_instance(self):
        wanted = consent_fields_hold(self.form)
        learner = _record_channel(self, super().save_instance())
        consents_record(learner=learner, wanted=wanted, by=self.request.user)
        return learner


class LearnerEditView(LoggedRecordMixin, EditView):
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
            Button(
                _("Download all data held (access request)"),
                url=reverse("learners:data", args=[quote(self.object.pk)]),
                icon_name="download",
                priority=60,
            ),
        ]
        if access.can_forget_learners(self.request.user) and not self.object.anonymised_at:
            buttons.append(
                Button(
                    _("Forget this person"),
                    url=reverse("learners:forget", args=[quote(self.object.pk)]),
                    icon_name="warning",
                    priority=90,
                )
            )
        return buttons

    def save_instance(self):
        # Consents are logged by the consents service; a channel left out of the form is kept.
        cleaned, initial = self.form.cleaned_data, self.form.initial
        changed = [
            name
            for name in self.form.changed_data
            if name != "messages_agreed"
            and name not in CONSENT_FIELDS
            and (name != "message_channel" or cleaned[name] != initial.get(name))
        ]
        wanted = consent_fields_hold(self.form)
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
        learner = _record_channel(self, instance)
        consents_record(learner=learner, wanted=wanted, by=self.request.user)
        return learner


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
        return access.learners_for_user(self.request.user).annotate(
            has_account=ExpressionWrapper(Q(user__isnull=False), output_field=BooleanField()),
        )

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(
            search_condition(
                self.search_query,
                text_fields=learner_text_fields(self.request.user),
                phone_fields=["phone", "guardian_phone"],
                number_field="pk",
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
class LearnerPasswordLinkView(
    LearnerPageMixin, PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView
):
    """Make a one-time link for the learner to set their password, and show it for the
    coordinator to copy or print. Creating it is a POST: it may create the learner's account."""

    permission_required = "enrolment.change_learner"
    raise_exception = True
    template_name = "enrolment/admin/learners/password_link.html"
    page_title = gettext_lazy("One-time password link")
    header_icon = "key"

    learner_related = ("user",)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            learner=self.learner,
            valid_days=max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
            edit_url=self.edit_url,
        )
        return context

    def post(self, request, *args, **kwargs):
        message = None
        try:
            if "send" in request.POST:
                link, message = learner_password_link_send(
                    learner=self.learner, by=request.user, request=request
                )
            else:
                link = learner_set_password_link(learner=self.learner, request=request)
        except AccountError as error:
            return self.render_to_response(self.get_context_data(error=error.message))
        log(instance=self.learner, action="enrolment.learner.password_link", user=request.user)
        self.learner.refresh_from_db()
        return self.render_to_response(self.get_context_data(link=link, message=message))


class LearnerFilterSet(WagtailFilterSet):
    english_level = django_filters.ChoiceFilter(
        label=gettext_lazy("English level"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )
    age_group = django_filters.ChoiceFilter(
        label=gettext_lazy("Child or adult"),
        choices=[
            ("child", gettext_lazy("Child (under 18)")),
            ("adult", gettext_lazy("Adult (18 or over)")),
        ],
        method="filter_age_group",
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )
    has_account = django_filters.BooleanFilter(
        label=gettext_lazy("Has an account"), field_name="user", lookup_expr="isnull", exclude=True
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
    menu_label = gettext_lazy("Learners")
    index_view_class = LearnerIndexView
    add_view_class = LearnerCreateView
    edit_view_class = LearnerEditView
    delete_view_class = LearnerDeleteView
    list_display = [
        "list_name",  # "Yusuf A. (L12)": two Yusufs are two rows anyone can tell apart
        Column("learner_number", label=gettext_lazy("Number"), sort_key="pk"),
        "phone",
        "email",
        "english_level",
        BooleanColumn("has_account", label=gettext_lazy("Account"), sort_key="has_account"),
    ]
    # Searched by LearnerIndexView.search_queryset (phone numbers by their digits; the case
    # reference for caseworkers only).
    search_fields = ["preferred_name", "legal_name", "phone", "email"]
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
        "consent_story",
        "has_account",
    ]
    export_headings = {
        "learner_number": gettext_lazy("Learner number"),
        "has_account": gettext_lazy("Has an account"),
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
                heading=gettext_lazy("Name and age"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                    FieldPanel("preferred_language"),
                    FieldPanel("languages"),
                    FieldPanel("english_level"),
                ],
                heading=gettext_lazy("Contact and languages"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("gender"), FieldPanel("region_of_origin")])],
                heading=gettext_lazy("For funders' statistics (optional)"),
                help_text=gettext_lazy(
                    "Ask only if the learner is willing; counted in impact reports in broad "
                    "groups, never with names."
                ),
            ),
            MultiFieldPanel(
                [FieldPanel("message_channel"), FieldPanel("messages_agreed")],
                heading=gettext_lazy("Messages"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("guardian_name"),
                    FieldRowPanel(
                        [FieldPanel("guardian_phone"), FieldPanel("guardian_relationship")]
                    ),
                ],
                heading=gettext_lazy("Parent or guardian (for a child)"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("consent_photo"),
                    FieldPanel("consent_share_progress"),
                    FieldPanel("consent_story"),
                    FieldPanel("photo"),
                ],
                heading=gettext_lazy("Consents and photo"),
                help_text=gettext_lazy(
                    "Ticking or unticking records who did it and when. For a child, record "
                    "what the parent or guardian said."
                ),
            ),
            ConsentHistoryPanel(),
            MultiFieldPanel(
                [SensitiveFieldPanel("case_reference")],
                heading=gettext_lazy("Restricted: caseworkers only"),
            ),
        ],
        base_form_class=LearnerAdminForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(
                "<int:pk>/password-link/",
                LearnerPasswordLinkView.as_view(),
                name="password_link",
            ),
            path("<int:pk>/forget/", LearnerForgetView.as_view(), name="forget"),
            path("<int:pk>/data/", LearnerDataView.as_view(), name="data"),
        ]


# --- enrolments -------------------------------------------------------------------------------
