"""The demo's caseworker reads the case references and caseworker notes the demo records; its
coordinator sees only that they are recorded."""

from django.contrib.auth import authenticate

from cms.management.demo import DEMO_PASSWORD, build_demo
from enrolment.models import Learner, ProgressReport
from tests.conftest import html_of

RECORDED = "Recorded — visible to caseworkers only"


def test_the_demo_caseworker_reads_what_the_coordinator_only_knows_is_recorded(db, client):
    summary = build_demo(scale=1)

    assert "caseworker" in [username for username, _password, _role in summary.logins]
    learner = Learner.objects.exclude(case_reference="").first()
    report = ProgressReport.objects.exclude(caseworker_note="").first()
    pages = [
        (f"/admin/enrolment/learners/edit/{learner.pk}/", learner.case_reference),
        (f"/admin/sponsorship/reports/edit/{report.pk}/", report.caseworker_note[:30]),
    ]

    client.force_login(authenticate(username="caseworker", password=DEMO_PASSWORD))
    for url, secret in pages:
        html = html_of(client.get(url))
        assert secret in html and RECORDED not in html, url

    client.force_login(authenticate(username="coordinator", password=DEMO_PASSWORD))
    for url, secret in pages:
        html = html_of(client.get(url))
        assert secret not in html and RECORDED in html, url
