"""Results from outside the centre, recorded with the awarding bodies' own rules.

- GED: four subjects, taken one at a time (often months apart), each scored 100-200 and
  passed at 145 or more. Each subject's result is recorded on its own; the diploma follows by
  itself when all four have passed, whenever each was passed. A failed subject may be taken
  again: its pass counts.
- IELTS: listening, reading, writing and speaking are banded 0-9 in half bands; the overall
  band is their mean rounded to the nearest half band, a quarter rounding up (6.25 -> 6.5,
  6.75 -> 7.0, 6.125 -> 6.0).
- A partner's English level: a CEFR level awarded by a partner such as the British Council.

Scores outside the rules are refused with a message naming the score; nothing is saved.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.choices import Level
from courses.models import Partner
from enrolment.errors import QualificationError
from enrolment.models import GedSubject, Learner, Qualification, QualificationKind

GED_SUBJECTS = dict(GedSubject.choices)
GED_MIN, GED_MAX, GED_PASS = 100, 200, 145

IELTS_SKILLS = {
    "listening": gettext_lazy("Listening"),
    "reading": gettext_lazy("Reading"),
    "writing": gettext_lazy("Writing"),
    "speaking": gettext_lazy("Speaking"),
}
HALF = Decimal("0.5")


def ged_score(raw: object, *, subject: str) -> int:
    """A GED subject's score: a whole number from 100 to 200; anything else is refused."""
    label = GED_SUBJECTS.get(subject, subject)
    try:
        value = int(str(raw).strip())
        if str(raw).strip() != str(value):
            raise ValueError
    except (TypeError, ValueError):
        raise QualificationError(
            _("%(subject)s: give a whole-number score.") % {"subject": label}, field="score"
        ) from None
    if not GED_MIN <= value <= GED_MAX:
        raise QualificationError(
            _("%(subject)s: a GED score is between 100 and 200, not %(score)s.")
            % {"subject": label, "score": value},
            field="score",
        )
    return value


def ged_progress(results: Iterable[Qualification]) -> dict[str, Qualification | None]:
    """Each subject's result that counts: its first pass, else its latest attempt, else None
    (not taken yet). `results` are one learner's GED subject results."""
    progress: dict[str, Qualification | None] = dict.fromkeys(GED_SUBJECTS)
    for result in sorted(results, key=lambda r: (r.taken_on, r.pk)):
        subject = (result.scores or {}).get("subject")
        if subject not in progress:
            continue
        counted = progress[subject]
        if counted is None or not counted.passed:
            progress[subject] = result
    return progress


def ged_passed_all(progress: Mapping[str, Qualification | None]) -> bool:
    return all(result is not None and result.passed for result in progress.values())


def ielts_band(raw: object, *, skill: str = "") -> Decimal:
    """A band from 0 to 9 in half steps; anything else is refused."""
    try:
        band = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        band = None
    if (
        band is None
        or not band.is_finite()
        or not Decimal(0) <= band <= Decimal(9)
        or (band % HALF != 0)
    ):
        raise QualificationError(
            _("%(skill)s: an IELTS band is 0 to 9 in half bands (such as 6 or 6.5), not %(band)s.")
            % {"skill": skill or _("Band"), "band": raw}
        )
    # "-0" is the band 0: kept as "0.0", not "-0.0".
    return band.copy_abs().quantize(Decimal("0.0"))


