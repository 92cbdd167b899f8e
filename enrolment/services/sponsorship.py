"""Children's school sponsorships: the rules for placements, sponsorships and reports, when a
sponsorship pays, and how well each child's school year is funded.

When a sponsorship pays: on its first day and then every month (monthly), every four months
(each term: three terms a year) or every twelve months (yearly), up to its last day; a
one-off pays once, on its first day. A school year counts the payments that fall inside it.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cms.roles import SPONSORS, is_coordinator
from enrolment.errors import ReportIdentityError, SponsorshipError
from enrolment.models import (
    CostItem,
    Frequency,
    Grade,
    Learner,
    ProgressReport,
    School,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
)
from enrolment.models.people import ADULT_AGE
from enrolment.models.schools import TYPE_GRADES, school_year_bounds, school_year_label
from enrolment.services.identity_check import matches_summary, report_identity_matches
from enrolment.services.sponsor_portal import first_name

MAX_AMOUNT = Decimal("1000000")


# --- schools ----------------------------------------------------------------------------------


def school_check(
    *, school_type: str, lowest_grade: int | None, highest_grade: int | None
) -> tuple[int, int]:
    """The grades a school teaches: those given, or for one left empty the usual grade of
    its type (a primary school teaches P1 to P6). The lowest may not be above the highest."""
    if school_type not in SchoolType.values:
        raise SponsorshipError(_("Choose the type of school."), field="school_type")
    usual_lowest, usual_highest = TYPE_GRADES[SchoolType(school_type)]
    lowest = usual_lowest if lowest_grade is None else lowest_grade
    highest = usual_highest if highest_grade is None else highest_grade
    for name, grade in (("lowest_grade", lowest), ("highest_grade", highest)):
        if grade not in Grade.values:
            raise SponsorshipError(_("Choose a grade from the list."), field=name)
    if lowest > highest:
        raise SponsorshipError(
            _(
                "The lowest grade (%(lowest)s) is above the highest grade (%(highest)s). "
                "Choose a lowest grade at or below the highest."
            )
            % {"lowest": Grade(lowest).name, "highest": Grade(highest).name},
            field="lowest_grade",
        )
    return int(lowest), int(highest)


# --- placements -------------------------------------------------------------------------------


def placement_check(*, child: Learner, school: School, grade: int, school_year: int) -> None:
    """A placement is for a child, at a grade the school teaches."""
    if grade not in Grade.values:
        raise SponsorshipError(_("Choose a grade from the list."), field="grade")
    if not school.teaches(grade):
        raise SponsorshipError(
            _("%(school)s teaches %(range)s; %(grade)s is outside that range.")
            % {
                "school": school.name,
                "range": school.grade_range_label,
                "grade": Grade(grade).name,
            },
            field="grade",
        )
    first_day, _last = school_year_bounds(school_year)
    age = child.age_on(first_day)
    if age is None:
        raise SponsorshipError(
            _("Record the child's date of birth before their school place."), field="child"
        )
    if age >= ADULT_AGE:
        raise SponsorshipError(
            _("%(name)s is %(age)s at the start of %(year)s: school places are for children.")
            % {"name": child.preferred_name, "age": age, "year": school_year_label(school_year)},
            field="child",
        )


@transaction.atomic
def placement_save(*, placement: SchoolPlacement, by: AbstractBaseUser) -> SchoolPlacement:
    """Check and save a new or changed school place, and log who did it. A child has one
    place per school year."""
    if not is_coordinator(by):
        raise SponsorshipError(_("Only coordinators can record school places."))
    placement_check(
        child=placement.child,
        school=placement.school,
        grade=placement.grade,
        school_year=placement.school_year,
    )
    others = SchoolPlacement.objects.select_for_update().filter(
        child=placement.child, school_year=placement.school_year
    )
    if placement.pk is not None:
        others = others.exclude(pk=placement.pk)
    if others.exists():
        raise SponsorshipError(
            _("%(name)s already has a school place in %(year)s: change that one instead.")
            % {
                "name": placement.child.preferred_name,
                "year": school_year_label(placement.school_year),
            },
            field="school_year",
        )
    created = placement.pk is None
    placement.save()
    log(instance=placement, action="wagtail.create" if created else "wagtail.edit", user=by)
    return placement


# --- sponsorships -----------------------------------------------------------------------------


def sponsorship_check(
    *,
    child: Learner,
    starts_on: dt.date,
    ends_on: dt.date | None,
    amount: Decimal,
    frequency: str,
    covers: Iterable[str],
) -> None:
    """A sponsorship pays a positive amount, for a period in order, for a child under 18
    with a guardian on record."""
    if amount is None or amount <= 0:
        raise SponsorshipError(_("Enter an amount above HK$0."), field="amount")
    if amount >= MAX_AMOUNT:
        raise SponsorshipError(_("Enter an amount below HK$1,000,000."), field="amount")
    if ends_on is not None and ends_on < starts_on:
        raise SponsorshipError(
            _("The sponsorship cannot end (%(end)s) before it starts (%(start)s).")
            % {"end": ends_on.isoformat(), "start": starts_on.isoformat()},
            field="ends_on",
        )
    if frequency not in Frequency.values:
        raise SponsorshipError(_("Choose how often the sponsorship pays."), field="frequency")
    unknown = set(covers) - set(CostItem.values)
    if unknown:
        raise SponsorshipError(_("Choose what it covers from the list."), field="covers")
    age = child.age_on(starts_on)
    if age is None:
        raise SponsorshipError(
            _("Record the child's date of birth before a sponsorship."), field="child"
        )
    if age >= ADULT_AGE:
        raise SponsorshipError(
            _("%(name)s is %(age)s on %(start)s: only children under %(adult)s can be sponsored.")
            % {
                "name": child.preferred_name,
                "age": age,
                "start": starts_on.isoformat(),
                "adult": ADULT_AGE,
            },
            field="child",
        )
    if not child.guardian_name.strip():
        raise SponsorshipError(
            _("Record the child's parent or guardian before a sponsorship."), field="child"
        )


@transaction.atomic
def sponsorship_save(
    *,
    sponsorship: Sponsorship,
    by: AbstractBaseUser,
) -> Sponsorship:
    """Check and save a new or changed sponsorship, and log who did it."""
    if not is_coordinator(by):
        raise SponsorshipError(_("Only coordinators can record sponsorships."))
    sponsorship_check(
        child=sponsorship.child,
        starts_on=sponsorship.starts_on,
        ends_on=sponsorship.ends_on,
        amount=sponsorship.amount,
        frequency=sponsorship.frequency,
        covers=sponsorship.covers,
    )
    created = sponsorship.pk is None
    if created:
        sponsorship.created_by = by
    sponsorship.save()
    log(instance=sponsorship, action="wagtail.create" if created else "wagtail.edit", user=by)
    return sponsorship


# --- sponsors ---------------------------------------------------------------------------------


@transaction.atomic
def sponsor_create(*, display_name: str, email: str, by: AbstractBaseUser) -> Sponsor:
    """A sponsor and their account in the Sponsors group. The account has no password yet:
    the sponsor sets one through "forgot your password" with this email."""
    display_name = display_name.strip()
    email = email.strip().lower()
    if not display_name:
        raise SponsorshipError(_("Enter the sponsor's display name."), field="display_name")
    if not email:
        raise SponsorshipError(_("Enter the sponsor's email."), field="email")
    User = get_user_model()
    if (
        User.objects.filter(username__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    ):
        raise SponsorshipError(_("An account with this email already exists."), field="email")
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=email, email=email, password=None)
    except IntegrityError:
        raise SponsorshipError(
            _("An account with this email already exists."), field="email"
        ) from None
    user.groups.add(Group.objects.get(name=SPONSORS))
    sponsor = Sponsor.objects.create(user=user, display_name=display_name)
    log(instance=sponsor, action="wagtail.create", user=by)
    return sponsor


@transaction.atomic
def sponsor_delete(*, sponsor: Sponsor, by: AbstractBaseUser) -> None:
    """Remove a sponsor recorded by mistake, and their sign-in, so that the email can be used
    again. A sponsor with sponsorships stays: what they paid is history. An account that
    is more than a sponsor's (a learner, staff) keeps everything but the Sponsors group."""
    if not is_coordinator(by):
        raise SponsorshipError(_("Only coordinators can delete sponsors."))
    sponsor = Sponsor.objects.select_for_update().select_related("user").get(pk=sponsor.pk)
    if sponsor.sponsorships.exists():
        raise SponsorshipError(
            _(
                "%(name)s has sponsorships on record, so the sponsor cannot be deleted. "
                "Give the sponsorships an end date instead: their history stays."
            )
            % {"name": sponsor.display_name}
        )
    user = sponsor.user
    log(instance=sponsor, action="wagtail.delete", user=by, deleted=True)
    sponsor.delete()
    other_roles = (
        user.is_staff
        or user.is_superuser
        or user.groups.exclude(name=SPONSORS).exists()
        or Learner.objects.filter(user=user).exists()
    )
    if other_roles:
        user.groups.remove(Group.objects.get(name=SPONSORS))
    else:
        user.delete()


