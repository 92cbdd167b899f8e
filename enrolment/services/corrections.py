"""A learner asks the centre to correct what it holds about them (PDPO's sixth principle), and
staff answer: corrected, or not changed with the reason why (the Ordinance asks for a reason
when a correction is refused).

The request is the learner's own words; staff correct the record itself on the learner's page
and then answer here. The coordinator's listing and the dashboard's count read the same
queryset, so the two never disagree.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.validators import text_refusal
from enrolment import access
from enrolment.errors import CorrectionError
from enrolment.models import CorrectionRequest, CorrectionStatus, Learner
from enrolment.models.privacy import CORRECTION_TEXT_MAX_LENGTH

# Enough for every detail a learner could find wrong at once; a bound on what one account
# can pile onto the staff's list.
MAX_OPEN_PER_LEARNER = 5
ANSWERS = (CorrectionStatus.DONE, CorrectionStatus.REFUSED)


def _text_clean(text: str, *, required: bool, field: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        if required:
            raise CorrectionError(_("Write what is wrong, and what it should say."), field=field)
        return ""
    if len(text) > CORRECTION_TEXT_MAX_LENGTH:
        raise CorrectionError(
            _("This is %(length)d characters long. Keep it to %(max)d.")
            % {"length": len(text), "max": CORRECTION_TEXT_MAX_LENGTH},
            field=field,
        )
    refusal = text_refusal(text, multiline=True)
    if refusal:
        raise CorrectionError(refusal, field=field)
    return text


def _learner_lock(learner: Learner) -> None:
    # Requests sent at once (a double tap, two phones) would each count the others as not yet
    # there: the learner's row is the lock that makes them take turns.
    Learner.objects.select_for_update(of=("self",)).filter(pk=learner.pk).first()


def correction_request_create(
    *, learner: Learner, text: str, by: AbstractBaseUser
) -> CorrectionRequest:
    """The learner's request, waiting for staff. At most MAX_OPEN_PER_LEARNER wait at once."""
    text = _text_clean(text, required=True, field="text")
    with transaction.atomic():
        _learner_lock(learner)
        waiting = learner.correction_requests.filter(status=CorrectionStatus.OPEN).count()
        if waiting >= MAX_OPEN_PER_LEARNER:
            raise CorrectionError(
                ngettext(
                    "You already have %(count)d request waiting. We will answer it first; "
                    "then you can send another.",
                    "You already have %(count)d requests waiting. We will answer them first; "
                    "then you can send another.",
                    waiting,
                )
                % {"count": waiting},
                field="text",
            )
        return CorrectionRequest.objects.create(learner=learner, text=text)


def correction_request_resolve(
    *,
    request: CorrectionRequest,
    by: AbstractBaseUser,
    status: str,
    reply: str,
) -> CorrectionRequest:
    """Staff answer a waiting request: corrected (`done`) or not changed (`refused`, which
    needs the reason, for the learner)."""
    if not access.can_handle_correction_requests(by):
        raise CorrectionError(_("Only coordinators answer correction requests."))
    if status not in ANSWERS:
        raise CorrectionError(_("Choose whether the record was corrected."), field="status")
    reply = _text_clean(reply, required=False, field="reply")
    if status == CorrectionStatus.REFUSED and not reply:
        raise CorrectionError(
            _("Say why the record is not changed: the learner has a right to know."),
            field="reply",
        )
    with transaction.atomic():
        locked = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise CorrectionError(_("Someone has already answered this request."))
        locked.status = status
        locked.staff_reply = reply
        locked.handled_by = by
        locked.handled_at = timezone.now()
        locked.save(update_fields=["status", "staff_reply", "handled_by", "handled_at"])
    return locked


def correction_requests_listing(*, user: AbstractBaseUser) -> QuerySet[CorrectionRequest]:
    """What the coordinator's list shows: waiting requests first, oldest first (the one
    waiting longest is answered first); answered ones after, the latest answer first."""
    waiting_first = Case(
        When(status=CorrectionStatus.OPEN, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        access.correction_requests_for_user(user)
        .select_related("learner", "handled_by")
        .annotate(waiting_first=waiting_first)
        .order_by("waiting_first", F("handled_at").desc(nulls_first=True), "created_at", "pk")
    )


def correction_requests_waiting(*, user: AbstractBaseUser) -> QuerySet[CorrectionRequest]:
    """The requests nobody has answered yet: the dashboard's count, the list's filter."""
    return correction_requests_listing(user=user).filter(status=CorrectionStatus.OPEN)


def own_correction_requests(*, learner: Learner) -> QuerySet[CorrectionRequest]:
    """A learner's own requests on /learn/, newest first."""
    return learner.correction_requests.order_by("-created_at", "-pk")
