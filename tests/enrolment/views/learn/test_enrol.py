import datetime as dt

import pytest
from django.utils import timezone

from courses.choices import Level, RunMode, RunStatus
from enrolment.models import Enrolment, EnrolmentStatus, Learner
from tests.conftest import messages_of
from tests.dates import local_today, on_today
from tests.factories import CoursePageFactory, CourseRunFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db

S = EnrolmentStatus


@pytest.fixture
def course(site):
    return CoursePageFactory(title="English A1", parent=site.catalogue)


@pytest.fixture
def run(course):
    return CourseRunFactory(course=course, code="ENG-A1-01", capacity=2)


def url(run) -> str:
    return f"/learn/runs/{run.pk}/enrol/"


def back_to(run) -> str:
    return f"{run.course.url}#run-{run.code}"


def enrol(client, user, run, **kwargs):
    client.force_login(user)
    return client.post(url(run), **kwargs)


def test_it_enrols_a_learner_in_a_run_with_seats(client, cast, run):
    response = enrol(client, cast.learner, run)

    assert response.status_code == 302
    assert response["Location"] == "/learn/"
    enrolment = Enrolment.objects.get(run=run)
    assert enrolment.learner.user == cast.learner
    assert enrolment.status == S.ENROLLED
    assert enrolment.events.get().by == cast.learner
    page = client.get("/learn/")
    assert "You are enrolled in English A1 (ENG-A1-01)." in messages_of(page)


def test_it_puts_a_learner_on_the_waitlist_of_a_full_run(client, cast, run):
    EnrolmentFactory.create_batch(2, run=run, status=S.ENROLLED)
    EnrolmentFactory(run=run, status=S.WAITLISTED, waitlisted_at=timezone.now())

    response = enrol(client, cast.learner, run, follow=True)

    assert Enrolment.objects.get(learner__user=cast.learner).status == S.WAITLISTED
    assert response.redirect_chain == [("/learn/", 302)]
    assert "You are number 2." in messages_of(response)[0]
    assert "You are number 2 on the waitlist." in response.content.decode()


def test_it_takes_an_application_for_a_review_run(client, cast, course):
    run = CourseRunFactory(course=course, mode=RunMode.REVIEW)

    response = enrol(client, cast.learner, run, follow=True)

    assert Enrolment.objects.get(run=run).status == S.APPLIED
    assert "your application for English A1" in messages_of(response)[0]
    assert "Applied, waiting for review" in response.content.decode()


def test_a_second_submit_changes_nothing(client, cast, run):
    enrol(client, cast.learner, run)

    response = client.post(url(run), follow=True)

    assert Enrolment.objects.filter(run=run).count() == 1
    assert response.redirect_chain[0] == (back_to(run), 302)
    assert "You are already enrolled in this class." in messages_of(response)


def test_a_second_submit_on_the_waitlist_changes_nothing(client, cast, run):
    EnrolmentFactory.create_batch(2, run=run, status=S.ENROLLED)
    enrol(client, cast.learner, run)

    response = client.post(url(run), follow=True)

    assert Enrolment.objects.filter(learner__user=cast.learner).count() == 1
    assert "You are already on the waitlist for this class." in messages_of(response)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"status": RunStatus.CANCELLED}, "This class has been cancelled."),
        ({"status": RunStatus.CLOSED}, "This class has finished."),
        (
            {
                "start_date": dt.timedelta(days=-60),
                "end_date": dt.timedelta(days=-1),
            },
            "This class has finished.",
        ),
        (
            {"enrolment_opens": dt.timedelta(days=3)},
            "Enrolment for this class opens on",
        ),
        (
            {"enrolment_closes": dt.timedelta(days=-1)},
            "Enrolment for this class has closed.",
        ),
    ],
    ids=["cancelled", "closed", "finished", "not-yet-open", "window-closed"],
)
def test_it_refuses_a_run_that_is_not_open(client, cast, course, changes, message):
    run = CourseRunFactory(course=course, **on_today(changes))

    response = enrol(client, cast.learner, run, follow=True)

    assert response.redirect_chain[0] == (back_to(run), 302)
    assert any(message in text for text in messages_of(response))
    assert not Enrolment.objects.exists()


