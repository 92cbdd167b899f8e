"""Who looked (issue 15): opening a person's record, downloading a file naming them and every
export leave a row in the access log, through the real views; Data protection reads the log,
filtered by person, staff member, action and date; nobody else does."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.roles import staff_name
from courses.models import Session
from enrolment.models import AccessAction, AccessLog, AttendanceStatus, Learner
from enrolment.services.access_log import access_log_exported, access_log_viewed
from enrolment.services.registers import Mark, register_mark
from tests.factories import (
    ChildFactory,
    LearnerFactory,
    ProgressReportFactory,
    SchoolPlacementFactory,
    SponsorshipFactory,
    UserFactory,
)
from tests.test_every_export import EXPORTS, url_of
from tests.test_url_inventory import _world

pytestmark = pytest.mark.django_db

INDEX = "/admin/enrolment/access-log/"
# A blank form to fill in names no one: not personal data.
NOT_PERSONAL = {"enrolments:import_template"}
STAFF_EXPORTS = [
    name
    for name, (_, who, _) in EXPORTS.items()
    if who == "coordinator" and name not in NOT_PERSONAL
]


@pytest.fixture
def officer(db):
    return UserFactory(
        username="dpo", first_name="Mei", last_name="Chan", groups=["Data protection"]
    )


@pytest.fixture
def world(site, cast):
    world = _world(site.catalogue, cast)
    world.cast = cast
    return world


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- what is logged ---------------------------------------------------------------------------


@pytest.mark.parametrize("export", STAFF_EXPORTS)
def test_every_staff_export_leaves_one_row_naming_who_took_it(client, world, export):
    spec, _who, fmt = EXPORTS[export]
    client.force_login(world.cast.coordinator)

    response = client.get(url_of(spec, world))
    body(response)  # a CSV is written as it streams

    assert response.status_code == 200
    log = AccessLog.objects.get()
    assert log.user == world.cast.coordinator
    assert log.user_name == staff_name(world.cast.coordinator)
    assert log.action == AccessAction.EXPORTED
    assert log.what.endswith(f".{fmt}")


def test_a_listing_export_counts_its_rows(client, world):
    client.force_login(world.cast.coordinator)

    body(client.get("/admin/enrolment/learners/?export=csv"))

    assert AccessLog.objects.get().rows == Learner.objects.count() == 3
    assert AccessLog.objects.get().what == "learners.csv"


def test_an_export_filtered_to_one_learner_names_them(client, world):
    client.force_login(world.cast.coordinator)

    body(client.get(f"/admin/enrolment/enrolments/?learner={world.learner}&export=xlsx"))

    log = AccessLog.objects.get()
    assert log.learner_id == world.learner
    assert log.rows == 1


def test_the_at_risk_export_counts_the_people_it_lists(client, world):
    client.force_login(world.cast.coordinator)

    register_mark(
        session=Session.objects.get(pk=world.session),
        marks={world.enrolment: Mark(AttendanceStatus.ABSENT)},
        by=world.cast.coordinator,
    )
    data = client.get(reverse("at_risk:index") + "?export=xlsx").content
    client.get(reverse("at_risk:index"))  # looking at the page is not an export

    log = AccessLog.objects.get()
    listed = openpyxl.load_workbook(io.BytesIO(data)).active.max_row - 1  # below the headings
    assert log.rows == listed == 1
    assert log.what.startswith("at-risk")


def test_opening_a_learners_record_is_logged_with_the_person(client, cast):
    amina = LearnerFactory(preferred_name="Amina")
    client.force_login(cast.coordinator)

    assert client.get(f"/admin/enrolment/learners/edit/{amina.pk}/").status_code == 200

    log = AccessLog.objects.get()
    assert (log.user, log.learner, log.action) == (cast.coordinator, amina, AccessAction.VIEWED)
    assert log.what == "learners:edit"


def test_a_record_refused_or_not_found_is_not_logged(client, cast):
    amina = LearnerFactory(preferred_name="Amina")
    client.force_login(cast.teacher)
    client.get(f"/admin/enrolment/learners/edit/{amina.pk}/")
    client.force_login(cast.coordinator)
    client.get("/admin/enrolment/learners/edit/999999/")

    assert not AccessLog.objects.exists()


def test_saving_a_record_is_history_not_another_look(client, cast):
    amina = LearnerFactory(preferred_name="Amina")
    client.force_login(cast.coordinator)

    client.post(f"/admin/enrolment/learners/edit/{amina.pk}/", {"preferred_name": ""})

    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    ("namespace", "factory"),
    [
        ("placements", SchoolPlacementFactory),
        ("sponsorships", SponsorshipFactory),
        ("progress_reports", ProgressReportFactory),
    ],
)
def test_opening_a_record_about_a_child_logs_the_child(client, cast, namespace, factory):
    child = ChildFactory(preferred_name="Sami")
    record = factory(child=child)
    client.force_login(cast.coordinator)

    assert client.get(reverse(f"{namespace}:edit", args=[record.pk])).status_code == 200

    log = AccessLog.objects.get()
    assert (log.learner, log.user, log.what) == (child, cast.coordinator, f"{namespace}:edit")


def test_a_childs_own_record_is_logged_as_the_child(client, cast):
    child = ChildFactory(preferred_name="Sami")
    client.force_login(cast.coordinator)

    client.get(f"/admin/enrolment/learners/edit/{child.pk}/")

    assert AccessLog.objects.get().learner == child


def test_staff_downloading_a_certificate_is_logged_the_holder_is_not(client, world):
    cast = world.cast
    url = reverse("certificate_pdf", args=[world.certificate])
    client.force_login(cast.learner)
    assert client.get(url).status_code == 200
    assert not AccessLog.objects.exists()

    client.force_login(cast.coordinator)
    assert client.get(url).status_code == 200

    log = AccessLog.objects.get()
    assert log.action == AccessAction.DOWNLOADED
    assert (log.user, log.learner_id) == (cast.coordinator, world.learner)
    assert "HLC-2030-00001" in log.what


# --- who reads the log ------------------------------------------------------------------------


def test_data_protection_reads_the_log(client, cast, officer):
    amina = LearnerFactory(preferred_name="Amina")
    access_log_viewed(user=cast.coordinator, learner=amina, what="learners:edit")
    client.force_login(officer)

    response = client.get(INDEX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Amina" in html and "learners:edit" in html and "Opened a record" in html


def test_a_superuser_reads_the_log(client, site):
    client.force_login(UserFactory(username="root", is_superuser=True))

    assert client.get(INDEX).status_code == 200


@pytest.mark.parametrize("member", ["coordinator", "translator"])
def test_staff_outside_data_protection_are_refused_the_log(client, cast, site, member):
    client.force_login(getattr(cast, member))

    response = client.get(INDEX)

    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")


@pytest.mark.parametrize("member", ["learner", "teacher", "sponsor"])
def test_people_without_the_admin_are_sent_to_sign_in(client, cast, site, member):
    client.force_login(getattr(cast, member))

    assert reverse("wagtailadmin_login") in client.get(INDEX).url


def test_no_one_can_add_change_or_delete_a_row(client, cast, officer):
    amina = LearnerFactory(preferred_name="Amina")
    log = access_log_viewed(user=cast.coordinator, learner=amina, what="learners:edit")
    client.force_login(UserFactory(username="root", is_superuser=True))

    for path in ("new/", f"edit/{log.pk}/", f"delete/{log.pk}/"):
        assert client.get(INDEX + path).status_code == 404
        assert client.post(INDEX + path).status_code == 404
    assert AccessLog.objects.filter(pk=log.pk).exists()


def test_the_menu_offers_the_log_to_data_protection_only(client, cast, officer):
    client.force_login(officer)
    assert INDEX in client.get("/admin/").content.decode()
    client.force_login(cast.coordinator)
    assert INDEX not in client.get("/admin/").content.decode()


# --- filtering --------------------------------------------------------------------------------


@pytest.fixture
def logged(cast):
    amina = LearnerFactory(preferred_name="Amina")
    bilal = LearnerFactory(preferred_name="Bilal")
    access_log_viewed(user=cast.coordinator, learner=amina, what="learners:edit")
    access_log_viewed(user=cast.teacher, learner=bilal, what="learners:edit")
    access_log_exported(user=cast.coordinator, what="sponsors.xlsx", rows=7)
    old = access_log_exported(user=cast.coordinator, what="learners.csv", rows=3)
    AccessLog.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    return amina, bilal


def shown(client, query: str) -> set[str]:
    response = client.get(INDEX + query)
    assert response.status_code == 200
    return {
        str(log.what) + (log.learner.preferred_name if log.learner else "")
        for log in response.context["object_list"]
    }


def test_the_log_filters_by_person(client, officer, logged):
    amina, _bilal = logged
    client.force_login(officer)

    assert shown(client, f"?learner={amina.pk}") == {"learners:editAmina"}


def test_the_log_filters_by_staff_member(client, cast, officer, logged):
    client.force_login(officer)

    assert shown(client, f"?user={cast.teacher.pk}") == {"learners:editBilal"}
    response = client.get(INDEX)
    assert "Grace Ho" in response.content.decode()  # the staff choice by name


def test_the_log_filters_by_action_and_date(client, officer, logged):
    client.force_login(officer)
    today = timezone.localdate()

    assert shown(client, "?action=exported") == {"sponsors.xlsx", "learners.csv"}
    since = (today - dt.timedelta(days=7)).isoformat()
    assert shown(client, f"?action=exported&at_from={since}") == {"sponsors.xlsx"}


@pytest.mark.parametrize(
    "query",
    [
        "?learner=x",
        "?learner=99999999999999999999",
        "?user=abc",
        "?action=burgle",
        "?at_from=0001-01-01",
    ],
)
def test_a_wrong_filter_is_said_not_a_server_error(client, officer, logged, query):
    client.force_login(officer)

    assert client.get(INDEX + query).status_code == 200


def test_the_log_costs_the_same_queries_for_few_or_many_rows(client, cast, officer):
    def queries_for(count: int) -> int:
        AccessLog.objects.all().delete()
        for index in range(count):
            learner = LearnerFactory(preferred_name=f"P{index}")
            user = UserFactory(username=f"staff{index % 5}")
            access_log_viewed(user=user, learner=learner, what="learners:edit")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(INDEX).status_code == 200
        return len(captured)

    client.force_login(officer)
    client.get(INDEX)  # warm the session and the menu
    few = queries_for(3)
    many = queries_for(45)
    assert many == few
