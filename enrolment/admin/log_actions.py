"""How the history ("log entries") names what was done to a learner or a progress report.

Registered by enrolment.wagtail_hooks through Wagtail's "register_log_actions" hook."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter

from enrolment.models import ConsentMethod, ConsentPurpose, Learner


class LearnerEdited(LogFormatter):
    """Which fields changed, by their labels, never their values: the case reference must
    not leak into the history."""

    label = _("Edit learner")

    def format_message(self, log_entry):
        labels = []
        for name in (log_entry.data or {}).get("fields", []):
            try:
                labels.append(str(capfirst(Learner._meta.get_field(name).verbose_name)))
            except FieldDoesNotExist:  # a field removed since: show its name
                labels.append(name)
        if not labels:
            return _("Saved without changes")
        return _("Changed: %(fields)s") % {"fields": ", ".join(labels)}


class ReportUnshared(LogFormatter):
    label = _("Stop sharing with sponsors")

    def format_message(self, log_entry):
        reason = (log_entry.data or {}).get("reason", "")
        if reason == "edited":
            return _("No longer shared: what sponsors see was changed, to be reviewed again")
        if reason == "stopped":
            return _("No longer shared: a coordinator stopped sharing it")
        if reason:
            return _("No longer shared: %(reason)s") % {"reason": reason}
        return _("No longer shared")


class LearnerAnonymised(LogFormatter):
    """Who forgot the person and why; the history never held their former values."""

    label = _("Forget this person")

    def format_message(self, log_entry):
        reason = (log_entry.data or {}).get("reason", "")
        if reason:
            return _("Forgotten: names, contacts and notes removed. Reason: %(reason)s") % {
                "reason": reason
            }
        return _("Forgotten: names, contacts and notes removed.")


class ConsentChanged(LogFormatter):
    """Which consent, and how: "Consent given: Photos (by a parent or guardian)"."""

    given = True

    def format_message(self, log_entry):
        data = log_entry.data or {}
        purpose = dict(ConsentPurpose.choices).get(data.get("purpose"), data.get("purpose", ""))
        method = dict(ConsentMethod.choices).get(data.get("method"), data.get("method", ""))
        text = (
            _("Consent given: %(purpose)s (%(method)s)")
            if self.given
            else _("Consent withdrawn: %(purpose)s (%(method)s)")
        )
        return text % {"purpose": purpose, "method": method}


class ConsentGiven(ConsentChanged):
    label = _("Consent given")


class ConsentWithdrawn(ConsentChanged):
    label = _("Consent withdrawn")
    given = False


def register(actions) -> None:
    actions.register_action("enrolment.learner.anonymise")(LearnerAnonymised)
    actions.register_action("enrolment.consent.give")(ConsentGiven)
    actions.register_action("enrolment.consent.withdraw")(ConsentWithdrawn)
    actions.register_action("enrolment.learner.edit")(LearnerEdited)
    actions.register_action(
        "enrolment.learner.password_link",
        _("One-time password link"),
        _("One-time password link created"),
    )
    actions.register_action(
        "enrolment.report.share", _("Share with sponsors"), _("Shared with sponsors")
    )
    actions.register_action("enrolment.report.unshare")(ReportUnshared)
