import datetime as dt
from decimal import Decimal

import pytest

from courses.choices import Level
from enrolment.services.qualifications import (
    QualificationError,
    ged_evaluate,
    ielts_band,
    ielts_overall,
    qualification_record_ged,
    qualification_record_ielts,
    qualification_record_partner_level,
)
from tests.factories import LearnerFactory, PartnerFactory

D = Decimal
TODAY = dt.date(2026, 11, 1)


def bands(listening, reading, writing, speaking):
    return {
        "listening": D(listening),
        "reading": D(reading),
        "writing": D(writing),
        "speaking": D(speaking),
    }


@pytest.mark.parametrize(
    "four, overall",
    [
        (("6.5", "6.5", "5", "7"), "6.5"),  # mean 6.25: a quarter rounds up to the half
        (("4", "3.5", "4", "4"), "4.0"),  # mean 3.875 -> 4.0
        (("6", "6", "6", "6.5"), "6.0"),  # mean 6.125 -> 6.0
        (("6.5", "7", "7", "7"), "7.0"),  # mean 6.875 -> 7.0
        (("7", "7", "7", "6"), "7.0"),  # mean 6.75: three quarters round up to the whole
        (("6", "6.5", "6.5", "6.5"), "6.5"),  # mean 6.375 -> 6.5
        (("5", "5", "5", "5.5"), "5.0"),  # mean 5.125 -> 5.0
        (("0", "0", "0", "0"), "0.0"),
        (("9", "9", "9", "9"), "9.0"),
        (("8.5", "9", "9", "9"), "9.0"),  # mean 8.875 -> 9.0
    ],
)
def test_the_ielts_overall_band_follows_the_rounding_rule(four, overall):
    assert str(ielts_overall(bands(*four))) == overall


@pytest.mark.parametrize("bad", ["7.3", "9.5", "-1", "six", "", None, "NaN", "Infinity"])
def test_an_ielts_band_outside_the_rules_is_refused(bad):
    with pytest.raises(QualificationError):
        ielts_band(bad, skill="Reading")


@pytest.mark.parametrize(
    "scores, passed, diploma",
    [
        ({"math": 145, "rla": 145, "science": 145, "social_studies": 145}, 4, True),
        ({"math": 144, "rla": 170, "science": 200, "social_studies": 150}, 3, False),
        ({"math": 100, "rla": 100, "science": 100, "social_studies": 100}, 0, False),
    ],
)
def test_the_ged_pass_rule(scores, passed, diploma):
    outcome = ged_evaluate(scores)
    assert len(outcome.passed_subjects) == passed
    assert outcome.diploma is diploma


@pytest.mark.parametrize("score", [99, 201, "150.5", "abc", None])
def test_a_ged_score_outside_the_rules_is_refused(score):
    scores = {"math": 150, "rla": 150, "science": 150, "social_studies": score}
    with pytest.raises(QualificationError, match="Social Studies"):
        ged_evaluate(scores)


@pytest.mark.django_db
def test_recording_refuses_bad_scores_and_saves_nothing(cast):
    learner = LearnerFactory()
    with pytest.raises(QualificationError):
        qualification_record_ged(
            learner=learner,
            scores={"math": 99, "rla": 150, "science": 150, "social_studies": 150},
            taken_on=TODAY,
            by=cast.coordinator,
        )
    with pytest.raises(QualificationError):
        qualification_record_ielts(
            learner=learner,
            bands={"listening": "7.3", "reading": 6, "writing": 6, "speaking": 6},
            taken_on=TODAY,
            by=cast.coordinator,
        )
    assert not learner.qualifications.exists()


@pytest.mark.django_db
def test_recording_keeps_the_scores_and_the_outcome(cast):
    learner = LearnerFactory()
    ged = qualification_record_ged(
        learner=learner,
        scores={"math": "160", "rla": 150, "science": 145, "social_studies": 171},
        taken_on=TODAY,
        by=cast.coordinator,
    )
    ielts = qualification_record_ielts(
        learner=learner,
        bands={"listening": "6.5", "reading": "6.5", "writing": "5", "speaking": "7"},
        taken_on=TODAY,
        by=cast.coordinator,
    )
    level = qualification_record_partner_level(
        learner=learner,
        level=Level.B1,
        partner=PartnerFactory(),
        taken_on=TODAY,
        by=cast.coordinator,
    )
    assert (ged.passed, ged.overall, ged.scores["math"]) == (True, "diploma", 160)
    assert (ielts.overall, ielts.scores["writing"]) == ("6.5", "5.0")
    assert level.overall == "b1"
    with pytest.raises(QualificationError):
        qualification_record_partner_level(
            learner=learner,
            level="z9",
            partner=PartnerFactory(),
            taken_on=TODAY,
            by=cast.coordinator,
        )
