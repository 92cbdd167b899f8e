"""The learner says what they need to attend: with the enrol button on the course page, and
later on /learn/ while the enrolment is active."""

from decimal import Decimal

import pytest

from enrolment.models import Enrolment, EnrolmentStatus
from tests.conftest import html_of, messages_of
from tests.factories import CoursePageFactory, CourseRunFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


@pytest.fixture
def run(site):
    course = CoursePageFactory(title="English A1", parent=site.catalogue)
    return CourseRunFactory(
        course=course,
        code="ENG-A1-01",
        enrolment_opens=None,
        enrolment_closes=None,
        transport_per_session=Decimal("12.50"),
    )


def enrol(client, user, run, data):
    client.force_login(user)
    return client.post(f"/learn/runs/{run.pk}/enrol/", data)


def support_url(enrolment) -> str:
    return f"/learn/enrolments/{enrolment.pk}/support/"


def test_the_course_page_asks_about_support_beside_the_enrol_button(client, cast, run):
    client.force_login(cast.learner)

    html = html_of(client.get(run.course.url))

    assert "Do you need an interpreter? Which language?" in html
    assert "Do you need childcare? For how many children?" in html
    assert "I need help with transport fares." in html
    assert "We pay back HK$12.50 for each class you come to." in html


def test_a_class_that_pays_no_fares_does_not_ask_about_them(client, cast, run):
    run.transport_per_session = 0
    run.save()
    client.force_login(cast.learner)

    html = html_of(client.get(run.course.url))

    assert "Do you need childcare?" in html
    assert "transport fares" not in html


def test_enrolling_records_the_support_asked_for(client, cast, run):
    data = {
        "interpreter_language": "Arabic",
        "childcare_children": "2",
        "transport_reimbursed": "on",
    }

    response = enrol(client, cast.learner, run, data)

    assert response["Location"] == "/learn/"
    enrolment = Enrolment.objects.get(learner__user=cast.learner)
    assert enrolment.status == S.ENROLLED
    assert enrolment.interpreter_language == "Arabic"
    assert enrolment.childcare_children == 2
    assert enrolment.transport_reimbursed is True


def test_enrolling_without_answering_needs_nothing(client, cast, run):
    enrol(client, cast.learner, run, {})

    enrolment = Enrolment.objects.get(learner__user=cast.learner)
    assert (enrolment.interpreter_language, enrolment.childcare_children) == ("", 0)
    assert enrolment.transport_reimbursed is False


def test_transport_is_not_recorded_on_a_class_that_pays_no_fares(client, cast, run):
    run.transport_per_session = 0
    run.save()

    enrol(client, cast.learner, run, {"transport_reimbursed": "on"})

    assert Enrolment.objects.get(learner__user=cast.learner).transport_reimbursed is False


def test_a_wrong_number_of_children_says_why_and_takes_no_seat(client, cast, run):
    response = enrol(client, cast.learner, run, {"childcare_children": "40"})

    assert response["Location"] == f"{run.course.url}#run-{run.code}"
    assert not Enrolment.objects.exists()
    page = client.get(response["Location"])
    assert "Give a number of children from 0 to 12." in messages_of(page)


def test_the_learner_changes_their_support_on_learn(client, cast, run):
    enrolment = EnrolmentFactory(learner=cast.learner.learner, run=run)
    client.force_login(cast.learner)
    assert "tell us what you need" in html_of(client.get("/learn/"))

    response = client.post(
        support_url(enrolment), {"interpreter_language": "Somali", "childcare_children": "1"}
    )

    assert response["Location"] == "/learn/"
    enrolment.refresh_from_db()
    assert (enrolment.interpreter_language, enrolment.childcare_children) == ("Somali", 1)
    html = html_of(client.get("/learn/"))
    assert "Interpreter: <bdi>Somali</bdi>" in html
    assert "Childcare: 1" in html


def test_a_bad_value_is_shown_on_the_form_and_nothing_changes(client, cast, run):
    enrolment = EnrolmentFactory(learner=cast.learner.learner, run=run, childcare_children=1)
    client.force_login(cast.learner)

    response = client.post(support_url(enrolment), {"childcare_children": "-3"})

    assert response.status_code == 200
    assert "Give a number of children from 0 to 12." in html_of(response)
    enrolment.refresh_from_db()
    assert enrolment.childcare_children == 1


def test_someone_elses_enrolment_is_a_404(client, cast, run):
    enrolment = EnrolmentFactory(learner=cast.other_learner.learner, run=run)
    client.force_login(cast.learner)

    assert client.get(support_url(enrolment)).status_code == 404
    assert client.post(support_url(enrolment), {"childcare_children": "2"}).status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.childcare_children == 0


def test_a_finished_enrolment_cannot_be_changed_by_the_learner(client, cast, run):
    enrolment = EnrolmentFactory(learner=cast.learner.learner, run=run, status=S.COMPLETED)
    client.force_login(cast.learner)

    response = client.post(support_url(enrolment), {"childcare_children": "2"}, follow=True)

    assert "This enrolment is no longer active." in messages_of(response)
    enrolment.refresh_from_db()
    assert enrolment.childcare_children == 0
