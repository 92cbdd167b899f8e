"""The sponsorship admin's schools: the grades a school teaches, names, and deleting."""

import pytest

from enrolment.models import Grade, School, SchoolType
from tests.conftest import html_of, logged, messages_of
from tests.enrolment.admin.conftest import errors_of
from tests.enrolment.admin.sponsorship.conftest import SCHOOLS
from tests.factories import SchoolFactory, SchoolPlacementFactory

pytestmark = pytest.mark.django_db


def school_data(**changes):
    return {
        "name": "Harbour Primary",
        "district": "sham_shui_po",
        "school_type": SchoolType.PRIMARY,
        "lowest_grade": "",
        "highest_grade": "",
    } | changes


def test_a_new_school_takes_its_types_grades_when_left_empty(coordinator_client):
    response = coordinator_client.post(SCHOOLS + "add/", school_data())
    assert response.status_code == 302, errors_of(response)
    school = School.objects.get(name="Harbour Primary")
    assert (school.lowest_grade, school.highest_grade) == (Grade.P1, Grade.P6)
    assert logged(school, "wagtail.create") == 1
    html = html_of(coordinator_client.get(SCHOOLS))
    assert "Harbour Primary" in html and "P1–P6" in html and "Sham Shui Po" in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"lowest_grade": Grade.P6, "highest_grade": Grade.P1}, "lowest_grade", "above"),
        ({"lowest_grade": Grade.S2}, "lowest_grade", "above"),  # S2 to the usual P6
        ({"school_type": ""}, "school_type", "required"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_a_school_with_bad_grades_is_refused(coordinator_client, changes, field, message):
    response = coordinator_client.post(SCHOOLS + "add/", school_data(**changes))
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert not School.objects.exists()


def test_two_schools_cannot_share_a_name(coordinator_client):
    SchoolFactory(name="Harbour Primary")
    response = coordinator_client.post(SCHOOLS + "add/", school_data())
    assert "already recorded" in " ".join(errors_of(response)["name"])
    assert School.objects.count() == 1


def test_a_school_with_school_places_is_not_deleted(coordinator_client):
    placement = SchoolPlacementFactory()
    response = coordinator_client.post(f"{SCHOOLS}delete/{placement.school_id}/", follow=True)
    assert response.status_code == 200
    assert "has school places on record" in " ".join(messages_of(response))
    assert School.objects.filter(pk=placement.school_id).exists()
