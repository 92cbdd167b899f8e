"""The coordinators' side of children's school sponsorships in the Wagtail admin: schools,
sponsors, sponsorships, school places and the menu (progress reports in .reports; the funding
worklist, the report review and the shared view mixins in .views; downloads in ..exports).

Every change goes through enrolment.services.sponsorship; these views collect the input,
show a refusal on the field it is about and report what happened. A refusal saves nothing.
"""

import django_filters
from django import forms
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import DeleteView as SnippetDeleteView

from cms.admin_views import LocalDateColumn
from cms.choosers import SnippetViewSet
from cms.exports import SafeExportIndexView
from enrolment import access
from enrolment.admin.access_log import LoggedRecordMixin
from enrolment.admin.exports import PlacementExport, SponsorExport, SponsorshipExport
from enrolment.admin.mixins import ProtectedDeleteMixin
from enrolment.admin.sponsorship.payments import PaymentButtonsMixin, PaymentViewSet, hkd
from enrolment.admin.sponsorship.reports import ProgressReportViewSet
from enrolment.admin.sponsorship.views import FundingViewSet, ServiceSaveMixin
from enrolment.forms.sponsorship import (
    PlacementForm,
    SchoolForm,
    SponsorCreateForm,
    SponsorEditForm,
    SponsorshipForm,
)
from enrolment.models import (
    District,
    Frequency,
    School,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
)
from enrolment.models.schools import school_year_choices
from enrolment.models.sponsorship import running_between
from enrolment.services.sponsorship import (
    placement_save,
    sponsor_create,
    sponsor_delete,
    sponsorship_save,
)


def _today():
    return timezone.localdate()


# --- schools ----------------------------------------------------------------------------------


class SchoolDeleteView(ProtectedDeleteMixin, SnippetDeleteView):
    protected_message = gettext_lazy(
        "%(object)s has school places on record, so it cannot be deleted."
    )


class SchoolFilterSet(WagtailFilterSet):
    district = django_filters.ChoiceFilter(label=gettext_lazy("District"), choices=District.choices)
    school_type = django_filters.ChoiceFilter(
        label=gettext_lazy("Type"), choices=SchoolType.choices
    )

    class Meta:
        model = School
        fields = []


class SchoolViewSet(SnippetViewSet):
    model = School
    icon = "home"
    base_url_path = "sponsorship/schools"
    admin_url_namespace = "schools"
    menu_label = gettext_lazy("Schools")
    menu_item_is_registered = True  # in the Sponsorship menu, not under Snippets
    delete_view_class = SchoolDeleteView
    copy_view_enabled = False
    list_display = [
        "name",
        Column("district", label=gettext_lazy("District"), accessor="get_district_display"),
        Column("school_type", label=gettext_lazy("Type"), accessor="get_school_type_display"),
        Column("grades", label=gettext_lazy("Grades"), accessor="grade_range_label"),
    ]
    filterset_class = SchoolFilterSet
    search_fields = ["name"]
    search_backend_name = None  # the database, by name, like every other listing here
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldRowPanel([FieldPanel("district"), FieldPanel("school_type")]),
            FieldRowPanel([FieldPanel("lowest_grade"), FieldPanel("highest_grade")]),
        ],
        base_form_class=SchoolForm,
    )


# --- sponsors ---------------------------------------------------------------------------------


class SponsorIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        today = _today()
        running = running_between(today, today, via="sponsorships__")
        return (
            access.sponsors_for_user(self.request.user)
            .select_related("user")
            .annotate(children_now=Count("sponsorships__child", filter=running, distinct=True))
        )

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons.append(
            MenuItem(
                _("Sponsorships"),
                url=reverse("sponsorships:index") + f"?sponsor={instance.pk}",
                icon_name="list-ul",
                priority=50,
            )
        )
        return buttons


