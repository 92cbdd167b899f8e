"""How the centre may write to a learner: their channel and their consent, recorded with who
gave it and when. Sign-up, the learner's profile and the admin all change it through here.

Consent is a fact about a moment: ticking the box again does not move the date, and it is
cleared the moment it is withdrawn. A learner who replied STOP gets messages again only by
agreeing afresh, which clears the STOP.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.roles import acting_user
from enrolment.errors import AccountError
from enrolment.models import Channel, ConsentPurpose, Learner
from enrolment.services.consents import consent_method_for, consent_set

PHONE_CHANNELS = {Channel.WHATSAPP, Channel.SMS}


def channel_default(*, phone: str, email: str) -> str:
    """The channel of someone who did not choose: WhatsApp if they gave a phone, else email."""
    if phone:
        return Channel.WHATSAPP
    return Channel.EMAIL if email else Channel.NONE


def channel_check(*, channel: str, has_phone: bool, has_email: bool) -> None:
    """Refuse a channel the learner cannot be reached by (AccountError on `message_channel`)."""
    if channel not in Channel.values:
        raise AccountError(_("Choose how we send you messages."), field="message_channel")
    if channel in PHONE_CHANNELS and not has_phone:
        raise AccountError(
            _("WhatsApp and text messages need a phone number. Give one, or choose email."),
            field="message_channel",
        )
    if channel == Channel.EMAIL and not has_email:
        raise AccountError(
            _("Email messages need an email address. Give one, or choose WhatsApp."),
            field="message_channel",
        )


def _has_phone(learner: Learner) -> bool:
    # A child is written to on the guardian's phone (messaging.message_recipient).
    return bool(learner.phone or learner.guardian_phone)


def learner_channel_set(
    *,
    learner: Learner,
    channel: str,
    consent: bool,
    by: AbstractBaseUser | None,
    method: str = "",
) -> Learner:
    """Set how the centre writes to `learner` and whether they agreed to it.

    `by` is who recorded the consent: the learner themself, or the staff member who asked
    them. Agreeing clears an earlier STOP; not agreeing removes any consent at once, so
    nothing more is sent. Raises AccountError, changing nothing, for a channel the learner
    has no phone number or email for. `method` says how consent was given (ConsentMethod);
    by default, online from the learner's own account, else in person or, for a child, by
    the guardian (consents.consent_method_for).
    """
    with transaction.atomic():
        learner = Learner.objects.select_for_update(of=("self",)).get(pk=learner.pk)
        channel_check(channel=channel, has_phone=_has_phone(learner), has_email=bool(learner.email))
        if learner.message_channel != channel:
            learner.message_channel = channel
            learner.save(update_fields=["message_channel", "updated_at"])
            log(
                instance=learner,
                action="enrolment.learner.edit",
                user=acting_user(by),
                data={"fields": ["message_channel"]},
            )
        method = method or consent_method_for(learner=learner, by=by)
        consent_set(
            learner=learner, purpose=ConsentPurpose.MESSAGES, given=consent, by=by, method=method
        )
    return learner
