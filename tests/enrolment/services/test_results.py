"""results_save: a run's results, all or nothing."""

from decimal import Decimal

import pytest

from enrolment.errors import CertificationError
from enrolment.models import EnrolmentStatus, Result
from enrolment.services.certification import result_record
from enrolment.services.results import ResultEntry, result_enrolments, results_save
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(site, cast):
    run = CourseRunFactory(course__parent=site.catalogue)
    run.teachers.set([cast.teacher])
    for name in ("Amina", "Bilal", "Chloe"):
        EnrolmentFactory(run=run, learner=LearnerFactory(preferred_name=name))
    EnrolmentFactory(run=run, status=EnrolmentStatus.WITHDRAWN)  # took no seat: no result
    return run


def entries(run, **typed) -> list[ResultEntry]:
    """Every learner's line, blank unless given as name=(score, passed, comment)."""
    lines = []
    for enrolment in result_enrolments(run=run):
        score, passed, comment = typed.get(enrolment.learner.preferred_name.lower(), ("", None, ""))
        lines.append(ResultEntry(enrolment=enrolment, score=score, passed=passed, comment=comment))
    return lines


def test_it_lists_the_learners_who_took_a_seat_by_name(run):
    names = [e.learner.preferred_name for e in result_enrolments(run=run)]
    assert names == ["Amina", "Bilal", "Chloe"]


def test_it_saves_the_typed_lines_and_counts_them(run, cast):
    count = results_save(
        entries=entries(run, amina=("72,5", True, " Well done "), chloe=("", False, "")),
        by=cast.teacher,
    )
    assert count == 2
    saved = {r.enrolment.learner.preferred_name: r for r in Result.objects.all()}
    assert set(saved) == {"Amina", "Chloe"}
    assert (saved["Amina"].score, saved["Amina"].passed) == (Decimal("72.5"), True)
    assert saved["Amina"].comment == "Well done"
    assert (saved["Chloe"].score, saved["Chloe"].passed) == (None, False)


def test_a_refused_line_saves_nothing_and_names_the_learner(run, cast):
    with pytest.raises(CertificationError) as refused:
        results_save(
            entries=entries(run, amina=("80", True, ""), bilal=("101", None, "")), by=cast.teacher
        )
    assert "Bilal" in refused.value.message
    assert not Result.objects.exists()


@pytest.mark.parametrize("typed", ["abc", "-1", "100.01", "NaN", "72.55"])
def test_a_score_that_is_not_one_is_refused(run, cast, typed):
    with pytest.raises(CertificationError):
        results_save(entries=entries(run, amina=(typed, None, "")), by=cast.teacher)
    assert not Result.objects.exists()


def test_unchanged_lines_are_left_alone(run, cast):
    amina = result_enrolments(run=run).get(learner__preferred_name="Amina")
    result_record(enrolment=amina, by=cast.teacher, score=Decimal("60"), passed=True)
    count = results_save(entries=entries(run, amina=("60", True, "")), by=cast.teacher)
    assert count == 0


def test_another_teacher_cannot_save_results(run, cast):
    with pytest.raises(CertificationError) as refused:
        results_save(entries=entries(run, amina=("60", True, "")), by=cast.other_teacher)
    assert "Amina" in refused.value.message
    assert not Result.objects.exists()
