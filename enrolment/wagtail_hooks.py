"""Registration only: the coordinators' screens (enrolment.admin) join Wagtail's admin here."""

from django.contrib import messages
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from enrolment.admin import access_log, corrections, dashboard, log_actions, stories
from enrolment.admin.chooser import learner_chooser_viewset
from enrolment.admin.enrolments.viewset import EnrolmentGroup
from enrolment.admin.menus import run_action_items
from enrolment.admin.qualifications import AchievementsGroup
from enrolment.admin.reports.views import impact_menu_item, impact_urls
from enrolment.admin.sponsorship.viewsets import SponsorshipGroup
from enrolment.admin.support import childcare_panel_for
from enrolment.admin.transport import TransportViewSet, transport_run_buttons
from enrolment.models import AccessLog, CorrectionRequest, StorySubject
from enrolment.services.enrolling import waitlist_promote


@hooks.register("register_admin_viewset")
def register_enrolment():
    return EnrolmentGroup()


@hooks.register("register_admin_viewset")
def register_achievements():
    return AchievementsGroup()


@hooks.register("register_admin_viewset")
def register_sponsorship():
    return SponsorshipGroup()


# Read by Data protection only, written by no one in the admin (enrolment.admin.access_log).
register_permission_policy(AccessLog, access_log.AccessLogPermissionPolicy(AccessLog))
# Read and answered by coordinators, added and deleted by no one (enrolment.admin.corrections).
register_permission_policy(
    CorrectionRequest, corrections.CorrectionRequestPermissionPolicy(CorrectionRequest)
)


@hooks.register("register_admin_viewset")
def register_access_log():
    return access_log.AccessLogViewSet()


@hooks.register("register_admin_viewset")
def register_learner_chooser():
    return learner_chooser_viewset


register_permission_policy(StorySubject, stories.StorySubjectPermissionPolicy(StorySubject))

# A story is about a learner: without their story consent it is neither served nor published.
hooks.register("before_serve_page", stories.story_serve_guard)
hooks.register("before_publish_page", stories.story_publish_guard)


@hooks.register("construct_homepage_panels")
def coordinator_dashboard(request, panels):
    """What needs doing today, first on a coordinator's dashboard."""
    panels.extend(dashboard.panels_for(request))


# Late (order 100): after Wagtail's own apps have added their counts.
@hooks.register("construct_homepage_summary_items", order=100)
def coordinator_summary(request, summary_items):
    if dashboard.summary_items_hidden_for(request):
        summary_items.clear()


@hooks.register("register_course_run_list_buttons")
def course_run_certification_buttons(request, run):
    """Close a finished run, issue a closed run's certificates: on the course-run listing."""
    return run_action_items(request.user, run)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    log_actions.register(actions)


@hooks.register("after_course_run_saved")
def promote_waitlist_after_run_saved(*, request, run):
    """A coordinator raised a run's capacity (or re-published it): seats are offered to the
    waitlist."""
    promoted = waitlist_promote(run=run, by=request.user)
    if promoted:
        messages.success(
            request,
            ngettext(
                "%(count)d person on the waitlist of %(code)s was offered a seat.",
                "%(count)d people on the waitlist of %(code)s were offered a seat.",
                len(promoted),
            )
            % {"count": len(promoted), "code": run.code},
        )


@hooks.register("register_admin_urls")
def register_impact_report_urls():
    return impact_urls()


@hooks.register("register_reports_menu_item")
def register_impact_report_menu_item():
    return impact_menu_item()


register_permission_policy(StorySubject, stories.StorySubjectPermissionPolicy(StorySubject))

# A story is about a learner: without their story consent it is neither served nor published.
hooks.register("before_serve_page", stories.story_serve_guard)
hooks.register("before_publish_page", stories.story_publish_guard)


@hooks.register("construct_homepage_panels")
def add_childcare_panel(request, panels):
    """Childcare places the coming days' sessions need, on a coordinator's dashboard."""
    panel = childcare_panel_for(request.user)
    if panel is not None:
        panels.append(panel)


@hooks.register("register_admin_viewset")
def register_transport():
    return TransportViewSet()


@hooks.register("register_course_run_list_buttons")
def course_run_transport_buttons(request, run):
    """Transport fares to pay back, on the course-run listing of a run that pays them."""
    return transport_run_buttons(request.user, run)


# Every admin listing's CSV or XLSX (cms.exports) goes into the access log.
hooks.register("after_spreadsheet_export", access_log.log_listing_export)
