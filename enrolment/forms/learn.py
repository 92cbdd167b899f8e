"""The learner's own forms on /learn/: their profile, leaving a class."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from enrolment.forms.accounts import (
    CONSENT_LABEL,
    ContactFieldsMixin,
    MessageChoiceMixin,
    PhoneField,
    message_channel_field,
)
from enrolment.forms.base import PlainTextMixin
from enrolment.services.accounts import SELF_EDITABLE


class ProfileForm(PlainTextMixin, MessageChoiceMixin, ContactFieldsMixin, forms.Form):
    preferred_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("The name you want us to call you."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    phone = PhoneField(required=False, help_text=_("You can sign in with it."))
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        max_length=150,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "dir": "ltr"}),
        help_text=_("You can sign in with it, and reset your password by email."),
    )
    languages = forms.CharField(
        label=_("Languages you speak"),
        max_length=200,
        required=False,
        help_text=_("For example: Somali, Arabic."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Your language"),
        choices=settings.LANGUAGES,
        help_text=_("You see this site and get our messages in this language."),
    )
    message_channel = message_channel_field(required=False)
    messages_consent = forms.BooleanField(
        label=CONSENT_LABEL,
        required=False,
        help_text=_("Untick it, or choose “No messages”, and we stop at once."),
    )
    consent_photo = forms.BooleanField(
        label=_("I agree to appear in photos the centre takes and uses."), required=False
    )

    @classmethod
    def initial_for(cls, learner) -> dict:
        # The fields are the service's list of what a learner may change about themself.
        initial = {name: getattr(learner, name) for name in SELF_EDITABLE}
        initial["message_channel"] = learner.message_channel
        initial["messages_consent"] = (
            learner.messages_consent_at is not None and learner.messages_stopped_at is None
        )
        return initial


class WithdrawForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you leaving? (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("It helps us plan. Only centre staff see it."),
    )