# --- progress reports -------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSaved:
    report: ProgressReport
    created: bool
    # It was shared and what sponsors see changed: hidden until a coordinator shares it again.
    unshared: bool


def _what_sponsors_see(report: ProgressReport) -> tuple:
    """The parts of a report a sponsor reads once it is shared (never the caseworker note).
    The grades come from the report's own rows, unsaved ones included, so that an edit
    form's changes count before they are written."""
    grades = sorted((line.subject, line.grade) for line in report.grades.all())
    return (
        report.child_id,
        report.school_year,
        report.term,
        report.school_attendance_percent,
        report.teacher_comment,
        tuple(grades),
    )


@transaction.atomic
def report_save(*, report: ProgressReport, by: AbstractBaseUser) -> ReportSaved:
    """Save a new or changed report with its subject grades, and log who did it.

    A shared report whose shared parts changed (child, year, term, attendance, teacher's
    comment, grades) stops being shared: a coordinator reviews and shares it again. Changing
    only the caseworker note keeps it shared."""
    if not is_coordinator(by):
        raise SponsorshipError(_("Only coordinators can record progress reports."))
    created = report.pk is None
    unshared = False
    if not created:
        # Locked, so that a share in another tab cannot slip between the comparison and the
        # save; the sharing flags are the database's, never the edit form's stale copy.
        current = ProgressReport.objects.select_for_update().get(pk=report.pk)
        report.shared_with_sponsors = current.shared_with_sponsors
        report.shared_at = current.shared_at
        report.shared_by_id = current.shared_by_id
        if current.shared_with_sponsors and _what_sponsors_see(current) != _what_sponsors_see(
            report
        ):
            report.shared_with_sponsors = False
            report.shared_at = None
            report.shared_by = None
            unshared = True
    report.save()  # a ClusterableModel: writes its subject grades too
    log(instance=report, action="wagtail.create" if created else "wagtail.edit", user=by)
    if unshared:
        log(
            instance=report,
            action="enrolment.report.unshare",
            user=by,
            data={"reason": "edited"},
        )
    return ReportSaved(report=report, created=created, unshared=unshared)


