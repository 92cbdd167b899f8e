"""The dashboard panel of childcare places the coming days' sessions need (what it takes to
attend; an enrolment's support is changed in admin.enrolments.support). The sums are
enrolment.services.support's."""

from typing import Any

from wagtail.admin.ui.components import Component

from enrolment import access
from enrolment.services.support import CHILDCARE_DAYS, childcare_sessions


class ChildcarePanel(Component):
    """Dashboard: each session of the coming days whose learners bring children, and how many
    places childcare needs for it. One query however many sessions."""

    name = "childcare_places"
    template_name = "enrolment/admin/support/childcare_panel.html"
    order = 160

    def get_context_data(self, parent_context: Any) -> dict:
        context = super().get_context_data(parent_context)
        context.update(sessions=list(childcare_sessions()), later_days=CHILDCARE_DAYS - 1)
        return context


def childcare_panel_for(user) -> ChildcarePanel | None:
    """The panel for those who see every enrolment (coordinators); nobody else."""
    return ChildcarePanel() if access.is_coordinator(user) else None
