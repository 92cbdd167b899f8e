"""The demo shows who looked: the dataprotection login reads a week of the coordinator's work
in the access log, and can narrow it to Amina."""

from django.contrib.auth import authenticate

from cms.management.demo import DEMO_PASSWORD, build_demo
from enrolment.models import AccessAction, AccessLog, Learner

INDEX = "/admin/enrolment/access-log/"


def test_the_data_protection_login_finds_the_coordinators_looks(client, db):
    summary = build_demo(scale=1)
    assert "dataprotection" in [username for username, _p, _who in summary.logins]
    officer = authenticate(username="dataprotection", password=DEMO_PASSWORD)
    assert officer is not None
    client.force_login(officer)

    response = client.get(INDEX)

    assert response.status_code == 200
    logs = list(response.context["object_list"])
    assert {log.action for log in logs} == set(AccessAction.values)
    assert {log.user.username for log in logs} == {"coordinator"}
    amina = Learner.objects.get(preferred_name="Amina", user__isnull=False)
    narrowed = client.get(INDEX, {"learner": amina.pk}).context["object_list"]
    assert narrowed and {log.learner for log in narrowed} == {amina}


def test_building_the_demo_again_adds_no_rows(db):
    build_demo(scale=1)
    rows = AccessLog.objects.count()

    build_demo(scale=1)

    assert AccessLog.objects.count() == rows >= 5
