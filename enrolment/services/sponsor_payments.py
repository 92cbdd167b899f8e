"""Payments received from sponsors: recording them, and how much arrived in a period.

A sponsorship says what a sponsor promised; these say what came in. Statements and the
funding list put the two side by side ("received against promised").
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.roles import is_coordinator
from enrolment.errors import SponsorshipError
from enrolment.models import PaymentMethod, Sponsorship, SponsorshipPayment

MAX_PAYMENT = Decimal("1000000")
MAX_REFERENCE = 80


def payment_check(
    *,
    sponsorship: Sponsorship | None,
    received_on: dt.date | None,
    amount: Decimal | None,
    method: str,
    reference: str,
    today: dt.date | None = None,
) -> str:
    """A payment is for a sponsorship, of a positive amount, received on a day that has
    come. Returns the reference as it will be stored (trimmed)."""
    today = today or timezone.localdate()
    if sponsorship is None:
        raise SponsorshipError(_("Choose the sponsorship the payment is for."), field="sponsorship")
    if received_on is None:
        raise SponsorshipError(_("Enter the day the payment was received."), field="received_on")
    if received_on > today:
        raise SponsorshipError(
            _("A payment cannot be received in the future (%(day)s): record it when it arrives.")
            % {"day": received_on.isoformat()},
            field="received_on",
        )
    if amount is None or amount <= 0:
        raise SponsorshipError(_("Enter an amount above HK$0."), field="amount")
    if amount >= MAX_PAYMENT:
        raise SponsorshipError(_("Enter an amount below HK$1,000,000."), field="amount")
    if method not in PaymentMethod.values:
        raise SponsorshipError(_("Choose how the payment was made."), field="method")
    reference = (reference or "").strip()
    if len(reference) > MAX_REFERENCE:
        raise SponsorshipError(
            _("Keep the reference to %(max)s characters.") % {"max": MAX_REFERENCE},
            field="reference",
        )
    return reference


@transaction.atomic
def payment_record(
    *,
    sponsorship: Sponsorship,
    received_on: dt.date,
    amount: Decimal,
    method: str,
    reference: str = "",
    by: AbstractBaseUser,
    payment: SponsorshipPayment | None = None,
) -> SponsorshipPayment:
    """Record a payment received towards a sponsorship, or correct one already recorded
    (``payment``), and log who did it."""
    if not is_coordinator(by):
        raise SponsorshipError(_("Only coordinators can record payments."))
    reference = payment_check(
        sponsorship=sponsorship,
        received_on=received_on,
        amount=amount,
        method=method,
        reference=reference,
    )
    created = payment is None or payment.pk is None
    if payment is None:
        payment = SponsorshipPayment()
    payment.sponsorship = sponsorship
    payment.received_on = received_on
    payment.amount = amount
    payment.method = method
    payment.reference = reference
    if created:
        payment.recorded_by = by
    payment.save()
    log(instance=payment, action="wagtail.create" if created else "wagtail.edit", user=by)
    return payment


@transaction.atomic
def payment_delete(*, payment: SponsorshipPayment, by: AbstractBaseUser) -> None:
    """Remove a payment recorded by mistake; the log keeps that it was there."""
    if not is_coordinator(by):
        raise SponsorshipError(_("Only coordinators can delete payments."))
    log(instance=payment, action="wagtail.delete", user=by, deleted=True)
    payment.delete()


def received_by(
    *, key: str, start: dt.date, end: dt.date, sponsorships: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """Money received in [start, end], summed in the database per ``key``: "sponsorship_id"
    or "sponsorship__child_id". One query however many rows."""
    payments = SponsorshipPayment.objects.filter(received_on__range=(start, end))
    if sponsorships is not None:
        payments = payments.filter(sponsorship_id__in=list(sponsorships))
    rows = payments.order_by().values(key).annotate(total=Sum("amount")).values_list(key, "total")
    return dict(rows)
