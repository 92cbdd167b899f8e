"""Forgetting a person (PDPO's retention principle, issue 15): their record stays, as a
statistic, and nothing left in it says who they were.

Removed: names, contacts, date of birth (the age band it gave is kept), languages spoken,
guardian, case reference, photo, consents, messages' texts and addresses, free text about
them (notes, comments, reasons), their account's login and names, the history's labels and
data that named them. Kept, because the impact figures count them and none of them names
anyone: enrolments, attendance, results, certificates, qualifications, school places,
sponsorships and payments; gender and region of origin (broad bands asked only for those
figures); the language for messages and the English level (one of a handful of values each).

A certificate keeps its number, course and dates and still verifies; the name printed on it
goes (templates/enrolment/certificates/verify.html says why).
"""

import datetime as dt

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.models import PageLogEntry

from cms.models import StoryPage
from cms.page_cache import public_pages_changed
from enrolment.errors import ForgettingError
from enrolment.models import (
    AccessLog,
    Attendance,
    AttendanceChange,
    CalendarToken,
    Certificate,
    Channel,
    ConsentMethod,
    ConsentPurpose,
    CorrectionRequest,
    Enrolment,
    EnrolmentEvent,
    Learner,
    Message,
    ProgressReport,
    Qualification,
    Result,
    SchoolPlacement,
    Sponsorship,
    StorySubject,
)
from enrolment.models.enrolments import ACTIVE_STATUSES
from enrolment.services.consents import consent_withdraw
from enrolment.services.forgetting_history import history_forget
from enrolment.services.impact.breakdowns import AGE_BANDS
from enrolment.services.impact.figures import ATTENDED

# What a forgotten learner is called everywhere: "Former learner (L12)" in staff lists.
FORMER_NAME = gettext_lazy("Former learner")
ANONYMISE_ACTION = "enrolment.learner.anonymise"


def age_band_of(age: int | None) -> str:
    """The impact report's band for an age in whole years; "" without one."""
    if age is None:
        return ""
    band = ""
    for key, youngest in AGE_BANDS:
        if age >= youngest:
            band = key
    return band


def last_day_taking_part(*, learner: Learner) -> dt.date:
    """The last session they attended or the last day of an enrolment that ended (the day
    they left, or their run's last day), whichever is later; today if neither."""
    today = timezone.localdate()
    attended = Attendance.objects.filter(enrolment__learner=learner, status__in=ATTENDED).aggregate(
        day=Max("session__date")
    )["day"]
    days = [attended] if attended else []
    for enrolment in Enrolment.objects.filter(learner=learner).select_related("run"):
        if enrolment.left_at:
            days.append(timezone.localdate(enrolment.left_at))
        elif enrolment.status in ("completed", "not_completed"):
            days.append(enrolment.run.end_date)
    return min(max(days), today) if days else today


def _refuse_while_taking_part(learner: Learner) -> None:
    if Enrolment.objects.filter(learner=learner, status__in=ACTIVE_STATUSES).exists():
        raise ForgettingError(
            _(
                "%(name)s still has an application, a waitlist place, an offer or a seat in a "
                "class. Withdraw them from it first, then forget them."
            )
            % {"name": learner.list_name}
        )
    today = timezone.localdate()
    current = Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    if Sponsorship.objects.filter(current, child=learner).exists():
        raise ForgettingError(
            _(
                "%(name)s has a sponsorship that has not ended. End it first (set the day it "
                "ends), then forget them."
            )
            % {"name": learner.list_name}
        )


def _locked_learner(pk: int) -> Learner:
    """The learner's row, locked until the transaction ends: two coordinators, or two runs of
    apply_retention, wait for each other here, and the second sees the first's work."""
    return Learner.objects.select_for_update().get(pk=pk)


def _account_forget(learner: Learner) -> None:
    """The account stays (its foreign keys keep history whole) but can never sign in again
    and no longer says whose it was, nor where it signed in from. An unusable password also
    ends its open sessions."""
    user = learner.user
    if user is None:
        return
    CalendarToken.objects.filter(user=user).delete()
    # django-axes keeps every sign-in and failed attempt under the account's username (any
    # phone or email typed counts as it), with the address and browser it came from.
    for sign_ins in (AccessAttempt, AxesAccessLog, AccessFailureLog):
        sign_ins.objects.filter(username=user.get_username()).delete()
    user.username = f"forgotten-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()


