"""What it takes for a learner to attend: an interpreter, childcare, help with transport fares.

An enrolment records it; the learner sets it when enrolling (and changes it on /learn/ while
the enrolment is active), staff at any time. The teacher sees it on the register as short
labels, the coordinator the childcare places each coming session needs, and transport fares
are paid back for the sessions attended (enrolment.services.transport).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from cms.roles import acting_user
from cms.validators import single_line
from courses.choices import RunStatus, SessionStatus
from courses.models import CourseRun, Session
from enrolment import access
from enrolment.errors import EnrolmentError
from enrolment.models import SEAT_HOLDING_STATUSES, Enrolment, EnrolmentEvent, Learner
from enrolment.services.enrolling import enrolment_create

MAX_CHILDREN = 12
LANGUAGE_MAX_LENGTH = 60
CHILDCARE_DAYS = 7  # today and the next six days
# Said the same way by the form and here: on a course page they show alone, as a banner.
CHILDREN_MESSAGE = gettext_lazy("Give a number of children from 0 to 12.")
LANGUAGE_MESSAGE = gettext_lazy("Write the language in at most 60 characters.")


@dataclass(frozen=True)
class Support:
    """What a learner needs to attend; the default needs nothing."""

    interpreter_language: str = ""
    childcare_children: int = 0
    transport_reimbursed: bool = False

    @classmethod
    def of(cls, enrolment: Enrolment) -> "Support":
        return cls(
            interpreter_language=enrolment.interpreter_language,
            childcare_children=enrolment.childcare_children,
            transport_reimbursed=enrolment.transport_reimbursed,
        )


def support_check(*, support: Support, run: CourseRun) -> Support:
    """The support tidied (spaces), or EnrolmentError naming the field that is wrong."""
    language = re.sub(r"\s+", " ", support.interpreter_language or "").strip()
    if len(language) > LANGUAGE_MAX_LENGTH:
        raise EnrolmentError(str(LANGUAGE_MESSAGE), field="interpreter_language")
    try:
        single_line(support.interpreter_language or "")
    except ValidationError as error:
        raise EnrolmentError(
            _("Write the language on one line, without special characters."),
            field="interpreter_language",
        ) from error
    children = support.childcare_children
    if isinstance(children, bool) or not isinstance(children, int):
        raise EnrolmentError(str(CHILDREN_MESSAGE), field="childcare_children")
    if not 0 <= children <= MAX_CHILDREN:
        raise EnrolmentError(str(CHILDREN_MESSAGE), field="childcare_children")
    transport = bool(support.transport_reimbursed)
    if transport and not run.transport_per_session > 0:
        raise EnrolmentError(
            _("This class does not pay back transport fares."), field="transport_reimbursed"
        )
    return Support(
        interpreter_language=language, childcare_children=children, transport_reimbursed=transport
    )


def _summary(support: Support) -> str:
    parts = []
    if support.interpreter_language:
        parts.append(_("interpreter (%(language)s)") % {"language": support.interpreter_language})
    if support.childcare_children:
        parts.append(
            ngettext(
                "childcare for %(count)d child",
                "childcare for %(count)d children",
                support.childcare_children,
            )
            % {"count": support.childcare_children}
        )
    if support.transport_reimbursed:
        parts.append(_("transport fares"))
    if not parts:
        return _("Support to attend: none.")
    return _("Support to attend: %(needs)s.") % {"needs": "; ".join(parts)}


def enrolment_support_set(
    *, enrolment: Enrolment, support: Support, by: AbstractBaseUser | None
) -> Enrolment:
    """Record what the learner needs to attend, in the enrolment's history.

    A learner changes their own while the enrolment is active; staff (a coordinator) at any
    time, so that fares can still be set right for a finished class. Raises EnrolmentError,
    changing nothing, for a value out of bounds or transport on a class that pays none.
    """
    with transaction.atomic():
        fresh = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("run")
            .get(pk=enrolment.pk)
        )
        staff = by is not None and access.is_coordinator(by)
        if not fresh.is_active and not staff:
            raise EnrolmentError(_("This enrolment is no longer active."))
        support = support_check(support=support, run=fresh.run)
        if support == Support.of(fresh):
            return fresh
        fresh.interpreter_language = support.interpreter_language
        fresh.childcare_children = support.childcare_children
        fresh.transport_reimbursed = support.transport_reimbursed
        fresh.save(
            update_fields=[
                "interpreter_language",
                "childcare_children",
                "transport_reimbursed",
                "updated_at",
            ]
        )
        # The history is read by staff: written in the site's language, whoever typed it.
        with translation.override(settings.LANGUAGE_CODE):
            reason = _summary(support)
        EnrolmentEvent.objects.create(
            enrolment=fresh,
            from_status=fresh.status,
            to_status=fresh.status,
            by=acting_user(by),
            reason=reason,
        )
    return fresh


def enrolment_create_with_support(
    *, learner: Learner, run: CourseRun, support: Support, by: AbstractBaseUser | None
) -> Enrolment:
    """Enrol (enrolling.enrolment_create) and record the support asked for, both or neither."""
    support_check(support=support, run=run)  # refuse bad input before taking a seat
    with transaction.atomic():
        enrolment = enrolment_create(learner=learner, run=run, by=by)
        if support != Support():
            enrolment_support_set(enrolment=enrolment, support=support, by=by)
            enrolment.refresh_from_db()
    return enrolment


# --- childcare places for the coming days -----------------------------------------------------


def childcare_sessions(*, today: dt.date | None = None, days: int = CHILDCARE_DAYS) -> QuerySet:
    """The sessions from today for `days` days whose learners bring children to be looked
    after, each with `children`: the children of everyone holding a seat. One query."""
    today = today or timezone.localdate()
    children = (
        Enrolment.objects.filter(run=OuterRef("run"), status__in=SEAT_HOLDING_STATUSES)
        .order_by()
        .values("run")
        .annotate(total=Sum("childcare_children"))
        .values("total")
    )
    return (
        Session.objects.filter(
            date__gte=today,
            date__lt=today + dt.timedelta(days=days),
            status=SessionStatus.SCHEDULED,
            run__status=RunStatus.PUBLISHED,
        )
        .annotate(children=Coalesce(Subquery(children, output_field=IntegerField()), 0))
        .filter(children__gt=0)
        .select_related("run", "run__course", "run__venue", "venue")
        .order_by("date", "start_time", "run__code")
    )
