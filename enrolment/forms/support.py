"""What it takes to attend: the learner's questions when enrolling and on /learn/, and the
same fields in staff words for the admin. enrolment.services.support checks and records."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CourseRun
from enrolment.forms.base import PlainTextMixin
from enrolment.services.sponsor_statements import hkd
from enrolment.services.support import (
    CHILDREN_MESSAGE,
    LANGUAGE_MAX_LENGTH,
    LANGUAGE_MESSAGE,
    MAX_CHILDREN,
    Support,
)


class SupportForm(PlainTextMixin, forms.Form):
    interpreter_language = forms.CharField(
        label=_("Do you need an interpreter? Which language?"),
        required=False,
        max_length=LANGUAGE_MAX_LENGTH,
        help_text=_("Leave it empty if you do not need one. For example: Arabic, Somali."),
        error_messages={"max_length": LANGUAGE_MESSAGE},
    )
    childcare_children = forms.IntegerField(
        label=_("Do you need childcare? For how many children?"),
        required=False,
        min_value=0,
        max_value=MAX_CHILDREN,
        initial=0,
        help_text=_("0 if you do not need childcare."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": CHILDREN_MESSAGE,
            "min_value": CHILDREN_MESSAGE,
            "max_value": CHILDREN_MESSAGE,
        },
    )
    transport_reimbursed = forms.BooleanField(
        label=_("I need help with transport fares."),
        required=False,
    )

    def __init__(self, *args, run: CourseRun, **kwargs):
        super().__init__(*args, **kwargs)
        self.run = run
        if run.transport_per_session > 0:
            self.fields["transport_reimbursed"].help_text = _(
                "We pay back %(amount)s for each class you come to."
            ) % {"amount": hkd(run.transport_per_session)}
        else:
            # The class pays no fares: no question to answer.
            del self.fields["transport_reimbursed"]

    @classmethod
    def initial_for(cls, enrolment) -> dict:
        return {
            "interpreter_language": enrolment.interpreter_language,
            "childcare_children": enrolment.childcare_children,
            "transport_reimbursed": enrolment.transport_reimbursed,
        }

    def support(self) -> Support:
        data = self.cleaned_data
        return Support(
            interpreter_language=data.get("interpreter_language") or "",
            childcare_children=data.get("childcare_children") or 0,
            transport_reimbursed=bool(data.get("transport_reimbursed")),
        )


class StaffSupportForm(SupportForm):
    """The same answers, asked of a coordinator about the learner."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["interpreter_language"].label = _("Interpreter needed for (language)")
        fields["interpreter_language"].help_text = _("Empty when no interpreter is needed.")
        fields["childcare_children"].label = _("Children needing childcare")
        fields["childcare_children"].help_text = _("0 when none.")
        if "transport_reimbursed" in fields:
            fields["transport_reimbursed"].label = _("Transport fares paid back")
            fields["transport_reimbursed"].help_text = _(
                "%(amount)s for each session attended (present or late)."
            ) % {"amount": hkd(self.run.transport_per_session)}
