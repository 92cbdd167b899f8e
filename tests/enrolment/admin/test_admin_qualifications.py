"""Coordinators record GED, IELTS and partner levels through the awarding bodies' rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolment.models import Qualification, QualificationKind
from enrolment.services.qualifications import qualification_record_ielts
from tests.conftest import html_of
from tests.factories import LearnerFactory, PartnerFactory

pytestmark = pytest.mark.django_db
INDEX = "/admin/enrolment/qualifications/"
K = QualificationKind


def ged(learner, **scores):
    values = {"math": 150, "rla": 160, "science": 145, "social_studies": 170, **scores}
    return {"learner": learner.pk, "taken_on": "2026-06-01", "reference": "G-1", **values}


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
    for kind in K.values:
        assert f"{INDEX}new/{kind}/" in page
    qualification = Qualification.objects.get()
    assert client.get(f"{INDEX}edit/{qualification.pk}/").status_code == 404
    assert client.get(f"{INDEX}inspect/{qualification.pk}/").status_code == 200
    assert client.get(f"{INDEX}new/nonsense/").status_code == 404


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor", "anonymous"])
def test_everyone_else_is_refused(client, cast, site, who):
    learner = LearnerFactory(preferred_name="Amina")
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    for url in (INDEX, f"{INDEX}new/", f"{INDEX}new/ged/"):
        response = client.get(url)
        assert response.status_code in (302, 403), url
    response = client.post(f"{INDEX}new/ged/", ged(learner))
    assert response.status_code in (302, 403)
    assert not Qualification.objects.exists()


@pytest.mark.parametrize("score", [99, 201])
def test_a_ged_score_outside_100_to_200_is_refused(client, cast, site, score):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}new/ged/", ged(learner, science=score))
    assert response.status_code == 200
    assert f"a GED score is between 100 and 200, not {score}" in html_of(response)
    assert not Qualification.objects.exists()


def test_a_valid_ged_is_saved_with_its_overall(client, cast, site):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}new/ged/", ged(learner))
    assert response.status_code == 302
    diploma = Qualification.objects.get()
    assert (diploma.kind, diploma.overall, diploma.passed) == (K.GED, "diploma", True)
    assert diploma.scores["science"] == 145 and diploma.reference == "G-1"
    assert diploma.recorded_by == cast.coordinator

    client.post(f"{INDEX}new/ged/", ged(learner, math=144))
    partial = Qualification.objects.exclude(pk=diploma.pk).get()
    assert (partial.overall, partial.passed) == ("3/4", False)


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
    assert len(client.get(f"{INDEX}?kind=ged").context["object_list"]) == 0
    assert len(client.get(f"{INDEX}?kind=ielts&passed=true").context["object_list"]) == 30
    assert len(client.get(f"{INDEX}?passed=false").context["object_list"]) == 0
