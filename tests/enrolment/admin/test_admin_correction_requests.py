"""Learners' correction requests in the admin: listed waiting first, each linking to the
learner's record, answered as corrected or not changed (with the reason), counted on the
dashboard as the list counts them."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrolment.models import CorrectionRequest, CorrectionStatus
from enrolment.services.corrections import correction_request_create
from tests.conftest import html_of, messages_of
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db
INDEX = "/admin/enrolment/correction-requests/"


def answer_url(request) -> str:
    return f"{INDEX}{request.pk}/"


def ask(learner, text: str, *, days_ago: int = 0, **fields) -> CorrectionRequest:
    request = CorrectionRequest.objects.create(learner=learner, text=text, **fields)
    CorrectionRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return request


def test_waiting_requests_come_first_the_longest_waiting_first(coordinator_client, cast):
    lea, omar = cast.learner.learner, cast.other_learner.learner
    ask(lea, "Answered long ago", days_ago=30, status=CorrectionStatus.DONE)
    ask(lea, "Asked yesterday", days_ago=1)
    ask(omar, "Asked last week", days_ago=7)

    html = html_of(coordinator_client.get(INDEX))

    order = [html.index(text) for text in ("Asked last week", "Asked yesterday", "Answered long")]
    assert order == sorted(order)
    assert f"/admin/enrolment/learners/edit/{omar.pk}/" in html


def test_a_coordinator_marks_a_request_corrected_with_a_reply(coordinator_client, cast):
    request = ask(cast.learner.learner, "My name is spelt Leah")

    page = html_of(coordinator_client.get(answer_url(request)))
    response = coordinator_client.post(
        answer_url(request), {"status": "done", "reply": "Corrected to Leah."}, follow=True
    )

    assert "My name is spelt Leah" in page
    request.refresh_from_db()
    assert request.status == CorrectionStatus.DONE
    assert request.staff_reply == "Corrected to Leah."
    assert request.handled_by == cast.coordinator and request.handled_at is not None
    assert any("Answered." in message for message in messages_of(response))


def test_refusing_needs_the_reason_and_saves_nothing_without_it(coordinator_client, cast):
    request = ask(cast.learner.learner, "Change my date of birth")

    response = coordinator_client.post(answer_url(request), {"status": "refused", "reply": ""})

    assert response.status_code == 200
    assert "Say why the record is not changed" in html_of(response)
    request.refresh_from_db()
    assert request.status == CorrectionStatus.OPEN and request.handled_by is None


@pytest.mark.parametrize("data", [{}, {"status": "open"}, {"status": "done", "reply": "x" * 1001}])
def test_a_bad_answer_says_why_and_changes_nothing(coordinator_client, cast, data):
    request = ask(cast.learner.learner, "Wrong phone")

    response = coordinator_client.post(answer_url(request), data)

    assert response.status_code == 200
    request.refresh_from_db()
    assert request.status == CorrectionStatus.OPEN


def test_an_answered_request_cannot_be_answered_again(coordinator_client, cast):
    request = ask(
        cast.learner.learner, "Wrong", status=CorrectionStatus.DONE, handled_at=timezone.now()
    )

    response = coordinator_client.post(answer_url(request), {"status": "refused", "reply": "No"})

    assert "Someone has already answered this request." in html_of(response)
    request.refresh_from_db()
    assert request.status == CorrectionStatus.DONE


def test_an_unknown_request_is_a_404(coordinator_client):
    assert coordinator_client.get(f"{INDEX}999999/").status_code == 404


@pytest.mark.parametrize("member", ["learner", "teacher", "sponsor", "translator"])
def test_no_one_but_coordinators_reads_or_answers(client, cast, member):
    request = ask(cast.learner.learner, "Wrong")
    client.force_login(getattr(cast, member))

    assert client.get(INDEX).status_code == 302
    client.post(answer_url(request), {"status": "done", "reply": ""})

    request.refresh_from_db()
    assert request.status == CorrectionStatus.OPEN


def test_the_dashboard_counts_the_waiting_requests_the_list_shows(coordinator_client, cast):
    for text in ("One", "Two", "Three"):
        correction_request_create(learner=cast.learner.learner, text=text, by=cast.learner)
    ask(cast.other_learner.learner, "Done", status=CorrectionStatus.DONE)

    dashboard = html_of(coordinator_client.get("/admin/"))
    row = re.search(
        r'<a href="([^"]+)">Correction requests waiting</a></th>\s*<td>(.*?)</td>', dashboard
    )
    listing = html_of(coordinator_client.get(row.group(1)))

    assert re.sub(r"<[^>]+>", "", row.group(2)) == "3"
    assert all(text in listing for text in ("One", "Two", "Three"))
    assert "Done" not in listing.split("<tbody")[1]


def test_the_list_costs_the_same_queries_for_few_or_many_rows(coordinator_client):
    def cost(count: int) -> int:
        CorrectionRequest.objects.all().delete()
        for index in range(count):
            ask(LearnerFactory(preferred_name=f"P{index}"), f"Wrong {index}")
        with CaptureQueriesContext(connection) as queries:
            assert coordinator_client.get(INDEX).status_code == 200
        return len(queries)

    coordinator_client.get(INDEX)  # warm the session and the menu
    assert cost(3) == cost(30)
