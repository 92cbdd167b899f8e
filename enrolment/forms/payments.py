"""The coordinators' form for a payment received from a sponsor. It collects the input and
asks enrolment.services.sponsor_payments whether it is acceptable; a refusal is shown on the
field it is about."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from enrolment.forms.base import PlainTextMixin, add_service_error
from enrolment.models import Sponsorship, SponsorshipPayment
from enrolment.services.sponsor_payments import payment_check
from enrolment.services.sponsorship import SponsorshipError


def sponsorship_label(sponsorship: Sponsorship) -> str:
    """Enough to pick the right one of a sponsor's sponsorships: the child (by name and
    learner number, names repeat), the start and the promise."""
    return _("%(sponsor)s → %(child)s (L%(pk)s), from %(start)s: HK$%(amount)s %(frequency)s") % {
        "sponsor": sponsorship.sponsor.display_name,
        "child": sponsorship.child.preferred_name,
        "pk": sponsorship.child_id,
        "start": sponsorship.starts_on.isoformat(),
        "amount": f"{sponsorship.amount:,.2f}",
        "frequency": sponsorship.get_frequency_display().lower(),
    }


class PaymentForm(PlainTextMixin, WagtailAdminModelForm):
    class Meta:
        model = SponsorshipPayment
        fields = ["sponsorship", "received_on", "amount", "method", "reference"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["sponsorship"]
        field.queryset = Sponsorship.objects.select_related("sponsor", "child").order_by(
            "sponsor__display_name", "child__preferred_name", "-starts_on", "pk"
        )
        field.label_from_instance = sponsorship_label

    def clean(self):
        data = super().clean()
        needed = ("sponsorship", "received_on", "amount", "method")
        if not all(data.get(name) is not None for name in needed):
            return data  # each missing field has its own error already
        try:
            data["reference"] = payment_check(
                sponsorship=data["sponsorship"],
                received_on=data["received_on"],
                amount=data["amount"],
                method=data["method"],
                reference=data.get("reference", ""),
            )
        except SponsorshipError as error:
            add_service_error(self, error)
        return data
