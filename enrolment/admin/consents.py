"""The learner's consents in the admin: the read-only history on the edit page, and the tick
boxes of the form recorded through the consents service, with who recorded them and how."""

from django.utils.translation import gettext_lazy
from wagtail.admin.panels import Panel

from enrolment.models import ConsentPurpose, Learner
from enrolment.services.consents import consent_history, consent_method_for, consent_set

# The form's tick boxes and the purpose each records.
CONSENT_FIELDS = {
    "consent_photo": ConsentPurpose.PHOTO,
    "consent_share_progress": ConsentPurpose.SHARE_PROGRESS,
    "consent_story": ConsentPurpose.STORY,
}


class ConsentHistoryPanel(Panel):
    """Every period of consent: given when, how, recorded by whom; withdrawn when and how."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", gettext_lazy("Consent history"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "enrolment/admin/learners/consent_history_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            learner = self.instance
            context["consents"] = consent_history(learner=learner)[:50] if learner.pk else []
            return context


def consent_fields_hold(form) -> dict[str, bool]:
    """Take the consent tick boxes out of what the model form saves: the stored state stays
    until consents_record writes it with its history. Returns what the form asked for."""
    wanted = {
        name: bool(form.cleaned_data[name]) for name in CONSENT_FIELDS if name in form.cleaned_data
    }
    instance = form.instance
    stored = (
        Learner.objects.filter(pk=instance.pk).values(*CONSENT_FIELDS).first()
        if instance.pk
        else None
    ) or dict.fromkeys(CONSENT_FIELDS, False)
    for name in wanted:
        setattr(instance, name, stored[name])
    return wanted


def consents_record(*, learner: Learner, wanted: dict[str, bool], by) -> None:
    """Record each consent the form changed, by the staff member; a child's is the
    guardian's."""
    method = consent_method_for(learner=learner, by=by)
    for name, given in wanted.items():
        consent_set(
            learner=learner, purpose=CONSENT_FIELDS[name], given=given, by=by, method=method
        )