def test_it_refuses_a_learner_who_is_too_young(client, cast, site):
    run = CourseRunFactory(course=CoursePageFactory(parent=site.catalogue, minimum_age=18))
    Learner.objects.filter(user=cast.learner).update(date_of_birth=local_today().replace(year=2015))

    response = enrol(client, cast.learner, run, follow=True)

    assert "This class is for people aged 18 or over." in messages_of(response)
    assert not Enrolment.objects.exists()


def test_it_refuses_a_learner_below_the_english_level(client, cast, site):
    course = CoursePageFactory(parent=site.catalogue, minimum_english_level=Level.B1)
    run = CourseRunFactory(course=course)
    Learner.objects.filter(user=cast.learner).update(english_level=Level.A2)

    response = enrol(client, cast.learner, run, follow=True)

    assert any("needs English at level B1" in text for text in messages_of(response))
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "sponsor", "coordinator"])
def test_it_refuses_staff_without_a_learner_profile(client, cast, run, who):
    response = enrol(client, getattr(cast, who), run)

    assert response.status_code == 403
    assert "Only learners can enrol" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_it_sends_a_visitor_to_sign_in_and_back_to_the_course(client, run):
    response = client.post(url(run))

    assert response.status_code == 302
    assert response["Location"] == (f"/accounts/login/?next={run.course.url}%23run-{run.code}")
    assert not Enrolment.objects.exists()


def test_it_only_accepts_post(client, cast, run):
    client.force_login(cast.learner)

    assert client.get(url(run)).status_code == 405
    assert not Enrolment.objects.exists()


def test_it_does_not_know_unknown_runs(client, cast, run):
    client.force_login(cast.learner)

    assert client.post(f"/learn/runs/{run.pk + 100}/enrol/").status_code == 404


def test_it_does_not_know_draft_runs(client, cast, course):
    draft = CourseRunFactory(course=course, status=RunStatus.DRAFT)

    assert enrol(client, cast.learner, draft).status_code == 404
    assert not Enrolment.objects.exists()


def test_the_course_page_offers_an_enrol_button_to_a_learner(client, cast, run):
    client.force_login(cast.learner)

    html = client.get(run.course.url).content.decode()

    assert f'action="/learn/runs/{run.pk}/enrol/"' in html
    assert 'method="post"' in html
    assert ">Enrol<" in html


def test_the_course_page_offers_the_waitlist_when_full_and_an_application_in_review(
    client, cast, course
):
    full = CourseRunFactory(course=course, capacity=1)
    EnrolmentFactory(run=full)
    CourseRunFactory(course=course, mode=RunMode.REVIEW)
    client.force_login(cast.learner)

    html = client.get(course.url).content.decode()

    assert ">Join waitlist<" in html
    assert ">Apply<" in html


def test_the_course_page_sends_a_visitor_to_sign_in_or_up(client, run):
    html = client.get(run.course.url).content.decode()

    next_param = f"?next={run.course.url}%23run-{run.code}"
    assert f'href="/accounts/login/{next_param}"' in html
    assert f'href="/accounts/signup/{next_param}"' in html
    assert 'action="/learn/runs/' not in html


def test_a_visitor_is_offered_sign_up_first_then_sign_in_on_the_course(client, run):
    html = client.get(run.course.url).content.decode()

    next_q = f"?next={run.course.url}%23run-{run.code}"
    signup = html.index(f'href="/accounts/signup/{next_q}"')
    signin = html.index(f'href="/accounts/login/{next_q}"')
    assert signup < signin  # sign-up first: most visitors have no account yet
    assert "To enrol, you need an account." in html


def test_the_sign_in_page_a_visitor_is_sent_to_offers_sign_up_first(client, run):
    login = client.post(url(run))["Location"]

    html = client.get(login).content.decode()

    next_q = f"?next={run.course.url}%23run-{run.code}"
    form = 'action="/accounts/login/"'
    assert html.index(f'href="/accounts/signup/{next_q}"') < html.index(form)
    plain = client.get("/accounts/login/").content.decode()  # opened from the menu
    assert "signup-first" not in plain
