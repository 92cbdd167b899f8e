"""The case reference and the caseworker notes: only caseworkers read, edit or search by them.

Everyone else sees that one is recorded, never what it says. The field is left out of the
form for them (Wagtail's field permissions), so saving the form keeps the stored value.
"""

from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import FieldPanel

from enrolment import access

RECORDED = gettext_lazy("Recorded — visible to caseworkers only")
NOT_RECORDED = gettext_lazy("Not recorded")


class SensitiveFieldPanel(FieldPanel):
    """A field only caseworkers may see or edit; anyone else reads whether it is recorded."""

    def __init__(self, field_name, *args, **kwargs):
        kwargs.setdefault("permission", access.SENSITIVE_FIELDS_PERMISSION)
        super().__init__(field_name, *args, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.withheld = self.form is not None and self.bound_field is None
            if self.withheld:
                # Shown as read-only text: that it exists, not what it says.
                self.read_only = True
                self.heading = self.panel.heading or capfirst(self.panel.db_field.verbose_name)
                self.help_text = self.panel.help_text or capfirst(self.panel.db_field.help_text)

        def is_shown(self):
            return self.withheld or super().is_shown()

        @cached_property
        def value_from_instance(self):
            if not self.withheld:
                return super().value_from_instance
            return RECORDED if getattr(self.instance, self.field_name) else NOT_RECORDED

        def get_comparison(self):
            # Nothing to compare that the reader may know.
            return [] if self.withheld else super().get_comparison()


def learner_text_fields(user) -> list[str]:
    """The learner fields a search matches in: the case reference for caseworkers only, so
    that no one else can confirm a case reference by finding the learner it belongs to."""
    fields = ["preferred_name", "legal_name", "email"]
    if access.can_see_sensitive_fields(user):
        fields.append("case_reference")
    return fields
