"""The hostile requests of issue 11 (defect 11) that answered 500, one by one: each now gets a
4xx or a form error, and changes nothing. tests/test_hostile_input.py tries every form; these
name the cases found by hand, including those that only PostgreSQL broke on."""

import datetime as dt

import pytest
from django.utils import timezone

from enrolment.models import Attendance, CalendarToken, Qualification, QualificationKind, Result
from tests.conftest import html_of
from tests.factories import LearnerFactory, PartnerFactory

pytestmark = pytest.mark.django_db

LONG_QUERY = " ".join(f"w{i}" for i in range(3_000))


def teacher_client(client, cast):
    client.force_login(cast.teacher)
    return client


def coordinator_client(client, cast):
    client.force_login(cast.coordinator)
    return client


# --- NUL bytes: PostgreSQL refuses them in text, and answered 500 -------------------------------


def test_a_nul_in_a_register_note_is_refused_and_saves_nothing(client, cast, english):
    enrolment = english.amina
    response = teacher_client(client, cast).post(
        f"/teach/sessions/{english.past.pk}/",
        {f"status-{e.pk}": "present" for e in english.enrolments}
        | {f"note-{enrolment.pk}": "sick\x00 - called family"},
    )
    assert response.status_code == 400
    assert not Attendance.objects.filter(session=english.past).exists()


def test_a_nul_in_a_results_comment_is_refused_and_saves_nothing(client, cast, english):
    response = teacher_client(client, cast).post(
        f"/teach/runs/{english.run.pk}/results/",
        {f"comment-{english.amina.pk}": "good\x00work", f"score-{english.amina.pk}": "70"},
    )
    assert response.status_code == 400
    assert not Result.objects.exists()


def test_a_nul_in_the_calendar_token_is_a_bad_request(client, cast):
    CalendarToken.objects.create(user=cast.learner)
    assert client.get("/calendar/abc%00def.ics").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/admin/api/main/pages/?search=%00",
        "/admin/enrolment/learners/?q=a%00b",
        "/admin/snippets/courses/partner/?q=%00",
        "/admin/pages/search/?q=%00",
    ],
)
def test_a_nul_in_an_admin_search_is_a_bad_request(client, cast, site, url):
    assert coordinator_client(client, cast).get(url).status_code == 400


# --- choosers and searches given what is not an id or a query ---------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/choose/courses/partner/chosen/abc/",
        "/admin/snippets/choose/courses/partner/chosen/1.5/",
        "/admin/snippets/choose/courses/partner/chosen-multiple/?id=abc&id=1.5",
        "/admin/enrolment/choose-learner/chosen/abc/",
        "/admin/enrolment/choose-learner/chosen/1.5/",
        "/admin/enrolment/choose-learner/chosen-multiple/?id=abc",
        "/admin/choose-page/?parent=abc",
        "/admin/choose-page/abc/",
        "/admin/choose-page/search/?q=%22&p=abc",
    ],
)
def test_a_chooser_given_junk_is_not_a_server_error(client, cast, site, url):
    PartnerFactory(name="British Council")
    LearnerFactory(preferred_name="Lea")
    assert coordinator_client(client, cast).get(url).status_code in (200, 400, 404)


@pytest.mark.parametrize(
    "url",
    [
        '/admin/snippets/choose/courses/partner/?q="',
        '/admin/snippets/choose/courses/partner/results/?q="unterminated',
        '/admin/snippets/courses/partner/?q="',
        "/admin/snippets/choose/courses/partner/?q=" + LONG_QUERY,
        "/admin/snippets/courses/partner/?q=" + LONG_QUERY,
        "/admin/pages/search/?q=" + LONG_QUERY,
        "/admin/api/main/pages/?search=" + LONG_QUERY,
    ],
)
def test_a_search_with_a_quote_or_a_very_long_query_is_answered(client, cast, site, url):
    PartnerFactory(name="British Council")
    response = coordinator_client(client, cast).get(url)
    assert response.status_code in (200, 400)


# --- the partner's usage page ---------------------------------------------------------------


def test_the_usage_page_of_a_partner_with_a_qualification_lists_it(client, cast, site):
    partner = PartnerFactory(name="British Council")
    learner = LearnerFactory(preferred_name="Lea")
    qualification = Qualification.objects.create(
        learner=learner,
        kind=QualificationKind.PARTNER_LEVEL,
        taken_on=timezone.localdate() - dt.timedelta(days=3),
        partner=partner,
        overall="B1",
    )
    response = coordinator_client(client, cast).get(
        f"/admin/snippets/courses/partner/usage/{partner.pk}/"
    )
    assert response.status_code == 200
    assert (
        f"/admin/enrolment/qualifications/inspect/{qualification.pk}/" in response.content.decode()
    )


# --- found by tests/test_hostile_input.py -----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/courses/partner/history-results/{partner}/?timestamp_from=0001-01-01",
        "/admin/enrolment/learners/history-results/{learner}/?timestamp_from=0001-01-01&timestamp_to=2999-12-31",
    ],
)
def test_a_history_filtered_from_year_1_is_answered(client, cast, site, url):
    ids = {"partner": PartnerFactory().pk, "learner": LearnerFactory().pk}
    assert coordinator_client(client, cast).get(url.format(**ids)).status_code == 200


@pytest.mark.parametrize("learner", ["abc", "1.5"])
def test_a_form_posted_with_a_chooser_id_that_is_not_one_shows_the_form_again(
    client, cast, english, learner
):
    response = coordinator_client(client, cast).post(
        "/admin/enrolment/enrolments/new/", {"learner": learner, "run": english.run.pk}
    )
    assert response.status_code == 200
    assert "learner" in response.context["form"].errors


def test_deleting_a_venue_or_a_run_in_use_is_refused_with_a_sentence(client, cast, english):
    client = coordinator_client(client, cast)
    venue = english.run.venue
    response = client.post(f"/admin/snippets/courses/venue/delete/{venue.pk}/", follow=True)
    assert response.status_code == 200
    assert "is the venue of runs or sessions, so it stays" in html_of(response)
    response = client.post(f"/admin/timetable/runs/delete/{english.run.pk}/", follow=True)
    assert response.status_code == 200
    assert "has enrolments, certificates or registers, so it stays" in html_of(response)
    assert type(english.run).objects.filter(pk=english.run.pk).exists()
