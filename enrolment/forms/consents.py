"""The learner's consent buttons on /learn/consents/: which consent, give or withdraw."""

from django import forms

from enrolment.models import ConsentPurpose


class ConsentChangeForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    action = forms.ChoiceField(choices=[("give", "give"), ("withdraw", "withdraw")])