class SponsorCreateView(ServiceSaveMixin, CreateView):
    page_title = gettext_lazy("New sponsor")

    def save_instance(self):
        return sponsor_create(
            display_name=self.form.cleaned_data["display_name"],
            email=self.form.cleaned_data["email"],
            by=self.request.user,
        )

    def get_success_message(self, instance):
        return _(
            "Sponsor “%(name)s” created. Tell them to open the sign-in page, choose "
            "“Forgot your password?” and enter %(email)s: the email that arrives lets them "
            "set their password."
        ) % {"name": instance.display_name, "email": instance.user.email}


class SponsorDeleteView(ProtectedDeleteMixin, DeleteView):
    protected_message = gettext_lazy(
        "%(object)s has sponsorships on record, so the sponsor cannot be deleted."
    )

    def delete_action(self):
        sponsor_delete(sponsor=self.object, by=self.request.user)


class SponsorViewSet(SponsorExport, ModelViewSet):
    model = Sponsor
    icon = "user"
    url_prefix = "sponsorship/sponsors"
    url_namespace = "sponsors"
    menu_label = gettext_lazy("Sponsors")
    index_view_class = SponsorIndexView
    add_view_class = SponsorCreateView
    delete_view_class = SponsorDeleteView
    copy_view_enabled = False
    list_display = [
        "display_name",
        Column("email", label=gettext_lazy("Account email"), accessor="user.email"),
        Column(
            "children_now", label=gettext_lazy("Children sponsored now"), sort_key="children_now"
        ),
        LocalDateColumn("created_at", label=gettext_lazy("Since"), sort_key="created_at"),
    ]
    search_fields = ["display_name", "user__email"]
    list_per_page = 50

    def get_form_class(self, for_update=False):
        return SponsorEditForm if for_update else SponsorCreateForm


# --- sponsorships -----------------------------------------------------------------------------


def period_label(sponsorship: Sponsorship) -> str:
    start = f"{sponsorship.starts_on:%d %b %Y}"
    if sponsorship.ends_on is None:
        return _("from %(start)s, ongoing") % {"start": start}
    return f"{start} – {sponsorship.ends_on:%d %b %Y}"


class SponsorshipFilterSet(WagtailFilterSet):
    sponsor = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Sponsor"), queryset=Sponsor.objects.order_by("display_name")
    )
    active = django_filters.ChoiceFilter(
        label=gettext_lazy("Running today"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        method="filter_active",
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )
    frequency = django_filters.ChoiceFilter(
        label=gettext_lazy("Frequency"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )

    class Meta:
        model = Sponsorship
        fields = []

    def filter_active(self, queryset, name, value):
        today = _today()
        running = queryset.overlapping(today, today)
        if value == "yes":
            return running
        if value == "no":
            return queryset.exclude(pk__in=running.values("pk"))
        return queryset


class SponsorshipIndexView(PaymentButtonsMixin, SafeExportIndexView):
    def get_base_queryset(self):
        return access.sponsorships_for_user(self.request.user).select_related("sponsor", "child")


class SponsorshipCreateView(ServiceSaveMixin, CreateView):
    def save_instance(self):
        return sponsorship_save(sponsorship=self.form.save(commit=False), by=self.request.user)


class SponsorshipEditView(LoggedRecordMixin, ServiceSaveMixin, EditView):
    def save_instance(self):
        return sponsorship_save(sponsorship=self.form.save(commit=False), by=self.request.user)


class SponsorshipViewSet(SponsorshipExport, ModelViewSet):
    model = Sponsorship
    icon = "pick"
    url_prefix = "sponsorship/sponsorships"
    url_namespace = "sponsorships"
    menu_label = gettext_lazy("Sponsorships")
    index_view_class = SponsorshipIndexView
    add_view_class = SponsorshipCreateView
    edit_view_class = SponsorshipEditView
    copy_view_enabled = False
    list_display = [
        "sponsor",
        Column("child", label=gettext_lazy("Child"), accessor="child.list_name"),
        Column("period", label=gettext_lazy("Period"), accessor=period_label, sort_key="starts_on"),
        Column(
            "amount",
            label=gettext_lazy("Amount"),
            accessor=lambda s: hkd(s.amount),
            sort_key="amount",
        ),
        Column(
            "frequency",
            label=gettext_lazy("Frequency"),
            accessor="get_frequency_display",
            sort_key="frequency",
        ),
        Column(
            "covers",
            label=gettext_lazy("Covers"),
            accessor=lambda s: ", ".join(s.covers_labels),
        ),
    ]
    filterset_class = SponsorshipFilterSet
    search_fields = ["sponsor__display_name", "child__preferred_name"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("sponsor"), FieldPanel("child")]),
            FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
            FieldRowPanel([FieldPanel("amount"), FieldPanel("frequency")]),
            FieldPanel("covers"),
            FieldPanel("note"),
        ],
        base_form_class=SponsorshipForm,
    )


