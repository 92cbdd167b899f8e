"""Accounts for learners: signing up, keeping contact details, and the one-time password link.

Many learners have no email. A phone number is then both how we reach them and how they sign
in: the account's username is the normalised number ("+85291234567"), or the lower-cased email
when there is no phone. Staff accounts keep the usernames a coordinator gave them.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.roles import LEARNERS
from courses.choices import Level
from enrolment.errors import AccountError, AccountTakenError, ConsentError
from enrolment.models import (
    PHONE_INVALID,
    ConsentMethod,
    ConsentPurpose,
    Learner,
    Message,
    MessageKind,
    normalise_phone,
)
from enrolment.models.people import ADULT_AGE, age_on
from enrolment.services.consents import consent_give, consent_is_given
from enrolment.services.consents_online import consent_change_online
from enrolment.services.message_consent import channel_default, learner_channel_set
from enrolment.services.messaging import message_queue

LEARNERS_GROUP = LEARNERS


def _guardian_gives_message() -> str:
    return _("Your parent or guardian gives this consent for you, at the centre.")


def phone_parse(raw: str) -> str:
    """The number typed in `raw` as stored ("+85291234567"), or "" if it is not one that
    can be called (see normalise_phone)."""
    return normalise_phone(raw)


def email_parse(raw: str) -> str:
    return (raw or "").strip().lower()


def _phone_taken(phone: str, *, learner: Learner | None = None) -> bool:
    users = get_user_model().objects.filter(username=phone)
    learners = Learner.objects.filter(phone=phone)
    if learner is not None:
        learners = learners.exclude(pk=learner.pk)
        if learner.user_id:
            users = users.exclude(pk=learner.user_id)
    return users.exists() or learners.exists()


def _email_taken(email: str, *, learner: Learner | None = None) -> bool:
    users = get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
    learners = Learner.objects.filter(email=email)
    if learner is not None:
        learners = learners.exclude(pk=learner.pk)
        if learner.user_id:
            users = users.exclude(pk=learner.user_id)
    return users.exists() or learners.exists()


def _phone_taken_message() -> str:
    return _(
        "An account with this phone number already exists. Sign in, or ask us at the centre "
        "for a link to set a new password."
    )


def _email_taken_message() -> str:
    return _(
        "An account with this email already exists. Sign in, or use “Forgot your password?” "
        "to set a new one."
    )


def _clean_contact(*, phone: str, email: str) -> tuple[str, str]:
    parsed_phone = phone_parse(phone)
    if phone.strip() and not parsed_phone:
        raise AccountError(str(PHONE_INVALID), field="phone")
    email = email_parse(email)
    if not parsed_phone and not email:
        raise AccountError(
            _("Give a phone number or an email address: you will use it to sign in."),
            field="phone",
        )
    return parsed_phone, email


def _full_clean(learner: Learner) -> None:
    try:
        learner.full_clean(exclude=["user"], validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise AccountError(messages[0], field=None if field == "__all__" else field) from None


def learner_register(
    *,
    password: str,
    preferred_name: str,
    date_of_birth: dt.date | None,
    phone: str = "",
    email: str = "",
    english_level: str = Level.NONE,
    preferred_language: str = settings.LANGUAGE_CODE,
    languages: str = "",
    consent_photo: bool = False,
    message_channel: str = "",
    messages_consent: bool = False,
) -> Learner:
    """Create a learner with an account in the Learners group, ready to sign in.

    The username is the phone number if there is one, else the email. Raises AccountError,
    creating nothing, when neither is given, and AccountTakenError when either already
    belongs to someone. Messages go by `message_channel` (when none is chosen: WhatsApp if
    there is a phone, else email) only if `messages_consent`, recorded as the learner's own.
    """
    phone, email = _clean_contact(phone=phone, email=email)
    child = date_of_birth is not None and age_on(date_of_birth, timezone.localdate()) < ADULT_AGE
    # A child's consents are given by their parent or guardian, at the centre.
    for field, asked in (("consent_photo", consent_photo), ("messages_consent", messages_consent)):
        if child and asked:
            raise AccountError(_guardian_gives_message(), field=field)
    learner = Learner(
        preferred_name=preferred_name.strip(),
        date_of_birth=date_of_birth,
        phone=phone,
        email=email,
        english_level=english_level or Level.NONE,
        preferred_language=preferred_language,
        languages=languages.strip(),
    )
    _full_clean(learner)
    with transaction.atomic():
        if phone and _phone_taken(phone):
            raise AccountTakenError(_phone_taken_message(), field="phone")
        if email and _email_taken(email):
            raise AccountTakenError(_email_taken_message(), field="email")
        try:
            # Two people signing up with the same number at the same instant both pass the
            # checks above; the unique username and phone constraints then refuse the second.
            with transaction.atomic():
                user = get_user_model().objects.create_user(
                    username=phone or email,
                    email=email,
                    password=password,
                    first_name=learner.preferred_name[:150],
                )
                user.groups.add(Group.objects.get(name=LEARNERS_GROUP))
                learner.user = user
                learner.save()
        except IntegrityError:
            raise AccountTakenError(
                _phone_taken_message() if phone else _email_taken_message(),
                field="phone" if phone else "email",
            ) from None
        learner = learner_channel_set(
            learner=learner,
            channel=message_channel or channel_default(phone=phone, email=email),
            consent=messages_consent,
            by=user,
        )
        if consent_photo:
            consent_give(
                learner=learner, purpose=ConsentPurpose.PHOTO, by=user, method=ConsentMethod.ONLINE
            )
    return learner


def account_reset_addresses(*, phone: str = "", email: str = "") -> list[str]:
    """The emails of the accounts that already hold this phone number or email.

    A sign-up for someone else's number or email sends the account's owner the link to set
    a new password, instead of telling the visitor that the account exists.
    """
    phone, email = phone_parse(phone), email_parse(email)
    holders = Q(pk__in=[])
    if phone:
        holders |= Q(username=phone) | Q(learner__phone=phone)
    if email:
        holders |= Q(username__iexact=email) | Q(email__iexact=email) | Q(learner__email=email)
    users = get_user_model().objects.filter(holders, is_active=True).exclude(email="")
    return sorted({user.email.lower() for user in users})


# What a learner may change about themself on /learn/profile/: the profile form shows these
# and learner_profile_update saves them. Everything else is the centre's to change.
SELF_EDITABLE = [
    "preferred_name",
    "phone",
    "email",
    "languages",
    "preferred_language",
    "consent_photo",
]
# Not consent_share_progress: it is for children, whose parent or guardian gives it, in person
# at the centre, where staff record it (the admin); a learner's own page does not offer it.


def learner_profile_update(
    *,
    learner: Learner,
    preferred_name: str,
    phone: str,
    email: str,
    languages: str,
    preferred_language: str,
    consent_photo: bool,
    by: AbstractBaseUser | None = None,
    message_channel: str | None = None,
    messages_consent: bool = False,
) -> Learner:
    """Save what a learner may change about themself, keeping their sign-in details in step.

    The change is logged (who, when, which fields; never the values) in the learner's
    history, which coordinators read in the admin.

    A username made from the old phone or email follows the new one, so that nobody is
    locked out and the old number is free for its next owner. Staff-made usernames stay.
    With `message_channel`, the channel and consent change too (learner_channel_set), checked
    against the new phone and email.
    """
    phone, email = _clean_contact(phone=phone, email=email)
    with transaction.atomic():
        learner = (
            Learner.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=learner.pk)
        )
        if phone and phone != learner.phone and _phone_taken(phone, learner=learner):
            raise AccountTakenError(_phone_taken_message(), field="phone")
        if email and email != learner.email and _email_taken(email, learner=learner):
            raise AccountTakenError(_email_taken_message(), field="email")
        old_identifiers = {learner.phone, learner.email} - {""}
        before = {name: getattr(learner, name) for name in SELF_EDITABLE}
        learner.preferred_name = preferred_name.strip()
        learner.phone = phone
        learner.email = email
        learner.languages = languages.strip()
        learner.preferred_language = preferred_language
        _full_clean(learner)
        try:
            with transaction.atomic():
                learner.save()
                user = learner.user
                if user is not None:
                    user.email = email
                    if user.username in old_identifiers:
                        user.username = phone or email
                    user.save(update_fields=["email", "username"])
        except IntegrityError:
            raise AccountTakenError(
                _phone_taken_message() if phone else _email_taken_message(),
                field="phone" if phone else "email",
            ) from None
        changed = [
            name
            for name in SELF_EDITABLE
            if name != "consent_photo" and getattr(learner, name) != before[name]
        ]
        if changed:
            log(
                instance=learner,
                action="enrolment.learner.edit",
                user=by,
                data={"fields": changed},
            )
        try:
            consent_change_online(
                learner=learner, purpose=ConsentPurpose.PHOTO, given=consent_photo, by=by
            )
        except ConsentError as error:
            raise AccountError(error.message, field="consent_photo") from None
        if message_channel is not None:
            if (
                messages_consent
                and learner.is_child()
                and not consent_is_given(learner=learner, purpose=ConsentPurpose.MESSAGES)
            ):
                raise AccountError(_guardian_gives_message(), field="messages_consent")
            learner = learner_channel_set(
                learner=learner, channel=message_channel, consent=messages_consent, by=by
            )
    return learner


def _username_for(learner: Learner) -> str:
    User = get_user_model()
    for candidate in (learner.phone, learner.email):
        if candidate and not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    return f"learner-{learner.pk}"


def learner_set_password_link(*, learner: Learner, request: HttpRequest | None = None) -> str:
    """The absolute one-time link where the learner chooses a password.

    A learner a coordinator registered has no account yet: one is made here, in the Learners
    group, with no usable password until the link is used. The link stops working once a
    password is set (the token depends on the current password) or after
    PASSWORD_RESET_TIMEOUT.
    """
    with transaction.atomic():
        learner = (
            Learner.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=learner.pk)
        )
        user = learner.user
        if user is None:
            user = get_user_model()(
                username=_username_for(learner),
                email=learner.email,
                first_name=learner.preferred_name[:150],
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=LEARNERS_GROUP))
            learner.user = user
            learner.save(update_fields=["user", "updated_at"])
    return _password_link(user, request=request)


def learner_password_link_send(
    *, learner: Learner, by: AbstractBaseUser, request: HttpRequest | None = None
) -> tuple[str, Message | None]:
    """Make the one-time link and send it by the learner's channel: many learners staff
    register have a phone and no email, and a link read out or copied by hand goes wrong.
    Returns the link (staff may still hand it over) and the message, whose status and skip
    reason say whether it went."""
    link = learner_set_password_link(learner=learner, request=request)
    learner.refresh_from_db()
    with transaction.atomic():
        message = message_queue(
            learner=learner, kind=MessageKind.PASSWORD_LINK, context={"link": link}, sent_by=by
        )
    return link, message


def _password_link(user: AbstractBaseUser, *, request: HttpRequest | None) -> str:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def learner_language_set(*, learner: Learner, language: str) -> None:
    """A learner chose `language` with the site's switcher: it becomes their language for
    messages too, since it is the one they want to read (the sign-up form says so)."""
    if language not in dict(settings.LANGUAGES):
        raise AccountError(_("This language is not offered."), field="preferred_language")
    Learner.objects.filter(pk=learner.pk).update(preferred_language=language)
