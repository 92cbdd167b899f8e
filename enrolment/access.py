"""Every "what may this user see or do" question, answered in one place.

Views, admin screens, feeds, downloads and exports fetch through the querysets here, so that
someone else's object is a 404 exactly like one that does not exist, and ask the gates here
before showing a role's pages. The querysets build on the models' own scoping methods
(`for_user`, `shareable`, `overlapping`); views never call `for_user` themselves.
"""

import datetime as dt
import functools

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import render
from django.utils import timezone

from cms.roles import (
    TEACHERS,
    can_teach,
    has_role,
    is_caseworker,
    is_coordinator,
    is_data_protection,
)
from courses.models import CourseRun, Session
from enrolment.models import (
    AccessLog,
    Certificate,
    CorrectionRequest,
    Enrolment,
    Learner,
    Message,
    ProgressReport,
    Sponsor,
    Sponsorship,
    SponsorshipPayment,
)

__all__ = [
    "access_logs_for_user",
    "can_read_access_log",
    "can_mark_register",
    "can_see_sensitive_fields",
    "can_see_impact_reports",
    "can_handle_correction_requests",
    "correction_requests_for_user",
    "can_teach",
    "certificates_for_user",
    "children_for_sponsor",
    "enrolments_for_user",
    "has_calendar",
    "is_coordinator",
    "own_messages",
    "payments_for_user",
    "learner_for_user",
    "learners_for_user",
    "own_enrolments",
    "reports_for_sponsor",
    "runs_for_user",
    "sessions_for_user",
    "sponsor_for_user",
    "sponsor_required",
    "sponsors_for_user",
    "sponsorships_for_user",
    "teacher_required",
    "upcoming_sponsorships_for_sponsor",
]


# --- learners and their enrolments ------------------------------------------------------------


def learners_for_user(user: AbstractBaseUser) -> QuerySet[Learner]:
    """Coordinators see every learner; a learner only themself; anyone else none."""
    return Learner.objects.for_user(user)


def learner_for_user(user: AbstractBaseUser) -> Learner | None:
    """The signed-in person's own learner profile; None for staff who have none."""
    return learners_for_user(user).filter(user=user).first()


def can_see_sensitive_fields(user: AbstractBaseUser) -> bool:
    """Only caseworkers (and superusers) read, edit or search by a learner's case reference
    and the caseworker notes; everyone else, coordinators included, learns only that one is
    recorded. The admin's forms check the permission the Caseworkers group holds,
    SENSITIVE_FIELDS_PERMISSION, which this agrees with."""
    return is_caseworker(user)


SENSITIVE_FIELDS_PERMISSION = "enrolment.change_sensitive_fields"


def enrolments_for_user(user: AbstractBaseUser) -> QuerySet[Enrolment]:
    """Coordinators see every enrolment; a learner their own; anyone else none."""
    return Enrolment.objects.for_user(user)


def own_enrolments(user: AbstractBaseUser) -> QuerySet[Enrolment]:
    """The signed-in person's own enrolments, even for a coordinator (for /learn/)."""
    return enrolments_for_user(user).filter(learner__user=user)


def messages_for_user(user: AbstractBaseUser) -> QuerySet[Message]:
    """Every message for a coordinator; a learner's own; nobody else's."""
    return Message.objects.for_user(user)


def own_messages(user: AbstractBaseUser) -> QuerySet[Message]:
    """The signed-in person's own messages, both ways, even for a coordinator (for /learn/)."""
    return messages_for_user(user).filter(learner__user=user)


def certificates_for_user(user: AbstractBaseUser) -> QuerySet[Certificate]:
    """Coordinators see every certificate; a learner the certificates of their enrolments."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    if is_coordinator(user):
        return Certificate.objects.all()
    return Certificate.objects.filter(enrolment__learner__user=user)


# --- teaching ---------------------------------------------------------------------------------


def sessions_for_user(user: AbstractBaseUser) -> QuerySet[Session]:
    """Coordinators see every session; a teacher those of the runs they teach; others none."""
    sessions = Session.objects.select_related("run", "run__course", "run__venue", "venue")
    if is_coordinator(user):
        return sessions
    if has_role(user, TEACHERS):
        return sessions.filter(run__teachers=user)
    return sessions.none()


def runs_for_user(user: AbstractBaseUser) -> QuerySet[CourseRun]:
    """Coordinators see every run; a teacher the runs they teach; others none."""
    runs = CourseRun.objects.select_related("course", "venue")
    if is_coordinator(user):
        return runs
    if has_role(user, TEACHERS):
        return runs.filter(teachers=user)
    return runs.none()


def can_mark_register(user: AbstractBaseUser, session: Session) -> bool:
    """Coordinators may correct any register; a teacher marks their own class's."""
    if is_coordinator(user):
        return True
    return has_role(user, TEACHERS) and session.run.teachers.filter(pk=user.pk).exists()


