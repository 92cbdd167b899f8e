"""What a school and a school place must be."""

import pytest

from enrolment.models import Grade, SchoolPlacement, SchoolType
from enrolment.services.sponsorship import (
    SponsorshipError,
    placement_check,
    placement_save,
    school_check,
)
from tests.conftest import logged
from tests.enrolment.services.sponsorship.conftest import YEAR, D
from tests.factories import ChildFactory, LearnerFactory, SchoolFactory, SchoolPlacementFactory


def test_a_schools_empty_grades_take_its_types_usual_range():
    assert school_check(school_type=SchoolType.PRIMARY, lowest_grade=None, highest_grade=None) == (
        Grade.P1,
        Grade.P6,
    )
    assert school_check(
        school_type=SchoolType.SECONDARY, lowest_grade=Grade.S4, highest_grade=None
    ) == (Grade.S4, Grade.S6)


def test_a_school_cannot_teach_from_a_higher_grade_to_a_lower():
    with pytest.raises(SponsorshipError) as refused:
        school_check(school_type=SchoolType.PRIMARY, lowest_grade=Grade.P6, highest_grade=Grade.P1)
    assert refused.value.field == "lowest_grade"
    assert "P6" in refused.value.message and "P1" in refused.value.message


def test_a_school_needs_a_known_type():
    with pytest.raises(SponsorshipError) as refused:
        school_check(school_type="castle", lowest_grade=None, highest_grade=None)
    assert refused.value.field == "school_type"


# --- placements -------------------------------------------------------------------------------


def test_a_placement_at_a_grade_the_school_does_not_teach_is_refused(db):
    school = SchoolFactory(lowest_grade=Grade.P1, highest_grade=Grade.P6)
    with pytest.raises(SponsorshipError) as refused:
        placement_check(child=ChildFactory(), school=school, grade=Grade.S1, school_year=YEAR)
    assert refused.value.field == "grade"
    assert "P1–P6" in refused.value.message
    placement_check(child=ChildFactory(), school=school, grade=Grade.P6, school_year=YEAR)


def test_a_placement_is_for_a_child(db):
    adult = LearnerFactory(date_of_birth=D(2008, 8, 31))  # 18 on 1 September 2026
    with pytest.raises(SponsorshipError) as refused:
        placement_check(child=adult, school=SchoolFactory(), grade=Grade.P4, school_year=YEAR)
    assert refused.value.field == "child"
    young = LearnerFactory(date_of_birth=D(2008, 9, 2))  # still 17 that day
    placement_check(child=young, school=SchoolFactory(), grade=Grade.P4, school_year=YEAR)


def test_placement_save_logs_and_refuses_a_second_place_in_a_year(db, cast):
    placement = SchoolPlacementFactory.build(
        child=ChildFactory(), school=SchoolFactory(), school_year=YEAR
    )
    placement_save(placement=placement, by=cast.coordinator)
    assert logged(placement, "wagtail.create") == 1
    second = SchoolPlacementFactory.build(
        child=placement.child, school=SchoolFactory(), school_year=YEAR
    )
    with pytest.raises(SponsorshipError) as refused:
        placement_save(placement=second, by=cast.coordinator)
    assert refused.value.field == "school_year"
    assert SchoolPlacement.objects.count() == 1
    with pytest.raises(SponsorshipError):
        placement_save(placement=placement, by=cast.teacher)
