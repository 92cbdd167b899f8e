"""Enrolling a learner on their behalf, and one enrolment's page and actions: approve,
decline, withdraw, move."""

import pytest

from enrolment.models import Enrolment, EnrolmentStatus
from tests.conftest import html_of
from tests.dates import local_today
from tests.enrolment.admin.enrolments.conftest import INDEX, enrol
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


def test_a_coordinator_enrols_a_learner_on_their_behalf(client, cast, world):
    learner = LearnerFactory(preferred_name="Amina")
    client.force_login(cast.coordinator)
    assert client.get(INDEX + "new/").status_code == 200
    response = client.post(INDEX + "new/", {"learner": learner.pk, "run": world.run.pk})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(learner=learner, run=world.run)
    assert enrolment.status == S.ENROLLED
    assert enrolment.events.get().by == cast.coordinator
    assert response["Location"] == f"{INDEX}inspect/{enrolment.pk}/"


def test_enrolling_on_behalf_shows_the_services_refusal_and_changes_nothing(client, cast, world):
    world.course.minimum_age = 18
    world.course.save()
    child = LearnerFactory(
        preferred_name="Yusuf", date_of_birth=local_today().replace(year=local_today().year - 9)
    )
    client.force_login(cast.coordinator)
    response = client.post(INDEX + "new/", {"learner": child.pk, "run": world.run.pk})
    assert response.status_code == 200
    assert "This class is for people aged 18 or over." in html_of(response)
    assert not Enrolment.objects.exists()


def test_enrolling_someone_twice_is_refused(client, cast, world):
    learner = LearnerFactory()
    enrol(learner, world.run)
    client.force_login(cast.coordinator)
    response = client.post(INDEX + "new/", {"learner": learner.pk, "run": world.run.pk})
    assert response.status_code == 200
    assert "already enrolled" in html_of(response)
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor"])
def test_enrolling_on_behalf_is_refused_to_everyone_else(client, cast, world, who):
    learner = LearnerFactory()
    client.force_login(getattr(cast, who))
    response = client.post(INDEX + "new/", {"learner": learner.pk, "run": world.run.pk})
    assert response.status_code in (302, 403)
    assert not Enrolment.objects.exists()


# --- one enrolment: inspect and actions -------------------------------------------------------


def test_the_status_cannot_be_edited_through_a_form(client, cast, world):
    enrolment = enrol(LearnerFactory(), world.review)
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}edit/{enrolment.pk}/", {"status": "enrolled"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/inspect/{enrolment.pk}/")
    enrolment.refresh_from_db()
    assert enrolment.status == S.APPLIED
    assert client.get(f"{INDEX}delete/{enrolment.pk}/").status_code == 404


def test_the_inspect_view_shows_the_status_history(client, cast, world):
    enrolment = enrol(LearnerFactory(preferred_name="Amina"), world.run, by=cast.coordinator)
    cast.coordinator.first_name, cast.coordinator.last_name = "Mei", "Chan"
    cast.coordinator.save()
    client.force_login(cast.coordinator)
    client.post(f"{INDEX}{enrolment.pk}/withdraw/", {"reason": "Found a job in Kwun Tong"})
    response = client.get(f"{INDEX}inspect/{enrolment.pk}/")
    assert response.status_code == 200
    html = html_of(response)
    assert "Status history" in html
    assert "Found a job in Kwun Tong" in html
    assert "Mei Chan" in html
    assert "Withdrawn" in html and "Enrolled" in html


def test_another_role_cannot_inspect_an_enrolment(client, cast, world):
    enrolment = enrol(LearnerFactory(), world.run)
    client.force_login(cast.teacher)
    response = client.get(f"{INDEX}inspect/{enrolment.pk}/")
    assert response.status_code in (302, 403, 404)


def test_approving_an_application(client, cast, world):
    enrolment = enrol(LearnerFactory(preferred_name="Amina"), world.review)
    client.force_login(cast.coordinator)
    assert client.get(f"{INDEX}{enrolment.pk}/approve/").status_code == 200
    response = client.post(f"{INDEX}{enrolment.pk}/approve/", follow=True)
    enrolment.refresh_from_db()
    assert enrolment.status == S.ENROLLED
    assert "Amina is enrolled in ENG-A1-REVIEW." in html_of(response)


def test_approving_twice_shows_the_services_message(client, cast, world):
    enrolment = enrol(LearnerFactory(), world.run)  # open run: already enrolled
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}{enrolment.pk}/approve/")
    assert response.status_code == 200
    assert "Only applications waiting for review can be approved." in html_of(response)


def test_declining_needs_a_reason(client, cast, world):
    enrolment = enrol(LearnerFactory(), world.review)
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}{enrolment.pk}/decline/", {"reason": ""})
    assert response.status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == S.APPLIED

    client.post(f"{INDEX}{enrolment.pk}/decline/", {"reason": "Level too advanced"})
    enrolment.refresh_from_db()
    assert enrolment.status == S.DECLINED
    assert enrolment.events.last().reason == "Level too advanced"


def test_withdrawing_frees_the_seat_for_the_first_waiting(client, cast, world):
    seated = [enrol(LearnerFactory(), world.run) for _ in range(2)]
    first, second = enrol(LearnerFactory(), world.run), enrol(LearnerFactory(), world.run)
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}{seated[0].pk}/withdraw/", {"reason": "Moved away"})
    assert response.status_code == 302
    for enrolment in (seated[0], first, second):
        enrolment.refresh_from_db()
    assert seated[0].status == S.WITHDRAWN
    assert (first.status, second.status) == (S.OFFERED, S.WAITLISTED)


def test_moving_to_another_run_of_the_same_course(client, cast, world):
    enrolment = enrol(LearnerFactory(preferred_name="Amina"), world.run)
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}{enrolment.pk}/move/", {"to_run": world.sister.pk})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == S.WITHDRAWN
    assert Enrolment.objects.get(run=world.sister).status == S.ENROLLED


def test_moving_to_another_course_after_a_placement_test(client, cast, world):
    enrolment = enrol(LearnerFactory(preferred_name="Amina"), world.run)
    client.force_login(cast.coordinator)
    page = html_of(client.get(f"{INDEX}{enrolment.pk}/move/"))
    assert "ENG-A1-T1-B" in page and "IT-1" in page  # every open class, of any course
    assert page.index("ENG-A1-T1-B") < page.index("IT-1")  # this course's classes first

    response = client.post(f"{INDEX}{enrolment.pk}/move/", {"to_run": world.computers.pk})
    assert response.status_code == 200
    assert "Give a reason for moving to another course" in html_of(response)
    assert not world.computers.enrolments.exists()

    response = client.post(
        f"{INDEX}{enrolment.pk}/move/",
        {"to_run": world.computers.pk, "reason": "Placement test: ready for computers"},
    )
    assert response.status_code == 302
    moved = Enrolment.objects.get(run=world.computers)
    assert moved.status == S.ENROLLED
    history = html_of(client.get(f"{INDEX}inspect/{moved.pk}/"))
    assert "Moved from ENG-A1-T1. Placement test: ready for computers" in history


@pytest.mark.parametrize("action", ["approve", "decline", "withdraw", "move"])
def test_actions_are_refused_to_a_teacher(client, cast, world, action):
    enrolment = enrol(LearnerFactory(), world.review)
    client.force_login(cast.teacher)
    response = client.post(f"{INDEX}{enrolment.pk}/{action}/", {"reason": "x"})
    assert response.status_code in (302, 403)
    enrolment.refresh_from_db()
    assert enrolment.status == S.APPLIED
