"""What a learner may change about their own consents online (/learn/consents/, My details,
sign-up): anyone may withdraw any consent at once; an adult may give photos, messages and a
story; a child's consents, and school progress shared with sponsors, are given by a parent or
guardian in person at the centre, where staff record them."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils.translation import gettext as _

from enrolment.errors import AccountError, ConsentError
from enrolment.models import Channel, ConsentMethod, ConsentPurpose, Learner
from enrolment.services.consents import (
    ONLINE_PURPOSES,
    consent_is_given,
    consent_set,
)
from enrolment.services.message_consent import _has_phone, channel_check


def consent_online_refusal(*, learner: Learner, purpose: str) -> str:
    """Why `learner` cannot give `purpose` online, or "" if they can."""
    if learner.is_child():
        return _("Your parent or guardian gives this consent for you, at the centre.")
    if purpose not in ONLINE_PURPOSES:
        return _("A parent or guardian gives this consent, at the centre.")
    if purpose == ConsentPurpose.MESSAGES:
        if learner.message_channel == Channel.NONE:
            return _("First choose how we send you messages, in My details.")
        try:
            channel_check(
                channel=learner.message_channel,
                has_phone=_has_phone(learner),
                has_email=bool(learner.email),
            )
        except AccountError as error:
            return str(error.message)
    return ""


def consent_change_online(
    *, learner: Learner, purpose: str, given: bool, by: AbstractBaseUser | None
) -> None:
    """Give or withdraw `purpose` for the signed-in learner. Raises ConsentError, changing
    nothing, for a consent they may not give online."""
    if purpose not in ConsentPurpose.values:
        raise ConsentError(_("This consent cannot be recorded."))
    if given and not consent_is_given(learner=learner, purpose=purpose):
        refusal = consent_online_refusal(learner=learner, purpose=purpose)
        if refusal:
            raise ConsentError(refusal, field=purpose)
    consent_set(learner=learner, purpose=purpose, given=given, by=by, method=ConsentMethod.ONLINE)