# --- school places ----------------------------------------------------------------------------


class PlacementFilterSet(WagtailFilterSet):
    school_year = django_filters.TypedChoiceFilter(
        label=gettext_lazy("School year"), choices=school_year_choices, coerce=int
    )
    school = django_filters.ModelChoiceFilter(
        label=gettext_lazy("School"), queryset=School.objects.order_by("name")
    )

    class Meta:
        model = SchoolPlacement
        fields = []


class PlacementIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return (
            SchoolPlacement.objects.select_related("child", "school")
            .annotate(
                costs=F("fees") + F("uniform") + F("books") + F("transport") + F("other_costs")
            )
            .order_by("-school_year", "child__preferred_name", "pk")
        )


class PlacementCreateView(ServiceSaveMixin, CreateView):
    def save_instance(self):
        return placement_save(placement=self.form.save(commit=False), by=self.request.user)


class PlacementEditView(LoggedRecordMixin, ServiceSaveMixin, EditView):
    def save_instance(self):
        return placement_save(placement=self.form.save(commit=False), by=self.request.user)


class PlacementViewSet(PlacementExport, ModelViewSet):
    model = SchoolPlacement
    icon = "home"
    url_prefix = "sponsorship/placements"
    url_namespace = "placements"
    menu_label = gettext_lazy("School places")
    index_view_class = PlacementIndexView
    add_view_class = PlacementCreateView
    edit_view_class = PlacementEditView
    copy_view_enabled = False
    list_display = [
        "child",  # the title column: it carries each row's edit link and actions
        "school",
        Column(
            "school_year",
            label=gettext_lazy("School year"),
            accessor="school_year_label",
            sort_key="school_year",
        ),
        Column(
            "grade", label=gettext_lazy("Grade"), accessor="get_grade_display", sort_key="grade"
        ),
        Column(
            "costs",
            label=gettext_lazy("Costs for the year"),
            accessor=lambda p: hkd(p.costs),
            sort_key="costs",
        ),
    ]
    filterset_class = PlacementFilterSet
    search_fields = ["child__preferred_name", "school__name"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("child"),
            FieldPanel("school"),
            FieldRowPanel([FieldPanel("school_year"), FieldPanel("grade")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("fees"), FieldPanel("uniform")]),
                    FieldRowPanel([FieldPanel("books"), FieldPanel("transport")]),
                    FieldRowPanel([FieldPanel("other_costs"), FieldPanel("other_costs_note")]),
                ],
                heading=gettext_lazy("What the school year costs (HK$)"),
            ),
        ],
        base_form_class=PlacementForm,
    )


# --- the menu ---------------------------------------------------------------------------------


class SponsorshipGroup(ViewSetGroup):
    menu_label = gettext_lazy("Sponsorship")
    menu_icon = "pick"
    menu_order = 230
    items = (
        FundingViewSet,
        SponsorshipViewSet,
        PaymentViewSet,
        SponsorViewSet,
        PlacementViewSet,
        ProgressReportViewSet,
        SchoolViewSet,
    )
