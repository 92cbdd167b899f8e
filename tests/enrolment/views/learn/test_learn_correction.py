"""A learner asks us to correct their details from /learn/correction/, and sees their requests
with our answers; bad input says why and saves nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrolment.models import CorrectionRequest, CorrectionStatus
from enrolment.services.corrections import MAX_OPEN_PER_LEARNER
from tests.conftest import html_of, messages_of

pytestmark = pytest.mark.django_db
URL = "/learn/correction/"


def test_my_learning_and_my_details_link_to_the_correction_page(client, cast):
    client.force_login(cast.learner)

    assert URL in html_of(client.get("/learn/"))
    assert URL in html_of(client.get("/learn/profile/"))


def test_a_learner_sends_a_request_and_sees_it_waiting(client, cast):
    client.force_login(cast.learner)

    response = client.post(URL, {"text": "My birthday says 1995.\nIt should be 1996."}, follow=True)

    request = CorrectionRequest.objects.get()
    assert request.learner == cast.learner.learner
    assert request.status == CorrectionStatus.OPEN
    assert request.text == "My birthday says 1995.\nIt should be 1996."
    assert "We have your request. We will check it and answer you here." in messages_of(response)
    html = html_of(response)
    assert "It should be 1996." in html and "Waiting" in html


def test_the_answer_shows_on_the_learners_page(client, cast):
    learner = cast.learner.learner
    CorrectionRequest.objects.create(
        learner=learner,
        text="Wrong phone",
        status=CorrectionStatus.REFUSED,
        staff_reply="Your papers say this number.",
        handled_at=timezone.now(),
    )
    client.force_login(cast.learner)

    html = html_of(client.get(URL))

    assert "Not changed" in html and "Your papers say this number." in html


def test_a_learner_never_sees_someone_elses_requests(client, cast):
    CorrectionRequest.objects.create(learner=cast.other_learner.learner, text="Omar's secret")
    client.force_login(cast.learner)

    assert "Omar&#x27;s secret" not in html_of(client.get(URL))
    assert "secret" not in html_of(client.get(URL))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Write what is wrong, and what it should say."),
        ("   \n ", "Write what is wrong, and what it should say."),
        ("x" * 1001, "1000"),
        ("bad\x1b[31m", "U+001B"),
    ],
)
def test_bad_input_says_why_and_saves_nothing(client, cast, text, message):
    client.force_login(cast.learner)

    response = client.post(URL, {"text": text})

    assert response.status_code == 200
    assert message in html_of(response)
    assert not CorrectionRequest.objects.exists()


def test_at_most_five_requests_wait_at_once(client, cast):
    learner = cast.learner.learner
    for index in range(MAX_OPEN_PER_LEARNER):
        CorrectionRequest.objects.create(learner=learner, text=f"Wrong {index}")
    client.force_login(cast.learner)

    response = client.post(URL, {"text": "One more"})

    assert response.status_code == 200
    assert "You already have 5 requests waiting." in html_of(response)
    assert CorrectionRequest.objects.count() == MAX_OPEN_PER_LEARNER
    # An answered request no longer counts.
    CorrectionRequest.objects.filter(text="Wrong 0").update(status=CorrectionStatus.DONE)
    client.post(URL, {"text": "One more"})
    assert CorrectionRequest.objects.filter(text="One more").exists()


@pytest.mark.parametrize("member", ["teacher", "sponsor", "coordinator"])
def test_anyone_without_a_learner_profile_gets_the_for_learners_page(client, cast, member):
    client.force_login(getattr(cast, member))

    response = client.post(URL, {"text": "Hello"})

    assert response.status_code == 403
    assert not CorrectionRequest.objects.exists()


def test_the_list_of_requests_costs_the_same_queries_for_few_or_many(client, cast):
    learner = cast.learner.learner
    client.force_login(cast.learner)
    client.get(URL)

    def cost(count: int) -> int:
        CorrectionRequest.objects.all().delete()
        for index in range(count):
            CorrectionRequest.objects.create(
                learner=learner, text=f"W{index}", status=CorrectionStatus.DONE
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        return len(queries)

    assert cost(2) == cost(15)
