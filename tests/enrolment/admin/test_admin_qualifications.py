"""Coordinators record GED, IELTS and partner levels through the awarding bodies' rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolment.models import Qualification, QualificationKind
from enrolment.services.qualifications import qualification_record_ielts
from tests.conftest import html_of, messages_of
from tests.factories import LearnerFactory, PartnerFactory

pytestmark = pytest.mark.django_db
INDEX = "/admin/enrolment/qualifications/"
K = QualificationKind


GED = f"{INDEX}new/ged_subject/"


def ged(learner, subject="science", score=145, taken_on="2026-06-01"):
    return {
        "learner": learner.pk,
        "subject": subject,
        "score": score,
        "taken_on": taken_on,
        "reference": "G-1",
    }


def ielts(learner, **bands):
    values = {"listening": "6.5", "reading": "6", "writing": "6", "speaking": "6.5", **bands}
    return {"learner": learner.pk, "taken_on": "2026-06-01", **values}


def test_the_listing_loads_for_a_coordinator(client, cast, site):
    learner = LearnerFactory(preferred_name="Amina")
    qualification_record_ielts(
        learner=learner,
        bands={"listening": 7, "reading": 7, "writing": 6, "speaking": 7},
        taken_on="2026-05-01",
        by=cast.coordinator,
    )
    client.force_login(cast.coordinator)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = html_of(response)
    assert "Amina" in html and "IELTS" in html and "7.0" in html
    assert f"{INDEX}new/" in html
    page = html_of(client.get(f"{INDEX}new/"))
    for kind in [K.GED_SUBJECT, K.IELTS, K.PARTNER_LEVEL]:
        assert f"{INDEX}new/{kind}/" in page
    # The diploma is never recorded by hand: it follows the fourth subject passed.
    assert f"{INDEX}new/ged/" not in page
    assert client.get(f"{INDEX}new/ged/").status_code == 404
    qualification = Qualification.objects.get()
    assert client.get(f"{INDEX}edit/{qualification.pk}/").status_code == 404
    assert client.get(f"{INDEX}inspect/{qualification.pk}/").status_code == 200
    assert client.get(f"{INDEX}new/nonsense/").status_code == 404


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor", "anonymous"])
def test_everyone_else_is_refused(client, cast, site, who):
    learner = LearnerFactory(preferred_name="Amina")
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    for url in (INDEX, f"{INDEX}new/", GED):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    response = client.post(GED, ged(learner))
    assert response.status_code in (302, 403)
    assert not Qualification.objects.exists()


@pytest.mark.parametrize("score", [99, 201])
def test_a_ged_score_outside_100_to_200_is_refused(client, cast, site, score):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    response = client.post(GED, ged(learner, score=score))
    assert response.status_code == 200
    assert f"a GED score is between 100 and 200, not {score}" in html_of(response)
    assert not Qualification.objects.exists()


def test_one_ged_subject_is_recorded_on_its_own(client, cast, site):
    learner = LearnerFactory(preferred_name="Yusuf")
    client.force_login(cast.coordinator)
    response = client.post(GED, ged(learner, "science", 145), follow=True)
    result = Qualification.objects.get()
    assert (result.kind, result.passed, result.scores) == (
        K.GED_SUBJECT,
        True,
        {"subject": "science", "score": 145},
    )
    assert result.reference == "G-1" and result.recorded_by == cast.coordinator
    assert "GED subject recorded for Yusuf." in html_of(response)
    assert "Science 145" in html_of(response)  # the listing names the subject
    assert "GED diploma is recorded" not in html_of(response)


def test_the_fourth_subject_passed_brings_the_diploma(client, cast, site):
    learner = LearnerFactory(preferred_name="Yusuf")
    client.force_login(cast.coordinator)
    for subject, when in [("math", "2026-01-10"), ("rla", "2026-03-02"), ("science", "2026-05-20")]:
        client.post(GED, ged(learner, subject, 160, when))
    assert not Qualification.objects.filter(kind=K.GED).exists()

    response = client.post(GED, ged(learner, "social_studies", 150, "2026-06-01"), follow=True)

    diploma = Qualification.objects.get(kind=K.GED)
    assert (diploma.passed, str(diploma.taken_on)) == (True, "2026-06-01")
    assert "All four GED subjects passed: Yusuf's GED diploma is recorded." in messages_of(response)


def test_an_ielts_band_of_7_3_is_refused(client, cast, site):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}new/ielts/", ielts(learner, writing="7.3"))
    assert response.status_code == 200
    assert "not 7.3" in html_of(response)
    assert not Qualification.objects.exists()


def test_a_valid_ielts_is_saved_with_the_overall_rounded_up_from_a_quarter(client, cast, site):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    # (6.5 + 6 + 6 + 6.5) / 4 = 6.25, which rounds up to 6.5
    response = client.post(f"{INDEX}new/ielts/", ielts(learner))
    assert response.status_code == 302
    result = Qualification.objects.get()
    assert (result.kind, result.overall) == (K.IELTS, "6.5")


def test_a_partner_level_is_saved(client, cast, site):
    learner = LearnerFactory()
    partner = PartnerFactory(name="British Council")
    client.force_login(cast.coordinator)
    data = {"learner": learner.pk, "taken_on": "2026-06-01", "partner": partner.pk}
    response = client.post(f"{INDEX}new/partner_level/", {**data, "level": "Z9"})
    assert response.status_code == 200
    assert not Qualification.objects.exists()
    response = client.post(f"{INDEX}new/partner_level/", {**data, "level": "b1"})
    assert response.status_code == 302
    result = Qualification.objects.get()
    assert (result.kind, result.overall, result.partner) == (K.PARTNER_LEVEL, "b1", partner)


def test_filters_and_query_count(client, cast, site):
    def record(n):
        for _ in range(n):
            qualification_record_ielts(
                learner=LearnerFactory(),
                bands={"listening": 6, "reading": 6, "writing": 6, "speaking": 6},
                taken_on="2026-05-01",
                by=cast.coordinator,
            )

    client.force_login(cast.coordinator)
    record(3)
    client.get(INDEX)
    with CaptureQueriesContext(connection) as at_3:
        client.get(INDEX)
    record(27)
    with CaptureQueriesContext(connection) as at_30:
        response = client.get(INDEX)
    assert response.status_code == 200
    assert len(at_30) == len(at_3)
    assert len(client.get(f"{INDEX}?kind=ged_subject").context["object_list"]) == 0
    assert len(client.get(f"{INDEX}?kind=ielts&passed=true").context["object_list"]) == 30
    assert len(client.get(f"{INDEX}?passed=false").context["object_list"]) == 0
