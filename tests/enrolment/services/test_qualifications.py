import datetime as dt
from decimal import Decimal

import pytest

from courses.choices import Level
from enrolment.models import Qualification
from enrolment.models import QualificationKind as K
from enrolment.services.qualifications import (
    QualificationError,
    ged_passed_all,
    ged_progress,
    ged_score,
    ielts_band,
    ielts_overall,
    qualification_record_ged_subject,
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


def record(learner, subject, score, when=TODAY, by=None):
    return qualification_record_ged_subject(
        learner=learner, subject=subject, score=score, taken_on=when, by=by
    )


@pytest.mark.parametrize("score, passed", [(145, True), (144, False), (200, True), (100, False)])
@pytest.mark.django_db
def test_a_ged_subject_is_recorded_on_its_own_and_passes_at_145(cast, score, passed):
    learner = LearnerFactory()

    recorded = record(learner, "science", score, by=cast.coordinator)

    result = recorded.result
    assert (result.kind, result.passed, result.overall) == (K.GED_SUBJECT, passed, str(score))
    assert result.scores == {"subject": "science", "score": score}
    assert recorded.diploma is None
    assert list(learner.qualifications.all()) == [result]


@pytest.mark.parametrize("score", [99, 201, "150.5", "abc", None])
def test_a_ged_score_outside_the_rules_is_refused(score):
    with pytest.raises(QualificationError, match="Social Studies"):
        ged_score(score, subject="social_studies")


@pytest.mark.django_db
def test_an_unknown_ged_subject_is_refused_and_nothing_saved():
    learner = LearnerFactory()
    with pytest.raises(QualificationError, match="not a GED subject"):
        record(learner, "history", 160)
    assert not learner.qualifications.exists()


@pytest.mark.django_db
def test_the_diploma_follows_only_the_fourth_pass_dated_that_day(cast):
    learner = LearnerFactory()
    months = [TODAY - dt.timedelta(days=30 * n) for n in (5, 3, 1)]
    for subject, when in zip(["math", "rla", "science"], months, strict=True):
        assert record(learner, subject, 160, when).diploma is None
    assert not learner.qualifications.filter(kind=K.GED).exists()

    fourth = record(learner, "social_studies", 150, TODAY, by=cast.coordinator)

    diploma = fourth.diploma
    assert (diploma.kind, diploma.passed, diploma.overall) == (K.GED, True, "diploma")
    assert diploma.taken_on == TODAY
    assert diploma.scores == {"math": 160, "rla": 160, "science": 160, "social_studies": 150}
    assert diploma.recorded_by == cast.coordinator
    assert learner.qualifications.filter(kind=K.GED).count() == 1


@pytest.mark.django_db
def test_a_failed_subject_passed_at_the_next_try_counts_and_brings_the_diploma():
    learner = LearnerFactory()
    for subject in ["math", "rla", "social_studies"]:
        record(learner, subject, 170, TODAY - dt.timedelta(days=90))
    failed = record(learner, "science", 138, TODAY - dt.timedelta(days=60))
    assert (failed.result.passed, failed.diploma) == (False, None)

    again = record(learner, "science", 152, TODAY - dt.timedelta(days=10))

    assert again.diploma is not None
    assert again.diploma.scores["science"] == 152
    assert again.diploma.taken_on == TODAY - dt.timedelta(days=10)
    progress = ged_progress(learner.qualifications.filter(kind=K.GED_SUBJECT))
    assert progress["science"] == again.result


@pytest.mark.django_db
def test_a_pass_after_the_diploma_adds_no_second_diploma():
    learner = LearnerFactory()
    for subject in ["math", "rla", "science", "social_studies"]:
        record(learner, subject, 150)

    retake = record(learner, "math", 190)

    assert retake.diploma is None
    assert learner.qualifications.filter(kind=K.GED).count() == 1


def test_progress_counts_the_first_pass_else_the_latest_attempt():
    def result(pk, subject, score, days_ago):
        return Qualification(
            pk=pk,
            kind=K.GED_SUBJECT,
            scores={"subject": subject, "score": score},
            passed=score >= 145,
            taken_on=TODAY - dt.timedelta(days=days_ago),
        )

    first_pass, later_fail = result(1, "math", 150, 30), result(2, "math", 130, 10)
    early_fail, latest_fail = result(3, "rla", 120, 40), result(4, "rla", 140, 5)

    progress = ged_progress([later_fail, latest_fail, first_pass, early_fail])

    assert progress == {
        "math": first_pass,
        "rla": latest_fail,
        "science": None,
        "social_studies": None,
    }
    assert not ged_passed_all(progress)


@pytest.mark.django_db
def test_recording_refuses_bad_scores_and_saves_nothing(cast):
    learner = LearnerFactory()
    with pytest.raises(QualificationError):
        record(learner, "math", 99, by=cast.coordinator)
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
    ged = record(learner, "math", "160", by=cast.coordinator).result
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
    assert (ged.passed, ged.overall, ged.scores["score"]) == (True, "160", 160)
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
