"""The coordinator's dashboard: Wagtail's home page shows what needs doing today instead of
page, image and document counts. Three panels, read once per request from
enrolment.services.dashboard: the worklists with their counts and links, today's classes with
their registers, and the waitlist offers waiting for an answer."""

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from enrolment import access
from enrolment.models import CorrectionStatus, EnrolmentStatus, MessageStatus
from enrolment.models.schools import school_year_label
from enrolment.services.dashboard import CoordinatorDay, RegisterState, coordinator_day
from enrolment.services.funding import FundingStatus

TEMPLATES = "enrolment/admin/dashboard/"


def _url(name: str, **query) -> str:
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


class DashboardPanel(Component):
    def __init__(self, day: CoordinatorDay):
        self.day = day

    def get_context_data(self, parent_context=None):
        return {"day": self.day}


class NeedsDoingPanel(DashboardPanel):
    """Each worklist with how many wait on it and a link to the list."""

    order = 10
    template_name = TEMPLATES + "needs_doing.html"

    def get_context_data(self, parent_context=None):
        day = self.day
        year = school_year_label(day.school_year)
        rows = [
            (_("Registers not taken"), day.registers_not_taken, _url("registers_not_taken:index")),
            (_("Applications waiting for a decision"), day.applications, _url("enrolments:review")),
            (
                _("Waitlist offers waiting for an answer"),
                day.offers,
                _url("enrolments:index", status=EnrolmentStatus.OFFERED),
            ),
            (_("Learners at risk"), day.at_risk, _url("at_risk:index")),
            (
                _("Children waiting for a sponsor (%(year)s)") % {"year": year},
                day.waiting_for_sponsor,
                _url("funding:index", status=FundingStatus.WAITING),
            ),
            (
                _("Children under-funded (%(year)s)") % {"year": year},
                day.under_funded,
                _url("funding:index", status=FundingStatus.UNDER_FUNDED),
            ),
            (
                _("Messages not delivered"),
                day.failed_messages,
                _url("messages:index", status=MessageStatus.FAILED),
            ),
            (
                _("Correction requests waiting"),
                day.correction_requests,
                _url("correction_requests:index", status=CorrectionStatus.OPEN),
            ),
        ]
        return {"day": day, "rows": rows}


class TodayPanel(DashboardPanel):
    """Today's classes: time, course, venue, and whether the register was taken."""

    order = 20
    template_name = TEMPLATES + "today.html"

    def get_context_data(self, parent_context=None):
        return {"day": self.day, "states": RegisterState, "teach_url": reverse("teach")}


class OffersPanel(DashboardPanel):
    """Seats offered from the waitlist and held until the learner answers, soonest closing
    first, in Hong Kong time whatever the admin user's own time zone."""

    order = 30
    template_name = TEMPLATES + "offers.html"

    def get_context_data(self, parent_context=None):
        return {
            "day": self.day,
            "centre_time_zone": settings.TIME_ZONE,
            "list_url": _url("enrolments:index", status=EnrolmentStatus.OFFERED),
        }

    def render_html(self, parent_context=None):
        return super().render_html(parent_context) if self.day.offers else ""


def panels_for(request) -> list[Component]:
    """The coordinator's panels; nobody else's dashboard changes."""
    if not access.is_coordinator(request.user):
        return []
    day = coordinator_day(user=request.user)
    return [NeedsDoingPanel(day), TodayPanel(day), OffersPanel(day)]


def summary_items_hidden_for(request) -> bool:
    """Page, image and document counts say nothing about a coordinator's day."""
    return access.is_coordinator(request.user)
