"""Signing up and signing in. The forms check what was typed; the rules live in
enrolment.services."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from courses.choices import Level
from enrolment.errors import AccountError
from enrolment.forms.base import PlainTextMixin
from enrolment.models import PHONE_INVALID, Channel
from enrolment.models.people import date_of_birth_check
from enrolment.services.accounts import email_parse, phone_parse
from enrolment.services.message_consent import channel_check, channel_default

ENGLISH_LEVEL_CHOICES = [(Level.NONE.value, _("I don't know, or none yet"))] + [
    (value, label) for value, label in Level.choices if value != Level.NONE
]


def _language_initial() -> str:
    current = translation.get_language() or settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    return current if current in codes else settings.LANGUAGE_CODE


class PhoneField(forms.CharField):
    """A phone number as typed; cleaned to "+85291234567". Eight digits are Hong Kong's."""

    # dir="ltr": "+852 9123 4567" is typed and read left to right on an Arabic or Urdu page too.
    widget = forms.TextInput(
        attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("label", _("Phone number"))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        phone = phone_parse(value)
        if not phone:
            raise forms.ValidationError(PHONE_INVALID, code="invalid")
        return phone


class ContactFieldsMixin:
    """Phone and email are each optional, but one of them is needed to sign in."""

    def clean_email(self):
        return email_parse(self.cleaned_data.get("email", ""))

    def clean(self):
        cleaned = super().clean()
        if not self.has_error("phone") and not self.has_error("email"):
            if not cleaned.get("phone") and not cleaned.get("email"):
                self.add_error(
                    "phone",
                    forms.ValidationError(
                        _("Give a phone number or an email address: you will use it to sign in."),
                        code="required",
                    ),
                )
        return cleaned


CONSENT_LABEL = _(
    "I agree that the centre sends me messages about my classes. Reply STOP at any time to stop."
)


class MessageChoiceMixin:
    """How the centre writes to the learner, and their consent. A channel they gave no phone
    number or email for is refused here. Left empty, the channel stays as it was (the
    profile), or follows what they gave: WhatsApp for a phone, else email (sign-up)."""

    def clean(self):
        cleaned = super().clean()
        if self.has_error("phone") or self.has_error("email"):
            return cleaned
        phone, email = cleaned.get("phone", ""), cleaned.get("email", "")
        channel = (
            cleaned.get("message_channel")
            or self.initial.get("message_channel")
            or channel_default(phone=phone, email=email)
        )
        cleaned["message_channel"] = channel
        try:
            channel_check(channel=channel, has_phone=bool(phone), has_email=bool(email))
        except AccountError as error:
            self.add_error(error.field, error.message)
        return cleaned


def message_channel_field(**kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("How should we send you messages?"),
        choices=Channel.choices,
        widget=forms.RadioSelect,
        **kwargs,
    )


class SignupForm(PlainTextMixin, MessageChoiceMixin, ContactFieldsMixin, forms.Form):
    phone = PhoneField(
        required=False,
        help_text=_("A Hong Kong number needs no country code, e.g. 9123 4567."),
    )
    email = forms.EmailField(
        label=_("Email (if you have one)"),
        required=False,
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
        help_text=_("Give a phone number, an email, or both."),
    )
    preferred_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("The name you want us to call you."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    date_of_birth = forms.DateField(
        label=_("Date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        help_text=_("Some classes are for adults or for children of a certain age."),
        validators=[date_of_birth_check],
    )
    english_level = forms.ChoiceField(
        label=_("Your English level"),
        choices=ENGLISH_LEVEL_CHOICES,
        required=False,
        initial=Level.NONE,
        help_text=_("Your own guess is fine. We may ask you to take a short test."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Your language"),
        choices=settings.LANGUAGES,
        help_text=_("You see this site and get our messages in this language."),
    )
    # Both named in the collection notice below the form, so both are asked here; optional.
    languages = forms.CharField(
        label=_("Languages you speak (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: Somali, Arabic. It helps us find an interpreter or a class."),
    )
    consent_photo = forms.BooleanField(
        label=_("I agree to appear in photos the centre takes and uses."),
        required=False,
        help_text=_("Optional. Leave it unticked and we take no photos of you."),
    )
    message_channel = message_channel_field(
        required=False,
        help_text=_("If you choose nothing: WhatsApp if you gave a phone number, else email."),
    )
    messages_consent = forms.BooleanField(
        label=CONSENT_LABEL,
        required=False,
        help_text=_("Without this, we send you no messages. You can change it later."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters. Not only numbers."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = _language_initial()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords are not the same."))
        elif password1:
            # The validators compare the password with the name and contact given.
            user = get_user_model()(
                username=cleaned.get("phone") or cleaned.get("email") or "",
                email=cleaned.get("email") or "",
                first_name=cleaned.get("preferred_name") or "",
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That phone number, email or username and password do not match an account. "
            "Check both and try again."
        ),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("Phone number, email or username")
        username.widget.attrs.pop("autofocus", None)
        # AuthenticationForm sets max_length after the field is built, so nothing checks it;
        # the longest identifier is an email (254).
        username.max_length = username.widget.attrs["maxlength"] = 254
        username.validators.append(
            MaxLengthValidator(
                254, message=_("That is too long for a phone number, email or username.")
            )
        )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending its email through the tasks queue after commit."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        from enrolment.tasks import send_message

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        transaction.on_commit(lambda: send_message.enqueue(subject, body, to_email))


def password_reset_send(request, *, email: str) -> None:
    """Email the accounts with this address the link to set a new password, as
    /accounts/password/reset/ would (nothing is sent to an account without a password)."""
    form = QueuedPasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            request=request,
            use_https=request.is_secure(),
            extra_email_context={"site_name": settings.WAGTAIL_SITE_NAME},
        )