def _records_forget(learner: Learner) -> None:
    """Free text about them in the records kept as statistics; those records stay."""
    enrolments = Enrolment.objects.filter(learner=learner)
    EnrolmentEvent.objects.filter(enrolment__in=enrolments).update(reason="")
    Attendance.objects.filter(enrolment__in=enrolments).update(note="")
    AttendanceChange.objects.filter(attendance__enrolment__in=enrolments).update(
        from_note="", to_note=""
    )
    Result.objects.filter(enrolment__in=enrolments).update(comment="")
    Certificate.objects.filter(enrolment__in=enrolments).update(holder_name="")
    Qualification.objects.filter(learner=learner).update(reference="")
    Message.objects.filter(learner=learner).update(
        address="", subject="", body="", error="", provider_id=""
    )
    Sponsorship.objects.filter(child=learner).update(note="")
    SchoolPlacement.objects.filter(child=learner).update(other_costs_note="")
    ProgressReport.objects.filter(child=learner).update(
        teacher_comment="", caseworker_note="", shared_with_sponsors=False
    )


def other_personal_data_forget(*, learner: Learner, by: AbstractBaseUser | None) -> None:
    """The place for personal data kept outside the models above, as it is added: consent
    history rows, correction requests' texts. Called inside learner_anonymise's transaction,
    with the learner's row locked."""
    # Every consent ends through the consent service, so that the history says when, and a
    # story about them is taken down (consent_withdraw unpublishes it after the commit).
    for purpose in ConsentPurpose.values:
        consent_withdraw(learner=learner, purpose=purpose, by=by, method=ConsentMethod.IN_PERSON)
    _stories_forget(learner)


def _stories_forget(learner: Learner) -> None:
    """A story tells who they are: its pages go, in every language, with their history
    (whose labels are the stories' titles). Pages only: the images stay in the library."""
    keys = StorySubject.objects.filter(learner=learner).values("story__translation_key")
    stories = list(StoryPage.objects.filter(translation_key__in=keys))
    ids = [story.pk for story in stories]
    for story in stories:
        story.delete()
    PageLogEntry.objects.filter(page_id__in=ids).delete()
    if ids:
        public_pages_changed()
    # What they asked to correct quotes their details; the request's dates and outcome stay.
    CorrectionRequest.objects.filter(learner=learner).update(text="", staff_reply="")


def _former_values(learner: Learner) -> list[str]:
    values = [
        learner.list_name,
        learner.preferred_name,
        learner.legal_name,
        learner.phone,
        learner.email,
        learner.guardian_name,
        learner.guardian_phone,
        learner.case_reference,
    ]
    if learner.user is not None:
        values += [learner.user.username, learner.user.email]
    return [value for value in values if value and len(value) >= 3]


def _access_log_forget(learner: Learner, former: list[str]) -> None:
    """The log keeps that someone looked, and at whose record (by number); a `what` naming
    the person loses the name."""
    rows = AccessLog.objects.filter(Q(learner=learner) | Q(what__contains=learner.list_name))
    for row in rows:
        what = row.what
        for value in former:
            what = what.replace(value, "–")
        if what != row.what:
            AccessLog.objects.filter(pk=row.pk).update(what=what)


def learner_anonymise(*, learner: Learner, by: AbstractBaseUser | None, reason: str) -> bool:
    """Forget `learner` now; False (and nothing done) if they were already forgotten.

    Refused while they take part (an active enrolment, a sponsorship not ended): staff end
    those first. The history records who did it, when and why, never the former values.
    The photo's file is deleted once the change commits (enrolment.apps).
    """
    reason = " ".join((reason or "").split())
    if not reason:
        raise ForgettingError(_("Say why this person is being forgotten."), field="reason")
    with transaction.atomic():
        learner = _locked_learner(learner.pk)
        if learner.anonymised_at is not None:
            return False
        _refuse_while_taking_part(learner)
        learner = Learner.objects.select_related("user").get(pk=learner.pk)
        former = _former_values(learner)
        former_list_name = learner.list_name
        band = learner.age_band or age_band_of(
            learner.age_on(last_day_taking_part(learner=learner))
        )
        learner.preferred_name = str(FORMER_NAME)
        for name in (
            "legal_name",
            "languages",
            "phone",
            "email",
            "guardian_name",
            "guardian_phone",
            "guardian_relationship",
            "case_reference",
        ):
            setattr(learner, name, "")
        learner.date_of_birth = None
        learner.age_band = band
        learner.photo = ""
        learner.message_channel = Channel.NONE
        learner.messages_consent_at = learner.messages_stopped_at = None
        learner.messages_consent_by = None
        learner.consent_photo = learner.consent_share_progress = False
        learner.anonymised_at = timezone.now()
        learner.save()
        _account_forget(learner)
        _records_forget(learner)
        other_personal_data_forget(learner=learner, by=by)
        _access_log_forget(learner, former)
        history_forget(learner=learner, former_list_name=former_list_name, former=former)
        log(
            instance=learner,
            action=ANONYMISE_ACTION,
            user=by,
            data={"reason": reason[:500]},
        )
    return True
