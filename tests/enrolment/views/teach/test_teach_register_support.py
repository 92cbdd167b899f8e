"""The teacher sees what each learner needs to attend, in words, beside their name on the
phone register and the paper register."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import html_of
from tests.factories import EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def supported(english):
    amina = english.amina
    amina.interpreter_language = "Arabic"
    amina.childcare_children = 2
    amina.transport_reimbursed = True
    amina.save()
    return english


def test_the_register_shows_each_learners_support_in_words(client, cast, supported):
    client.force_login(cast.teacher)

    html = html_of(client.get(f"/teach/sessions/{supported.past.pk}/"))

    amina = html[html.index("Amina") : html.index("Bilal")]
    assert "Interpreter: <bdi>Arabic</bdi>" in amina
    assert "Childcare: 2" in amina
    assert "Transport" in amina
    bilal = html[html.index("Bilal") : html.index("Chloe")]
    assert "Interpreter" not in bilal and "Childcare" not in bilal


def test_the_paper_register_shows_it_too(client, cast, supported):
    client.force_login(cast.teacher)

    html = html_of(client.get(f"/teach/runs/{supported.run.pk}/register/print/"))

    assert "Interpreter: <bdi>Arabic</bdi>" in html
    assert "Childcare: 2" in html


def test_showing_support_costs_no_query_per_learner(client, cast, supported):
    client.force_login(cast.teacher)
    url = f"/teach/sessions/{supported.past.pk}/"
    client.get(url)  # the first request also reads what gets cached
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    few = len(queries)  # now: the next request empties the log it reads from
    for index in range(5):
        enrolment = EnrolmentFactory(
            run=supported.run,
            learner=LearnerFactory(preferred_name=f"Zed {index}"),
            enrolled_at=supported.amina.enrolled_at,
            childcare_children=1,
            interpreter_language="Dari",
        )
        assert enrolment.pk

    with CaptureQueriesContext(connection) as queries:
        html = html_of(client.get(url))

    assert html.count("Interpreter: <bdi>Dari</bdi>") == 5
    assert len(queries) == few
