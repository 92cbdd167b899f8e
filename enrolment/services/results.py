"""A run's results, saved together: what a teacher types into the results page, checked and
saved all or nothing, so that a refusal on the tenth learner leaves the first nine as they
were. One learner's result is result_record's (enrolment.services.certification)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cms.validators import text_refusal
from courses.models import CourseRun
from enrolment.errors import CertificationError
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.services.certification import result_record

# Results are recorded for the learners who took a seat.
RESULT_STATUSES = (
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.COMPLETED,
    EnrolmentStatus.NOT_COMPLETED,
)
COMMENT_MAX = 1000
# What the results page's "passed" control sends: yes, no, or not known (empty).
PASSED_VALUES = {"": None, "yes": True, "no": False}


@dataclass(frozen=True)
class ResultEntry:
    """One learner's line as typed: the score as text, passed yes/no/not known, a comment."""

    enrolment: Enrolment
    score: str
    passed: bool | None
    comment: str


def result_enrolments(*, run: CourseRun) -> QuerySet[Enrolment]:
    """The learners of a run who may have a result, with their saved one joined."""
    return (
        Enrolment.objects.filter(run=run, status__in=RESULT_STATUSES)
        .select_related("learner", "result")
        .order_by("learner__preferred_name", "pk")
    )


def result_score_parse(*, raw: str, name: str) -> Decimal | None:
    """A score from 0 to 100 with one decimal at most ("72,5" as well as "72.5"); empty is
    no score. A refusal names the learner, for a page of many."""
    if not raw:
        return None
    try:
        score = Decimal(raw.replace(",", "."))
    except InvalidOperation:
        score = None
    if score is None or not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise CertificationError(
            _("%(name)s: a score is a number from 0 to 100, not “%(score)s”.")
            % {"name": name, "score": raw[:20]}
        )
    if score != score.quantize(Decimal("0.1")):
        raise CertificationError(
            _("%(name)s: give the score to one decimal place at most, not “%(score)s”.")
            % {"name": name, "score": raw[:20]}
        )
    return score


def result_passed_parse(*, raw: str, name: str) -> bool | None:
    """Passed, not passed, or not known; anything else is refused rather than taken for "not
    known"."""
    try:
        return PASSED_VALUES[raw.strip()]
    except KeyError:
        raise CertificationError(
            _("%(name)s: passed is yes, no or not known, not “%(passed)s”.")
            % {"name": name, "passed": raw[:20]}
        ) from None


def results_save(*, entries: Sequence[ResultEntry], by: AbstractBaseUser) -> int:
    """Save every changed line, all or nothing; the number saved. An empty line with nothing
    saved before, or a line as it was, is left alone."""
    saved_count = 0
    with transaction.atomic():
        for entry in entries:
            name = entry.enrolment.learner.list_name
            score = result_score_parse(raw=entry.score.strip(), name=name)
            comment = entry.comment.strip()[:COMMENT_MAX]
            if refusal := text_refusal(comment, multiline=True):
                raise CertificationError(
                    _("%(name)s: %(message)s") % {"name": name, "message": refusal}
                )
            saved = getattr(entry.enrolment, "result", None)
            if saved is None and score is None and entry.passed is None and not comment:
                continue
            if saved is not None and (saved.score, saved.passed, saved.comment) == (
                score,
                entry.passed,
                comment,
            ):
                continue
            try:
                result_record(
                    enrolment=entry.enrolment,
                    by=by,
                    score=score,
                    passed=entry.passed,
                    comment=comment,
                )
            except CertificationError as error:
                raise CertificationError(
                    _("%(name)s: %(message)s") % {"name": name, "message": error.message}
                ) from None
            saved_count += 1
    return saved_count