def has_calendar(user: AbstractBaseUser) -> bool:
    """Whether a calendar feed could ever hold anything for this user: learners and
    teaching staff."""
    return can_teach(user) or Learner.objects.filter(user=user).exists()


def can_read_access_log(user: AbstractBaseUser) -> bool:
    """The access log records coordinators at work: Data protection reads it, not they."""
    return is_data_protection(user)


def access_logs_for_user(user: AbstractBaseUser) -> QuerySet[AccessLog]:
    if not can_read_access_log(user):
        return AccessLog.objects.none()
    return AccessLog.objects.all()


def can_forget_learners(user: AbstractBaseUser) -> bool:
    """Forgetting a person cannot be undone: coordinators (and superusers) only."""
    return is_coordinator(user) and user.has_perm("enrolment.change_learner")


def can_handle_correction_requests(user: AbstractBaseUser) -> bool:
    """Coordinators answer learners' correction requests and download everything held about a
    person: the same people who may open and change a learner's record."""
    return is_coordinator(user)


def correction_requests_for_user(user: AbstractBaseUser) -> QuerySet[CorrectionRequest]:
    """Every request for a coordinator; a learner's own; nobody else's."""
    return CorrectionRequest.objects.for_user(user)


def can_see_impact_reports(user: AbstractBaseUser) -> bool:
    """Impact reports count everyone the centre serves, by age, origin and gender, and what
    each funder's children achieved: coordinators only."""
    return is_coordinator(user)


def teacher_required(view):
    """Teachers and coordinators pass; anyone else signed in gets the "for teachers" page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_teach(request.user):
            return render(request, "enrolment/teach/not_a_teacher.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper


# --- sponsors ---------------------------------------------------------------------------------


def sponsor_for_user(user: AbstractBaseUser) -> Sponsor | None:
    """The signed-in sponsor's own record; None for anyone else."""
    if not user.is_authenticated:
        return None
    return Sponsor.objects.filter(user=user).first()


def sponsors_for_user(user: AbstractBaseUser) -> QuerySet[Sponsor]:
    """Coordinators see every sponsor; a sponsor only their own record."""
    return Sponsor.objects.for_user(user)


def sponsorships_for_user(user: AbstractBaseUser) -> QuerySet[Sponsorship]:
    """Coordinators see every sponsorship; a sponsor their own."""
    return Sponsorship.objects.for_user(user)


def payments_for_user(user: AbstractBaseUser) -> QuerySet[SponsorshipPayment]:
    """Coordinators see every payment received; anyone else none (a sponsor reads what they
    sent as sums on their statement)."""
    if is_coordinator(user):
        return SponsorshipPayment.objects.all()
    return SponsorshipPayment.objects.none()


def children_for_sponsor(user: AbstractBaseUser, today: dt.date | None = None) -> QuerySet[Learner]:
    """The children a sponsor supports today: a sponsorship of theirs that has started and has
    not ended. Access ends with the sponsorship, reports from its time included: a former
    sponsor has no reason to follow the child, and the family agreed to share with the
    sponsors who fund the child now. Their statements (what they paid) stay theirs. Anyone
    but a sponsor gets none here; coordinators use the admin. Callers read only the columns a
    sponsor may see (sponsor_portal)."""
    if not user.is_authenticated:
        return Learner.objects.none()
    today = today or timezone.localdate()
    running = Sponsorship.objects.filter(child=OuterRef("pk"), sponsor__user=user)
    return Learner.objects.filter(Exists(running.overlapping(today, today)))


def upcoming_sponsorships_for_sponsor(
    user: AbstractBaseUser, today: dt.date | None = None
) -> QuerySet[Sponsorship]:
    """The sponsor's own sponsorships that have not started yet. They give no access to the
    child until they start (children_for_sponsor); the sponsor page names them as upcoming."""
    if not user.is_authenticated:
        return Sponsorship.objects.none()
    today = today or timezone.localdate()
    return Sponsorship.objects.filter(sponsor__user=user, starts_on__gt=today)


def reports_for_sponsor(
    user: AbstractBaseUser, today: dt.date | None = None
) -> QuerySet[ProgressReport]:
    """The shared reports of the children this sponsor supports now."""
    children = children_for_sponsor(user, today).filter(pk=OuterRef("child_id"))
    return ProgressReport.objects.shareable().filter(Exists(children))


def sponsor_required(view):
    """Pass the sponsor's display name to the view; anyone else gets the "for sponsors" page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        sponsor = sponsor_for_user(request.user)
        if sponsor is None:
            return render(request, "enrolment/sponsor/not_a_sponsor.html", status=403)
        return view(request, *args, sponsor_name=sponsor.display_name, **kwargs)

    return wrapper


def can_link_stories(user: AbstractBaseUser) -> bool:
    """Who may say whose story a story page tells: those who may change learners' records,
    where their story consent is recorded."""
    return user.is_active and user.has_perm("enrolment.change_learner")
