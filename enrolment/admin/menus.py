"""The actions offered on a row or a page, as menu items: an enrolment's status changes, its
certification, a run's closing. Views in several modules show them, so they live apart from
those views."""

import datetime as dt

from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin.ui.menus import MenuItem

from courses.choices import RunStatus
from courses.models import CourseRun
from enrolment import access
from enrolment.models import Enrolment, EnrolmentStatus

S = EnrolmentStatus


def enrolment_action_items(enrolment: Enrolment) -> list[MenuItem]:
    """The status changes that make sense for this enrolment now, as menu items."""
    pk = quote(enrolment.pk)
    items = []
    if enrolment.status == S.APPLIED:
        items.append(
            MenuItem(_("Approve"), reverse("enrolments:approve", args=[pk]), icon_name="check")
        )
    if enrolment.status in (S.APPLIED, S.WAITLISTED):
        items.append(
            MenuItem(_("Decline"), reverse("enrolments:decline", args=[pk]), icon_name="cross")
        )
    if enrolment.is_active:
        items += [
            MenuItem(_("Withdraw"), reverse("enrolments:withdraw", args=[pk]), icon_name="logout"),
            MenuItem(
                _("Move to another class"),
                reverse("enrolments:move", args=[pk]),
                icon_name="arrow-right-full",
            ),
        ]
    for priority, item in enumerate(items, start=40):
        item.priority = priority
    return items


def run_action_items(user, run: CourseRun, *, today: dt.date | None = None) -> list[MenuItem]:
    """Close a finished run; issue the certificates of a closed one; write to the class."""
    today = today or timezone.localdate()
    items = []
    if (
        user.has_perm("courses.change_courserun")
        and run.status == RunStatus.PUBLISHED
        and run.end_date <= today
    ):
        items.append(
            MenuItem(
                _("Close run"),
                url=reverse("certificates:close_run", args=[run.pk]),
                icon_name="lock",
                priority=30,
            )
        )
    if (
        user.has_perm("courses.change_courserun")
        and run.status == RunStatus.PUBLISHED
        and run.end_date > today
    ):
        items.append(
            MenuItem(
                _("End early"),
                url=reverse("certificates:end_run_early", args=[run.pk]),
                icon_name="cross",
                priority=33,
            )
        )
    if access.is_coordinator(user):
        # The same page as a teacher's on /teach/: one place for the rules and the preview.
        items.append(
            MenuItem(
                _("Write to the class"),
                url=reverse("teach_run_message", args=[run.pk]),
                icon_name="mail",
                priority=32,
            )
        )
    if user.has_perm("enrolment.add_certificate") and run.status == RunStatus.CLOSED:
        items.append(
            MenuItem(
                _("Issue certificates"),
                url=reverse("certificates:issue_for_run", args=[run.pk]),
                icon_name="doc-full",
                priority=31,
            )
        )
    return items


def course_run_list_buttons(request, run: CourseRun) -> list[MenuItem]:
    """For the course-run listing, through courses' "register_course_run_list_buttons" hook."""
    return run_action_items(request.user, run)


def certification_action_items(user, enrolment: Enrolment) -> list[MenuItem]:
    """Override the outcome of a closed run's enrolment; issue its certificate.

    The enrolment should come with its certificate joined (select_related("certificate")),
    or this costs one query per enrolment."""
    items = []
    pk = quote(enrolment.pk)
    if enrolment.status in (S.COMPLETED, S.NOT_COMPLETED) and user.has_perm(
        "enrolment.change_enrolment"
    ):
        items.append(
            MenuItem(
                _("Override completion"),
                reverse("certificates:override", args=[pk]),
                icon_name="edit",
                priority=70,
            )
        )
    if (
        enrolment.status == S.COMPLETED
        and user.has_perm("enrolment.add_certificate")
        and not hasattr(enrolment, "certificate")
    ):
        items.append(
            MenuItem(
                _("Issue certificate"),
                reverse("certificates:issue", args=[pk]),
                icon_name="doc-full",
                priority=71,
            )
        )
    return items
