"""The coordinators' forms for outcomes, certificates and qualifications from outside."""

from django import forms
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminDateInput

from courses.choices import Level
from courses.models import Partner
from enrolment import access
from enrolment.forms.base import PlainTextMixin
from enrolment.models import (
    GedSubject,
    Learner,
    Qualification,
    QualificationKind,
)
from enrolment.services.qualifications import (
    IELTS_SKILLS,
    qualification_record_ged_subject,
    qualification_record_ielts,
    qualification_record_partner_level,
)


class OverrideForm(PlainTextMixin, forms.Form):
    completed = forms.TypedChoiceField(
        label=gettext_lazy("Outcome"),
        choices=[("yes", gettext_lazy("Completed")), ("no", gettext_lazy("Not completed"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy("Kept in the enrolment's history."),
    )


class RevokeForm(PlainTextMixin, forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,  # the service refuses an empty one, with its own message
        help_text=gettext_lazy("Kept on record; the public check only says “revoked”."),
    )


class QualificationForm(PlainTextMixin, forms.Form):
    learner = forms.ModelChoiceField(label=gettext_lazy("Learner"), queryset=Learner.objects.none())
    taken_on = forms.DateField(label=gettext_lazy("Date of the test"), widget=AdminDateInput)
    reference = forms.CharField(
        label=gettext_lazy("Candidate or certificate number"), max_length=60, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = access.learners_for_user(user)

    def record(self, by) -> Qualification:
        raise NotImplementedError


class GedForm(QualificationForm):
    """One GED subject's result; the diploma follows by itself after the fourth pass."""

    subject = forms.ChoiceField(label=gettext_lazy("Subject"), choices=GedSubject.choices)
    score = forms.IntegerField(
        label=gettext_lazy("Score"),
        help_text=gettext_lazy("100 to 200; 145 or more passes."),
        widget=forms.NumberInput(attrs={"min": 100, "max": 200}),
    )
    field_order = ["learner", "subject", "score", "taken_on", "reference"]
    diploma: Qualification | None = None

    def record(self, by):
        data = self.cleaned_data
        recorded = qualification_record_ged_subject(
            learner=data["learner"],
            subject=data["subject"],
            score=data["score"],
            taken_on=data["taken_on"],
            reference=data["reference"],
            by=by,
        )
        self.diploma = recorded.diploma
        return recorded.result


class IeltsForm(QualificationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for skill, label in IELTS_SKILLS.items():
            self.fields[skill] = forms.DecimalField(
                label=label, widget=forms.NumberInput(attrs={"min": 0, "max": 9, "step": "0.5"})
            )

    def record(self, by):
        data = self.cleaned_data
        return qualification_record_ielts(
            learner=data["learner"],
            bands={skill: data[skill] for skill in IELTS_SKILLS},
            taken_on=data["taken_on"],
            reference=data["reference"],
            by=by,
        )


class PartnerLevelForm(QualificationForm):
    level = forms.ChoiceField(
        label=gettext_lazy("CEFR level"),
        choices=[(value, label) for value, label in Level.choices if value != Level.NONE],
    )
    partner = forms.ModelChoiceField(
        label=gettext_lazy("Awarded by"), queryset=Partner.objects.originals().order_by("name")
    )

    def record(self, by):
        data = self.cleaned_data
        return qualification_record_partner_level(
            learner=data["learner"],
            level=data["level"],
            partner=data["partner"],
            taken_on=data["taken_on"],
            reference=data["reference"],
            by=by,
        )


QUALIFICATION_FORMS = {
    QualificationKind.GED_SUBJECT: GedForm,
    QualificationKind.IELTS: IeltsForm,
    QualificationKind.PARTNER_LEVEL: PartnerLevelForm,
}