def _qualification_create(**values) -> Qualification:
    """Saved once the model's own checks pass (a date of the test not in the future, nor in
    year 1 or 2999; text without control characters), refused with their message if not."""
    qualification = Qualification(**values)
    try:
        # Who recorded it may be no one (an import, the demo): not the form's to refuse.
        qualification.full_clean(exclude=["recorded_by"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise QualificationError(
            messages[0], field=None if field == NON_FIELD_ERRORS else field
        ) from None
    qualification.save()
    return qualification


def ielts_overall(bands: Mapping[str, Decimal]) -> Decimal:
    """The mean of the four bands to the nearest half band, a quarter rounding up."""
    mean = sum(bands.values(), Decimal(0)) / len(bands)
    # Twice the mean, rounded half up, halved: 6.25 -> 6.5, 6.75 -> 7.0, 6.125 -> 6.0.
    doubled = (mean * 2 + HALF).to_integral_value(rounding=ROUND_FLOOR)
    return (doubled / 2).quantize(Decimal("0.0"))


@dataclass(frozen=True)
class GedRecorded:
    result: Qualification
    diploma: Qualification | None  # the diploma this result completed, if it did


def qualification_record_ged_subject(
    *,
    learner: Learner,
    subject: str,
    score: object,
    taken_on: dt.date,
    by: AbstractBaseUser | None,
    reference: str = "",
) -> GedRecorded:
    """Record one GED subject's result; the fourth subject passed brings the diploma, dated
    the day it was passed."""
    if subject not in GED_SUBJECTS:
        raise QualificationError(
            _("“%(subject)s” is not a GED subject.") % {"subject": subject}, field="subject"
        )
    value = ged_score(score, subject=subject)
    with transaction.atomic():
        # The learner's row is the lock: two subjects saved at the same moment must not both
        # miss the diploma, nor both award it.
        Learner.objects.select_for_update().filter(pk=learner.pk).first()
        result = _qualification_create(
            learner=learner,
            kind=QualificationKind.GED_SUBJECT,
            taken_on=taken_on,
            scores={"subject": subject, "score": value},
            passed=value >= GED_PASS,
            overall=str(value),
            reference=reference.strip(),
            recorded_by=by,
        )
        diploma = _ged_diploma_award(learner=learner, by=by) if result.passed else None
    return GedRecorded(result=result, diploma=diploma)


def _ged_diploma_award(*, learner: Learner, by: AbstractBaseUser | None) -> Qualification | None:
    if Qualification.objects.filter(learner=learner, kind=QualificationKind.GED).exists():
        return None
    progress = ged_progress(
        Qualification.objects.filter(learner=learner, kind=QualificationKind.GED_SUBJECT)
    )
    if not ged_passed_all(progress):
        return None
    passes = [result for result in progress.values() if result is not None]
    return _qualification_create(
        learner=learner,
        kind=QualificationKind.GED,
        taken_on=max(result.taken_on for result in passes),
        scores={subject: result.scores["score"] for subject, result in progress.items()},
        passed=True,
        overall="diploma",  # stored language-neutral; shown as "Diploma"
        recorded_by=by,
    )


def qualification_record_ielts(
    *,
    learner: Learner,
    bands: Mapping[str, object],
    taken_on: dt.date,
    by: AbstractBaseUser | None,
    reference: str = "",
) -> Qualification:
    clean = {
        skill: ielts_band(bands.get(skill), skill=str(label))
        for skill, label in IELTS_SKILLS.items()
    }
    overall = ielts_overall(clean)
    return _qualification_create(
        learner=learner,
        kind=QualificationKind.IELTS,
        taken_on=taken_on,
        scores={skill: str(band) for skill, band in clean.items()},
        overall=str(overall),
        passed=True,  # IELTS has no pass or fail; the band is the result
        reference=reference.strip(),
        recorded_by=by,
    )


def qualification_record_partner_level(
    *,
    learner: Learner,
    level: str,
    partner: Partner,
    taken_on: dt.date,
    by: AbstractBaseUser | None,
    reference: str = "",
) -> Qualification:
    if level not in Level.values or level == Level.NONE:
        raise QualificationError(
            _("“%(level)s” is not a CEFR level (Pre-A1, A1, A2, B1, B2, C1).") % {"level": level}
        )
    return _qualification_create(
        learner=learner,
        kind=QualificationKind.PARTNER_LEVEL,
        taken_on=taken_on,
        scores={"level": level},
        overall=level,
        passed=True,
        partner=partner,
        reference=reference.strip(),
        recorded_by=by,
    )
