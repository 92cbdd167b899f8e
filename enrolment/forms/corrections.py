"""Correction requests: the learner's (on /learn/) and the coordinator's answer (the admin)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from enrolment.forms.base import PlainTextMixin
from enrolment.models import CorrectionStatus
from enrolment.models.privacy import CORRECTION_TEXT_MAX_LENGTH


class CorrectionRequestForm(PlainTextMixin, forms.Form):
    text = forms.CharField(
        label=_("What is wrong, and what should it say?"),
        max_length=CORRECTION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For example: “My date of birth says 1995. It should be 1996.”"),
        error_messages={"required": _("Write what is wrong, and what it should say.")},
    )


class CorrectionAnswerForm(PlainTextMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Answer"),
        choices=[
            (CorrectionStatus.DONE, _("Corrected: I changed the record")),
            (CorrectionStatus.REFUSED, _("Not changed")),
        ],
        widget=forms.RadioSelect,
    )
    reply = forms.CharField(
        label=_("Reply to the learner"),
        required=False,
        max_length=CORRECTION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("They read it on their page. If nothing is changed, say why."),
    )
