"""Payments received from sponsors, in the Sponsorship menu: record one when the money
arrives, correct or remove one entered by mistake, list and export them. Every change goes
through enrolment.services.sponsor_payments."""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import CreateView, DeleteView, EditView
from wagtail.admin.viewsets.model import ModelViewSet

from cms.exports import SafeExportIndexView
from enrolment import access
from enrolment.admin.mixins import ProtectedDeleteMixin
from enrolment.admin.sponsorship.views import ServiceSaveMixin
from enrolment.forms.payments import PaymentForm
from enrolment.models import PaymentMethod, Sponsor, Sponsorship, SponsorshipPayment
from enrolment.services.sponsor_payments import payment_delete, payment_record


def hkd(value) -> str:
    return f"HK${value:,.2f}"


def payment_buttons(sponsorship: Sponsorship) -> list[MenuItem]:
    """A sponsorship row's way to its payments, and to record one for it."""
    query = f"?sponsorship={sponsorship.pk}"
    return [
        MenuItem(
            _("Record a payment"),
            url=reverse("sponsorship_payments:add") + query,
            icon_name="plus",
            priority=60,
        ),
        MenuItem(
            _("Payments received"),
            url=reverse("sponsorship_payments:index") + query,
            icon_name="list-ul",
            priority=61,
        ),
    ]


class PaymentButtonsMixin:
    """For the sponsorships listing: each row offers its payments."""

    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + payment_buttons(instance)


class PaymentFilterSet(WagtailFilterSet):
    sponsor = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Sponsor"),
        field_name="sponsorship__sponsor",
        queryset=Sponsor.objects.order_by("display_name"),
    )
    # Set by a sponsorship row's "Payments received"; bounded so nonsense is refused, not a 500.
    sponsorship = django_filters.NumberFilter(
        widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1
    )
    method = django_filters.ChoiceFilter(
        label=gettext_lazy("Method"),
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        empty_label=gettext_lazy("All"),
    )
    received_on = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Received"), widget=DateRangePickerWidget
    )

    class Meta:
        model = SponsorshipPayment
        fields = []


class PaymentIndexView(SafeExportIndexView):
    def get_base_queryset(self):
        return access.payments_for_user(self.request.user).select_related(
            "sponsorship__sponsor", "sponsorship__child", "recorded_by"
        )


class PaymentSaveMixin(ServiceSaveMixin):
    def save_instance(self):
        data = self.form.cleaned_data
        return payment_record(
            sponsorship=data["sponsorship"],
            received_on=data["received_on"],
            amount=data["amount"],
            method=data["method"],
            reference=data.get("reference", ""),
            by=self.request.user,
            payment=getattr(self, "object", None),
        )


class PaymentCreateView(PaymentSaveMixin, CreateView):
    def get_initial(self):
        """ "Record a payment" from a sponsorship's row arrives with it chosen."""
        initial = super().get_initial()
        sponsorship = self.request.GET.get("sponsorship", "")
        if sponsorship.isdigit():
            initial["sponsorship"] = int(sponsorship)
        return initial


class PaymentEditView(PaymentSaveMixin, EditView):
    pass


class PaymentDeleteView(ProtectedDeleteMixin, DeleteView):
    def delete_action(self):
        payment_delete(payment=self.object, by=self.request.user)


class PaymentViewSet(ModelViewSet):
    model = SponsorshipPayment
    icon = "tick"
    url_prefix = "sponsorship/payments"
    url_namespace = "sponsorship_payments"
    menu_label = gettext_lazy("Payments received")
    index_view_class = PaymentIndexView
    add_view_class = PaymentCreateView
    edit_view_class = PaymentEditView
    delete_view_class = PaymentDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        Column(
            "sponsor",
            label=gettext_lazy("Sponsor"),
            accessor="sponsorship.sponsor.display_name",
        ),
        Column("child", label=gettext_lazy("Child"), accessor="sponsorship.child.preferred_name"),
        DateColumn("received_on", label=gettext_lazy("Received"), sort_key="received_on"),
        Column(
            "amount",
            label=gettext_lazy("Amount"),
            accessor=lambda p: hkd(p.amount),
            sort_key="amount",
        ),
        Column("method", label=gettext_lazy("Method"), accessor="get_method_display"),
        Column("reference", label=gettext_lazy("Reference")),
    ]
    filterset_class = PaymentFilterSet
    search_fields = ["sponsorship__sponsor__display_name", "sponsorship__child__preferred_name"]
    search_backend_name = None
    list_per_page = 50
    list_export = [
        "sponsorship.sponsor.display_name",
        "sponsorship.child.preferred_name",
        "sponsorship.child_id",
        "received_on",
        "amount",
        "method_label",
        "reference",
        "recorded_by_name",
        "created_at",
    ]
    export_headings = {
        "sponsorship.sponsor.display_name": gettext_lazy("Sponsor"),
        "sponsorship.child.preferred_name": gettext_lazy("Child"),
        "sponsorship.child_id": gettext_lazy("Learner number"),
        "received_on": gettext_lazy("Received on"),
        "amount": gettext_lazy("Amount (HK$)"),
        "method_label": gettext_lazy("Method"),
        "reference": gettext_lazy("Reference"),
        "recorded_by_name": gettext_lazy("Recorded by"),
        "created_at": gettext_lazy("Recorded"),
    }
    export_filename = "sponsorship-payments"
    edit_handler = ObjectList(
        [
            FieldPanel("sponsorship"),
            FieldRowPanel([FieldPanel("received_on"), FieldPanel("amount")]),
            FieldRowPanel([FieldPanel("method"), FieldPanel("reference")]),
        ],
        base_form_class=PaymentForm,
    )
