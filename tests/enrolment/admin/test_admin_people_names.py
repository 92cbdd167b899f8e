"""Telling people apart: two learners called Yusuf are two rows anyone can tell apart in staff
lists, choosers and the teacher's register ("Yusuf A. (L12)"), while a sponsor still sees a
first name only; staff appear by their names, not their usernames."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.roles import staff_name
from enrolment.models import EnrolmentStatus, Message
from tests.conftest import html_of
from tests.dates import local_today
from tests.factories import (
    ChildFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    SessionFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_yusufs(site, cast):
    run = CourseRunFactory(
        code="ENG-A2", teachers=[cast.teacher], start_date=local_today() - dt.timedelta(days=14)
    )
    yusufs = [
        LearnerFactory(preferred_name="Yusuf", legal_name="Yusuf Abdi Ali"),
        LearnerFactory(preferred_name="Yusuf", legal_name="Yusuf Hassan"),
    ]
    for learner in yusufs:
        EnrolmentFactory(
            learner=learner,
            run=run,
            status=EnrolmentStatus.ENROLLED,
            enrolled_at=timezone.now() - dt.timedelta(days=30),
        )
    return run, yusufs


def test_a_learner_is_named_by_preferred_name_family_initial_and_number():
    learner = LearnerFactory(preferred_name="Hodan", legal_name="Hodan Yusuf Aden")
    assert learner.list_name == f"Hodan A. (L{learner.pk})"
    assert str(learner) == learner.list_name
    # No legal name, or one that says no more than the preferred name: no initial.
    assert LearnerFactory(preferred_name="Sara", legal_name="").list_name.startswith("Sara (L")
    assert LearnerFactory(preferred_name="Mo Ali", legal_name="Ali").list_name.startswith(
        "Mo Ali (L"
    )


@pytest.mark.parametrize(
    "url",
    [
        "/admin/enrolment/learners/",
        "/admin/enrolment/enrolments/",
        "/admin/enrolment/choose-learner/",
    ],
)
def test_two_yusufs_are_told_apart_in_the_staff_lists(client, cast, two_yusufs, url):
    _run, (abdi, hassan) = two_yusufs
    client.force_login(cast.coordinator)

    html = html_of(client.get(url))

    assert f"Yusuf A. (L{abdi.pk})" in html
    assert f"Yusuf H. (L{hassan.pk})" in html
    # The list says who, not more: no full family name.
    assert "Abdi Ali" not in html and "Hassan" not in html.replace("Yusuf H.", "")


def test_the_learner_list_costs_the_same_queries_for_more_learners(client, cast, two_yusufs):
    client.force_login(cast.coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/enrolment/learners/")
    LearnerFactory.create_batch(15, legal_name="Someone Else")
    with CaptureQueriesContext(connection) as more:
        client.get("/admin/enrolment/learners/")
    assert len(more) == len(few)


def test_a_learner_is_found_by_the_number_the_list_shows(client, cast, two_yusufs):
    _run, (abdi, hassan) = two_yusufs
    client.force_login(cast.coordinator)

    html = html_of(client.get(f"/admin/enrolment/learners/?q=L{hassan.pk}"))

    assert f"Yusuf H. (L{hassan.pk})" in html and f"(L{abdi.pk})" not in html


def test_the_teachers_register_tells_the_two_yusufs_apart(client, cast, two_yusufs):
    run, (abdi, hassan) = two_yusufs
    session = SessionFactory(run=run, date=local_today() - dt.timedelta(days=7))
    client.force_login(cast.teacher)

    html = html_of(client.get(reverse("teach_register", args=[session.pk])))

    assert f"Yusuf A. (L{abdi.pk})" in html and f"Yusuf H. (L{hassan.pk})" in html


def test_a_sponsor_still_sees_a_first_name_only(client, cast):
    child = ChildFactory(preferred_name="Hamza", legal_name="Hamza Mohamed Abdi")
    SponsorshipFactory(sponsor=SponsorFactory(user=cast.sponsor), child=child)
    client.force_login(cast.sponsor)

    pages = [reverse("sponsor"), reverse("sponsor_child", args=[child.pk])]
    for page in pages:
        html = html_of(client.get(page))
        assert "Hamza" in html
        assert child.list_name not in html and "Hamza A." not in html
        # As a word: a random CSRF token on the page may hold "L3" by chance.
        assert not re.search(rf"\bL{child.pk}\b", html)


def test_the_run_form_names_teachers_by_name_not_username(client, cast):
    run = CourseRunFactory(teachers=[cast.teacher])
    nameless = UserFactory(username="teacher.sam", first_name="", last_name="", groups=["Teachers"])
    client.force_login(cast.coordinator)

    html = html_of(client.get(reverse("course_runs:edit", args=[run.pk])))

    assert ">Grace Ho</option>" in html
    assert ">teacher</option>" not in html
    assert ">teacher.sam</option>" in html  # no name on file: the username, not a blank
    assert staff_name(nameless) == "teacher.sam" and staff_name(cast.teacher) == "Grace Ho"


def test_a_message_names_its_sender_by_name(client, cast, two_yusufs):
    _run, (abdi, _hassan) = two_yusufs
    message = Message.objects.create(
        learner=abdi,
        channel="sms",
        address="+85291230000",
        kind="staff",
        body="Hi",
        sent_by=cast.teacher,
    )
    client.force_login(cast.coordinator)

    html = html_of(client.get(reverse("messages:inspect", args=[message.pk])))

    assert "Grace Ho" in html
    assert ">None<" not in html.replace(" ", "")
