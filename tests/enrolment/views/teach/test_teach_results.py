from decimal import Decimal

import pytest

from enrolment.models import Result

pytestmark = pytest.mark.django_db


def url(run) -> str:
    return f"/teach/runs/{run.pk}/results/"


def form_data(two_classes, **rows) -> dict:
    """Every learner's row as the form sends it, blank unless given."""
    data = {}
    for enrolment in two_classes.enrolments:
        score, passed, comment = rows.get(enrolment.learner.preferred_name.lower(), ("", "", ""))
        data[f"score-{enrolment.pk}"] = score
        data[f"passed-{enrolment.pk}"] = passed
        data[f"comment-{enrolment.pk}"] = comment
    return data


def test_a_teacher_records_results_for_their_own_run(client, cast, two_classes):
    client.force_login(cast.teacher)
    response = client.get(url(two_classes.run))
    html = response.content.decode()
    assert response.status_code == 200
    assert [row["name"] for row in response.context["rows"]] == ["Amina", "Bilal", "Chloe"]
    assert f'<label for="score-{two_classes.amina.pk}">' in html

    response = client.post(
        url(two_classes.run),
        form_data(two_classes, amina=("72.5", "yes", "Good work"), bilal=("", "no", "")),
    )
    assert response.status_code == 302
    amina = Result.objects.get(enrolment=two_classes.amina)
    assert (amina.score, amina.passed, amina.comment) == (Decimal("72.5"), True, "Good work")
    assert amina.recorded_by == cast.teacher
    bilal = Result.objects.get(enrolment=two_classes.bilal)
    assert (bilal.score, bilal.passed) == (None, False)
    assert not Result.objects.filter(enrolment=two_classes.chloe).exists()  # left blank

    page = client.get(url(two_classes.run)).content.decode()
    assert 'value="72.5"' in page


def test_unchanged_rows_are_not_saved_again(client, cast, two_classes):
    client.force_login(cast.teacher)
    client.post(url(two_classes.run), form_data(two_classes, amina=("60", "yes", "")))
    first = Result.objects.get(enrolment=two_classes.amina).recorded_at
    client.post(
        url(two_classes.run),
        form_data(two_classes, amina=("60.0", "yes", ""), chloe=("50", "", "")),
    )
    assert Result.objects.get(enrolment=two_classes.amina).recorded_at == first
    assert Result.objects.get(enrolment=two_classes.chloe).score == Decimal(50)


def test_another_teachers_run_is_a_404(client, cast, two_classes):
    client.force_login(cast.teacher)
    assert client.get(url(two_classes.other.run)).status_code == 404
    response = client.post(url(two_classes.other.run), {f"score-{two_classes.other.omar.pk}": "50"})
    assert response.status_code == 404
    assert not Result.objects.exists()


def test_a_coordinator_records_results_for_any_run(client, cast, two_classes):
    client.force_login(cast.coordinator)
    assert client.get(url(two_classes.other.run)).status_code == 200
    response = client.post(
        url(two_classes.other.run),
        {
            f"score-{two_classes.other.omar.pk}": "88",
            f"passed-{two_classes.other.omar.pk}": "yes",
            f"comment-{two_classes.other.omar.pk}": "",
        },
    )
    assert response.status_code == 302
    assert Result.objects.get(enrolment=two_classes.other.omar).recorded_by == cast.coordinator


@pytest.mark.parametrize("bad", ["101", "-1", "abc", "NaN", "50.25"])
def test_a_bad_score_names_the_learner_and_saves_nothing(client, cast, two_classes, bad):
    client.force_login(cast.teacher)
    response = client.post(
        url(two_classes.run), form_data(two_classes, amina=("70", "yes", ""), bilal=(bad, "", ""))
    )
    assert response.status_code == 200
    error = response.context["error"]
    assert "Bilal" in error
    assert "Nothing was saved" in error
    assert not Result.objects.exists()
    html = response.content.decode()
    assert 'role="alert"' in html
    assert f'value="{bad}"' in html  # what was typed comes back to be corrected


@pytest.mark.parametrize("who", ["learner", "sponsor"])
def test_learners_and_sponsors_are_refused(client, cast, two_classes, who):
    client.force_login(getattr(cast, who))
    response = client.get(url(two_classes.run))
    assert response.status_code == 403
    assert "Amina" not in response.content.decode()
    assert (
        client.post(url(two_classes.run), form_data(two_classes, amina=("70", "", ""))).status_code
        == 403
    )
    assert not Result.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client, two_classes):
    response = client.get(url(two_classes.run))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_teach_page_links_to_a_runs_results(client, cast, two_classes):
    client.force_login(cast.teacher)
    html = client.get("/teach/").content.decode()
    assert f'href="{url(two_classes.run)}"' in html
    assert f'href="{url(two_classes.other.run)}"' not in html
