"""Money a sponsor has actually sent, as a coordinator records it on receipt.

A sponsorship is a promise (an amount at a frequency); what arrived, when and how is a
payment. Statements and the funding list show the two side by side, so a sponsor who is
behind, or ahead, can be seen without anyone counting bank slips.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.validators import sane_year, single_line
from enrolment.models.schools import MONEY


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    CHEQUE = "cheque", _("Cheque")
    CASH = "cash", _("Cash")
    FPS = "fps", _("FPS")
    OTHER = "other", _("Other")


class SponsorshipPayment(models.Model):
    """One payment received towards a sponsorship."""

    sponsorship = models.ForeignKey(
        "enrolment.Sponsorship",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("sponsorship"),
    )
    received_on = models.DateField(_("received on"), validators=[sane_year])
    amount = models.DecimalField(
        _("amount received (HK$)"), **MONEY, validators=[MinValueValidator(Decimal("0.01"))]
    )
    method = models.CharField(_("method"), max_length=20, choices=PaymentMethod.choices)
    reference = models.CharField(
        _("reference"),
        max_length=80,
        blank=True,
        help_text=_("The bank reference, cheque number or receipt number."),
        validators=[single_line],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("sponsorship payment")
        verbose_name_plural = _("sponsorship payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["received_on"], name="payment_received_on")]

    def __str__(self):
        return f"{self.sponsorship} – HK${self.amount:,.2f} ({self.received_on:%Y-%m-%d})"

    @property
    def method_label(self) -> str:
        return str(self.get_method_display())

    @property
    def recorded_by_name(self) -> str:
        if self.recorded_by is None:
            return ""
        return self.recorded_by.get_full_name() or self.recorded_by.get_username()