@transaction.atomic
def report_share(*, report: ProgressReport, by: AbstractBaseUser) -> ProgressReport:
    """A coordinator has read the report and lets the child's sponsors see it, unless its text
    names or locates the child (identity_check): then nothing is shared and the error lists
    where, for the coordinator to change the words."""
    if not is_coordinator(by):
        raise SponsorshipError(_("Only a coordinator can share a report with sponsors."))
    report = ProgressReport.objects.select_for_update().select_related("child").get(pk=report.pk)
    if not report.child.consent_share_progress:
        raise SponsorshipError(
            _(
                "%(name)s's family has not agreed to share progress with sponsors, so this "
                "report cannot be shared."
            )
            % {"name": report.child.preferred_name}
        )
    # Checked even if already shared: a report shared before this check existed is reported.
    matches = report_identity_matches(report=report)
    if matches:
        raise ReportIdentityError(
            _(
                "This report names or locates %(name)s, so it was not shared. Change these "
                "words and share again: %(matches)s."
            )
            % {
                "name": first_name(report.child.preferred_name),
                "matches": matches_summary(matches),
            },
            matches=matches,
        )
    if report.shared_with_sponsors:
        return report
    report.shared_with_sponsors = True
    report.shared_at = timezone.now()
    report.shared_by = by
    report.save(update_fields=["shared_with_sponsors", "shared_at", "shared_by", "updated_at"])
    log(instance=report, action="enrolment.report.share", user=by)
    return report


@transaction.atomic
def report_unshare(*, report: ProgressReport, by: AbstractBaseUser, reason: str = "") -> None:
    """Hide a report from sponsors again (after an edit, or on second thoughts)."""
    if not is_coordinator(by):
        raise SponsorshipError(_("Only a coordinator can stop sharing a report."))
    updated = ProgressReport.objects.filter(pk=report.pk, shared_with_sponsors=True).update(
        shared_with_sponsors=False, shared_at=None, shared_by=None, updated_at=timezone.now()
    )
    if updated:
        report.refresh_from_db()
        log(
            instance=report,
            action="enrolment.report.unshare",
            user=by,
            data={"reason": reason[:200]},
        )
