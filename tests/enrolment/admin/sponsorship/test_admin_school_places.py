"""The sponsorship admin's school places: costs, grades, and the listing."""

from decimal import Decimal

import pytest

from enrolment.models import Grade, SchoolPlacement
from enrolment.models.schools import school_year_label
from tests.conftest import html_of, logged
from tests.enrolment.admin.conftest import errors_of
from tests.enrolment.admin.sponsorship.conftest import PLACEMENTS, YEAR
from tests.factories import (
    ChildFactory,
    LearnerFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    years_ago,
)

pytestmark = pytest.mark.django_db


def placement_data(child, school, **changes):
    return {
        "child": child.pk,
        "school": school.pk,
        "school_year": YEAR,
        "grade": Grade.P4,
        "fees": "3000",
        "uniform": "800",
        "books": "1200",
        "transport": "1000",
        "other_costs": "0",
        "other_costs_note": "",
    } | changes


def test_a_good_school_place_is_saved_and_logged(coordinator_client):
    child, school = ChildFactory(), SchoolFactory()
    response = coordinator_client.post(PLACEMENTS + "new/", placement_data(child, school))
    assert response.status_code == 302, errors_of(response)
    placement = SchoolPlacement.objects.get()
    assert placement.total_costs == Decimal(6000)
    assert logged(placement, "wagtail.create") == 1
    response = coordinator_client.post(
        f"{PLACEMENTS}edit/{placement.pk}/", placement_data(child, school, fees="3500")
    )
    assert response.status_code == 302, errors_of(response)
    placement.refresh_from_db()
    assert placement.fees == Decimal(3500)
    assert logged(placement, "wagtail.edit") == 1


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("grade_outside", "grade", "outside that range"),
        ("negative_fee", "fees", "greater than or equal to 0"),
        ("second_place", "__all__", "already has a school place"),
        ("bad_year", "school_year", "valid choice"),
        ("adult", "child", "valid choice"),
    ],
)
def test_a_bad_school_place_shows_why_and_saves_nothing(coordinator_client, case, field, message):
    child, school = ChildFactory(), SchoolFactory(lowest_grade=Grade.P1, highest_grade=Grade.P6)
    data = placement_data(child, school)
    if case == "grade_outside":
        data["grade"] = Grade.S2
    elif case == "negative_fee":
        data["fees"] = "-1"
    elif case == "second_place":
        SchoolPlacementFactory(child=child, school_year=YEAR)
    elif case == "bad_year":
        data["school_year"] = "1990"
    elif case == "adult":
        data["child"] = LearnerFactory(date_of_birth=years_ago(30)).pk
    before = SchoolPlacement.objects.count()
    response = coordinator_client.post(PLACEMENTS + "new/", data)
    assert response.status_code == 200
    assert message in " ".join(errors_of(response)[field])
    assert SchoolPlacement.objects.count() == before


def test_the_school_places_list_totals_costs_and_filters(coordinator_client):
    hillside = SchoolFactory(name="Hillside")
    SchoolPlacementFactory(child=ChildFactory(preferred_name="Amani"), school=hillside)
    SchoolPlacementFactory(
        child=ChildFactory(preferred_name="Baraka"), school_year=YEAR - 1, fees=100
    )
    html = html_of(coordinator_client.get(PLACEMENTS))
    assert "Amani" in html and "HK$6,000.00" in html and school_year_label(YEAR) in html
    for query, shown, hidden in [
        (f"school={hillside.pk}", "Amani", "Baraka"),
        (f"school_year={YEAR}", "Amani", "Baraka"),
        (f"school_year={YEAR - 1}", "Baraka", "Amani"),
    ]:
        html = html_of(coordinator_client.get(f"{PLACEMENTS}?{query}"))
        assert shown in html and hidden not in html, query
