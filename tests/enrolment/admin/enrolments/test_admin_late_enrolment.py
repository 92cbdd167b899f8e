"""The admin's "Enrol late or a walk-in" and "Record a past course" screens."""

import datetime as dt

import pytest
from django.urls import reverse

from courses.choices import RunStatus
from enrolment.models import Enrolment, EnrolmentStatus
from tests.conftest import html_of, messages_of
from tests.dates import local_today
from tests.enrolment.admin.enrolments.conftest import INDEX
from tests.factories import CourseRunFactory, LearnerFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def under_way(world):
    return CourseRunFactory(
        course=world.course,
        code="ENG-A1-NOW",
        start_date=local_today() - dt.timedelta(days=14),
        enrolment_closes=local_today() - dt.timedelta(days=7),
    )


@pytest.fixture
def finished(world):
    return CourseRunFactory(
        course=world.course,
        code="ENG-A1-SPRING",
        start_date=local_today() - dt.timedelta(days=120),
        end_date=local_today() - dt.timedelta(days=30),
        status=RunStatus.CLOSED,
    )


def test_the_listing_offers_late_enrolment_and_past_courses(client, cast, world):
    client.force_login(cast.coordinator)
    html = html_of(client.get(INDEX))
    assert f'href="{INDEX}late/"' in html and f'href="{INDEX}past/"' in html


def test_a_coordinator_places_a_walk_in_into_a_class_under_way(client, cast, under_way, finished):
    learner = LearnerFactory(preferred_name="Amina")
    client.force_login(cast.coordinator)
    page = html_of(client.get(f"{INDEX}late/"))
    assert "ENG-A1-NOW" in page and "ENG-A1-SPRING" not in page

    response = client.post(
        f"{INDEX}late/", {"learner": learner.pk, "run": under_way.pk, "reason": "Walk-in"}
    )

    enrolment = Enrolment.objects.get(learner=learner, run=under_way)
    assert response.status_code == 302
    assert response["Location"] == f"{INDEX}inspect/{enrolment.pk}/"
    assert enrolment.status == S.ENROLLED
    history = html_of(client.get(response["Location"]))
    assert "Placed by staff after enrolment closed: Walk-in" in history


def test_a_late_placement_without_a_reason_changes_nothing(client, cast, under_way):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}late/", {"learner": learner.pk, "run": under_way.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert not Enrolment.objects.exists()


def test_a_coordinator_records_a_past_course(client, cast, under_way, finished):
    learner = LearnerFactory(preferred_name="Amina")
    client.force_login(cast.coordinator)
    page = html_of(client.get(f"{INDEX}past/"))
    assert "ENG-A1-SPRING" in page and "ENG-A1-NOW" not in page

    response = client.post(
        f"{INDEX}past/", {"learner": learner.pk, "run": finished.pk, "reason": "Paper register"}
    )

    assert response.status_code == 302
    enrolment = Enrolment.objects.get(learner=learner, run=finished)
    assert enrolment.status == S.COMPLETED
    page = client.get(response["Location"])
    assert messages_of(page) == ["Amina in ENG-A1-SPRING: Completed."]
    # Completed, so a certificate can be issued for it.
    assert reverse("certificates:issue", args=[enrolment.pk]) in html_of(page)


@pytest.mark.parametrize("path", ["late/", "past/"])
@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor"])
def test_staff_placements_are_refused_to_everyone_else(client, cast, under_way, path, who):
    client.force_login(getattr(cast, who))
    response = client.post(
        f"{INDEX}{path}",
        {"learner": cast.learner.learner.pk, "run": under_way.pk, "reason": "x"},
    )
    assert response.status_code in (302, 403)
    assert not Enrolment.objects.exists()
