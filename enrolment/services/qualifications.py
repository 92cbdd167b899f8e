"""Results from outside the centre, recorded with the awarding bodies' own rules.

- GED: four subjects, each scored 100-200 and passed at 145 or more; the diploma is awarded
  when all four are passed.
- IELTS: listening, reading, writing and speaking are banded 0-9 in half bands; the overall
  band is their mean rounded to the nearest half band, a quarter rounding up (6.25 -> 6.5,
  6.75 -> 7.0, 6.125 -> 6.0).
- A partner's English level: a CEFR level awarded by a partner such as the British Council.

Scores outside the rules are refused with a message naming the score; nothing is saved.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.choices import Level
from courses.models import Partner
from enrolment.errors import QualificationError
from enrolment.models import Learner, Qualification, QualificationKind

GED_SUBJECTS = {
    "math": gettext_lazy("Mathematical Reasoning"),
    "rla": gettext_lazy("Reasoning Through Language Arts"),
    "science": gettext_lazy("Science"),
    "social_studies": gettext_lazy("Social Studies"),
}
GED_MIN, GED_MAX, GED_PASS = 100, 200, 145

IELTS_SKILLS = {
    "listening": gettext_lazy("Listening"),
    "reading": gettext_lazy("Reading"),
    "writing": gettext_lazy("Writing"),
    "speaking": gettext_lazy("Speaking"),
}
HALF = Decimal("0.5")


@dataclass(frozen=True)
class GedOutcome:
    scores: dict[str, int]
    passed_subjects: list[str]

    @property
    def diploma(self) -> bool:
        return len(self.passed_subjects) == len(GED_SUBJECTS)


def ged_evaluate(scores: Mapping[str, object]) -> GedOutcome:
    """Check four GED subject scores and say which passed."""
    clean: dict[str, int] = {}
    for subject, label in GED_SUBJECTS.items():
        raw = scores.get(subject)
        try:
            value = int(str(raw).strip())
            if str(raw).strip() != str(value):
                raise ValueError
        except (TypeError, ValueError):
            raise QualificationError(
                _("%(subject)s: give a whole-number score.") % {"subject": label}
            ) from None
        if not GED_MIN <= value <= GED_MAX:
            raise QualificationError(
                _("%(subject)s: a GED score is between 100 and 200, not %(score)s.")
                % {"subject": label, "score": value}
            )
        clean[subject] = value
    passed = [subject for subject, value in clean.items() if value >= GED_PASS]
    return GedOutcome(scores=clean, passed_subjects=passed)


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


def qualification_record_ged(
    *,
    learner: Learner,
    scores: Mapping[str, object],
    taken_on: dt.date,
    by: AbstractBaseUser | None,
    reference: str = "",
) -> Qualification:
    outcome = ged_evaluate(scores)
    return _qualification_create(
        learner=learner,
        kind=QualificationKind.GED,
        taken_on=taken_on,
        scores=outcome.scores,
        passed=outcome.diploma,
        # Stored language-neutral; templates say "Diploma" or "3 of 4 subjects".
        overall="diploma" if outcome.diploma else f"{len(outcome.passed_subjects)}/4",
        reference=reference.strip(),
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
