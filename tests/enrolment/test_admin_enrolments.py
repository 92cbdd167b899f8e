import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.choices import RunMode
from enrolment.models import Enrolment, EnrolmentStatus
from enrolment.services.enrolling import enrolment_create
from tests.conftest import html_of
from tests.factories import (
    CategoryFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
)

pytestmark = pytest.mark.django_db
S = EnrolmentStatus
INDEX = "/admin/enrolment/enrolments/"
TODAY = timezone.localdate()


@pytest.fixture
def world(site, cast):
    english = CategoryFactory(name="English")
    computing = CategoryFactory(name="Computing")
    course = CoursePageFactory(title="English A1", category=english, parent=site.catalogue)
    other_course = CoursePageFactory(
        title="Computers for beginners", category=computing, parent=site.catalogue
    )
    run = CourseRunFactory(course=course, code="ENG-A1-T1", capacity=2)
    sister = CourseRunFactory(
        course=course,
        code="ENG-A1-T1-B",
        capacity=5,
        start_date=TODAY + dt.timedelta(days=100),
    )
    review = CourseRunFactory(course=course, code="ENG-A1-REVIEW", mode=RunMode.REVIEW)
    computers = CourseRunFactory(course=other_course, code="IT-1")
    return SimpleNamespace(
        course=course,
        other_course=other_course,
        english=english,
        run=run,
        sister=sister,
        review=review,
        computers=computers,
    )


def enrol(learner, run, by=None):
    return enrolment_create(learner=learner, run=run, by=by)


# --- the listing ------------------------------------------------------------------------------


def test_the_listing_loads_for_a_coordinator(client, cast, world):
    enrol(LearnerFactory(preferred_name="Amina"), world.run)
    client.force_login(cast.coordinator)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = html_of(response)
    assert "Amina" in html and "ENG-A1-T1" in html and "English A1" in html
    assert "Import from spreadsheet" in html
    assert "Review applications" in html


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor", "anonymous"])
def test_the_listing_is_refused_to_everyone_else(client, cast, world, who):
    enrol(LearnerFactory(preferred_name="Amina"), world.run)
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert "Amina" not in html_of(response)


@pytest.fixture
def spread(world):
    """One enrolment in each corner of the filters."""
    enrol(LearnerFactory(preferred_name="Amina"), world.run)
    enrol(LearnerFactory(preferred_name="Bashir"), world.review)
    enrol(LearnerFactory(preferred_name="Chloe"), world.computers)
    late = CourseRunFactory(
        course=world.other_course, code="IT-LATER", start_date=dt.date(TODAY.year + 1, 11, 2)
    )
    enrol(LearnerFactory(preferred_name="Dawit"), late)
    return world


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("status=applied", {"Bashir"}, {"Amina", "Chloe", "Dawit"}),
        ("status=enrolled", {"Amina", "Chloe", "Dawit"}, {"Bashir"}),
        ("category={english}", {"Amina", "Bashir"}, {"Chloe", "Dawit"}),
        ("course={other_course}", {"Chloe", "Dawit"}, {"Amina", "Bashir"}),
        ("run={computers}", {"Chloe"}, {"Amina", "Bashir", "Dawit"}),
        ("term={next_year}-T4", {"Dawit"}, {"Amina", "Bashir", "Chloe"}),
        (
            "starts_from={next_year}-10-01&starts_to={next_year}-12-31",
            {"Dawit"},
            {"Amina", "Bashir", "Chloe"},
        ),
    ],
)
def test_filters_narrow_the_listing(client, cast, spread, query, shown, hidden):
    query = query.format(
        english=spread.english.pk,
        other_course=spread.other_course.pk,
        computers=spread.computers.pk,
        next_year=TODAY.year + 1,
    )
    client.force_login(cast.coordinator)
    response = client.get(f"{INDEX}?{query}")
    assert response.status_code == 200
    html = html_of(response)
    for name in shown:
        assert name in html, query
    for name in hidden:
        assert name not in html, query


def test_the_learner_link_filters_by_learner(client, cast, world):
    amina = LearnerFactory(preferred_name="Amina")
    enrol(amina, world.run)
    enrol(LearnerFactory(preferred_name="Bashir"), world.run)
    client.force_login(cast.coordinator)
    html = html_of(client.get(f"{INDEX}?learner={amina.pk}"))
    assert "Amina" in html and "Bashir" not in html


@pytest.mark.parametrize("query", ["6123 4567", "amina@", "Ami", "eng-a1-t1-b"])
def test_search_finds_by_name_phone_email_and_class(client, cast, world, query):
    amina = LearnerFactory(preferred_name="Amina", phone="61234567", email="amina@example.org")
    enrol(amina, world.sister)
    enrol(LearnerFactory(preferred_name="Bashir"), world.run)
    client.force_login(cast.coordinator)
    html = html_of(client.get(INDEX, {"q": query}))
    assert "Amina" in html and "Bashir" not in html


def test_a_run_filter_offers_that_runs_review_page(client, cast, world):
    client.force_login(cast.coordinator)
    html = html_of(client.get(f"{INDEX}?run={world.review.pk}"))
    assert f"/admin/enrolment/enrolments/review/{world.review.pk}/" in html


def test_the_export_neutralises_formulas(client, cast, world):
    enrol(LearnerFactory(preferred_name="=cmd|' /C calc'!A0", case_reference="CASE-X"), world.run)
    client.force_login(cast.coordinator)
    response = client.get(INDEX + "?export=xlsx")
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Learner", "Class", "Course", "Status")
    assert rows[1][0].startswith("'=")
    assert rows[1][1:4] == ("ENG-A1-T1", "English A1", "Enrolled")
    assert "CASE-X" not in " ".join(str(cell) for row in rows for cell in row)


def _listing_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_listing_query_count_does_not_grow_with_rows(client, cast, world):
    client.force_login(cast.coordinator)
    runs = [world.run, world.sister, world.review, world.computers]
    for i in range(3):
        enrol(LearnerFactory(), runs[i % 4])
    client.get(INDEX)  # warm caches (content types, site settings)
    at_3 = _listing_queries(client, INDEX)
    for i in range(27):
        enrol(LearnerFactory(), runs[i % 4])
    assert Enrolment.objects.count() == 30
    at_30 = _listing_queries(client, INDEX)
    assert at_30 == at_3
    assert _listing_queries(client, f"{INDEX}?status=waitlisted") <= at_3 + 1


# --- enrolling on someone's behalf ------------------------------------------------------------


def test_a_coordinator_enrols_a_learner_on_their_behalf(client, cast, world):
    learner = LearnerFactory(preferred_name="Amina")
    client.force_login(cast.coordinator)
    assert client.get(INDEX + "new/").status_code == 200
    response = client.post(INDEX + "new/", {"learner": learner.pk, "run": world.run.pk})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(learner=learner, run=world.run)
    assert enrolment.status == S.ENROLLED
    assert enrolment.events.get().by == cast.coordinator
    assert response["Location"] == f"{INDEX}inspect/{enrolment.pk}/"


def test_enrolling_on_behalf_shows_the_services_refusal_and_changes_nothing(client, cast, world):
    world.course.minimum_age = 18
    world.course.save()
    child = LearnerFactory(preferred_name="Yusuf", date_of_birth=TODAY.replace(year=TODAY.year - 9))
    client.force_login(cast.coordinator)
    response = client.post(INDEX + "new/", {"learner": child.pk, "run": world.run.pk})
    assert response.status_code == 200
    assert "This class is for people aged 18 or over." in html_of(response)
    assert not Enrolment.objects.exists()


def test_enrolling_someone_twice_is_refused(client, cast, world):
    learner = LearnerFactory()
    enrol(learner, world.run)
    client.force_login(cast.coordinator)
    response = client.post(INDEX + "new/", {"learner": learner.pk, "run": world.run.pk})
    assert response.status_code == 200
    assert "already enrolled" in html_of(response)
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor"])
def test_enrolling_on_behalf_is_refused_to_everyone_else(client, cast, world, who):
    learner = LearnerFactory()
    client.force_login(getattr(cast, who))
    response = client.post(INDEX + "new/", {"learner": learner.pk, "run": world.run.pk})
    assert response.status_code in (302, 403)
    assert not Enrolment.objects.exists()


# --- one enrolment: inspect and actions -------------------------------------------------------


def test_the_status_cannot_be_edited_through_a_form(client, cast, world):
    enrolment = enrol(LearnerFactory(), world.review)
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}edit/{enrolment.pk}/", {"status": "enrolled"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"/inspect/{enrolment.pk}/")
    enrolment.refresh_from_db()
    assert enrolment.status == S.APPLIED
    assert client.get(f"{INDEX}delete/{enrolment.pk}/").status_code == 404


def test_the_inspect_view_shows_the_status_history(client, cast, world):
    enrolment = enrol(LearnerFactory(preferred_name="Amina"), world.run, by=cast.coordinator)
    cast.coordinator.first_name, cast.coordinator.last_name = "Mei", "Chan"
    cast.coordinator.save()
    client.force_login(cast.coordinator)
    client.post(f"{INDEX}{enrolment.pk}/withdraw/", {"reason": "Found a job in Kwun Tong"})
    response = client.get(f"{INDEX}inspect/{enrolment.pk}/")
    assert response.status_code == 200
    html = html_of(response)
    assert "Status history" in html
    assert "Found a job in Kwun Tong" in html
    assert "Mei Chan" in html
    assert "Withdrawn" in html and "Enrolled" in html


def test_another_role_cannot_inspect_an_enrolment(client, cast, world):
    enrolment = enrol(LearnerFactory(), world.run)
    client.force_login(cast.teacher)
    response = client.get(f"{INDEX}inspect/{enrolment.pk}/")
    assert response.status_code in (302, 403, 404)


def test_approving_an_application(client, cast, world):
    enrolment = enrol(LearnerFactory(preferred_name="Amina"), world.review)
    client.force_login(cast.coordinator)
    assert client.get(f"{INDEX}{enrolment.pk}/approve/").status_code == 200
    response = client.post(f"{INDEX}{enrolment.pk}/approve/", follow=True)
    enrolment.refresh_from_db()
    assert enrolment.status == S.ENROLLED
    assert "Amina is enrolled in ENG-A1-REVIEW." in html_of(response)


def test_approving_twice_shows_the_services_message(client, cast, world):
    enrolment = enrol(LearnerFactory(), world.run)  # open run: already enrolled
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}{enrolment.pk}/approve/")
    assert response.status_code == 200
    assert "Only applications waiting for review can be approved." in html_of(response)


def test_declining_needs_a_reason(client, cast, world):
    enrolment = enrol(LearnerFactory(), world.review)
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}{enrolment.pk}/decline/", {"reason": ""})
    assert response.status_code == 200
    enrolment.refresh_from_db()
    assert enrolment.status == S.APPLIED

    client.post(f"{INDEX}{enrolment.pk}/decline/", {"reason": "Level too advanced"})
    enrolment.refresh_from_db()
    assert enrolment.status == S.DECLINED
    assert enrolment.events.last().reason == "Level too advanced"


def test_withdrawing_frees_the_seat_for_the_first_waiting(client, cast, world):
    seated = [enrol(LearnerFactory(), world.run) for _ in range(2)]
    first, second = enrol(LearnerFactory(), world.run), enrol(LearnerFactory(), world.run)
    client.force_login(cast.coordinator)
    response = client.post(f"{INDEX}{seated[0].pk}/withdraw/", {"reason": "Moved away"})
    assert response.status_code == 302
    for enrolment in (seated[0], first, second):
        enrolment.refresh_from_db()
    assert seated[0].status == S.WITHDRAWN
    assert (first.status, second.status) == (S.ENROLLED, S.WAITLISTED)


def test_moving_to_another_run_of_the_same_course(client, cast, world):
    enrolment = enrol(LearnerFactory(preferred_name="Amina"), world.run)
    client.force_login(cast.coordinator)
    page = html_of(client.get(f"{INDEX}{enrolment.pk}/move/"))
    assert "ENG-A1-T1-B" in page and "IT-1" not in page  # only the same course's runs

    response = client.post(f"{INDEX}{enrolment.pk}/move/", {"to_run": world.computers.pk})
    assert response.status_code == 200  # another course's run is not a choice
    response = client.post(f"{INDEX}{enrolment.pk}/move/", {"to_run": world.sister.pk})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == S.WITHDRAWN
    assert Enrolment.objects.get(run=world.sister).status == S.ENROLLED


@pytest.mark.parametrize("action", ["approve", "decline", "withdraw", "move"])
def test_actions_are_refused_to_a_teacher(client, cast, world, action):
    enrolment = enrol(LearnerFactory(), world.review)
    client.force_login(cast.teacher)
    response = client.post(f"{INDEX}{enrolment.pk}/{action}/", {"reason": "x"})
    assert response.status_code in (302, 403)
    enrolment.refresh_from_db()
    assert enrolment.status == S.APPLIED


# --- reviewing in bulk ------------------------------------------------------------------------


@pytest.fixture
def applications(world):
    world.review.capacity = 2
    world.review.save()
    return [enrol(LearnerFactory(preferred_name=f"Applicant {i}"), world.review) for i in range(3)]


def test_the_review_index_lists_runs_with_applications(client, cast, world, applications):
    client.force_login(cast.coordinator)
    html = html_of(client.get(INDEX + "review/"))
    assert "ENG-A1-REVIEW" in html and "ENG-A1-T1-B" not in html


def test_bulk_approval_fills_seats_in_order_then_the_waitlist(client, cast, world, applications):
    client.force_login(cast.coordinator)
    url = f"{INDEX}review/{world.review.pk}/"
    page = html_of(client.get(url))
    assert all(a.learner.preferred_name in page for a in applications)

    response = client.post(
        url, {"selected": [a.pk for a in applications], "action": "approve"}, follow=True
    )
    statuses = [Enrolment.objects.get(pk=a.pk).status for a in applications]
    assert statuses == [S.ENROLLED, S.ENROLLED, S.WAITLISTED]
    assert "3 applications approved: 2 enrolled, 1 on the waitlist" in html_of(response)


def test_bulk_decline_needs_a_reason_and_records_it(client, cast, world, applications):
    client.force_login(cast.coordinator)
    url = f"{INDEX}review/{world.review.pk}/"
    chosen = [applications[0].pk, applications[2].pk]
    response = client.post(url, {"selected": chosen, "action": "decline"})
    assert response.status_code == 200
    assert not Enrolment.objects.filter(status=S.DECLINED).exists()

    response = client.post(
        url, {"selected": chosen, "action": "decline", "reason": "Class is for women only"}
    )
    assert response.status_code == 302
    declined = Enrolment.objects.filter(status=S.DECLINED)
    assert sorted(declined.values_list("pk", flat=True)) == chosen
    assert {e.events.last().reason for e in declined} == {"Class is for women only"}
    assert Enrolment.objects.get(pk=applications[1].pk).status == S.APPLIED


def test_bulk_review_changes_nothing_when_one_selection_is_stale(client, cast, world, applications):
    applications[1].status = S.WITHDRAWN  # withdrawn by the learner meanwhile
    applications[1].save()
    client.force_login(cast.coordinator)
    response = client.post(
        f"{INDEX}review/{world.review.pk}/",
        {"selected": [a.pk for a in applications], "action": "approve"},
    )
    assert response.status_code == 200
    assert Enrolment.objects.filter(status=S.ENROLLED).count() == 0


def test_bulk_review_is_refused_to_a_sponsor(client, cast, world, applications):
    client.force_login(cast.sponsor)
    response = client.post(
        f"{INDEX}review/{world.review.pk}/",
        {"selected": [a.pk for a in applications], "action": "approve"},
    )
    assert response.status_code in (302, 403)
    assert Enrolment.objects.filter(status=S.APPLIED).count() == 3


# --- more seats -------------------------------------------------------------------------------


def _run_form(run, **changes):
    data = {
        "course": run.course_id,
        "code": run.code,
        "start_date": run.start_date.isoformat(),
        "end_date": run.end_date.isoformat(),
        "weekdays": list(run.weekdays),
        "start_time": run.start_time.strftime("%H:%M"),
        "end_time": run.end_time.strftime("%H:%M"),
        "venue": run.venue_id,
        "capacity": run.capacity,
        "enrolment_opens": "",
        "enrolment_closes": "",
        "mode": run.mode,
        "status": run.status,
        "min_attendance_percent": run.min_attendance_percent,
    }
    data.update(changes)
    return data


def test_raising_capacity_promotes_the_first_waiting(client, cast, world):
    for _ in range(2):
        enrol(LearnerFactory(), world.run)
    first, second = enrol(LearnerFactory(), world.run), enrol(LearnerFactory(), world.run)
    client.force_login(cast.coordinator)
    response = client.post(
        f"/admin/timetable/runs/edit/{world.run.pk}/",
        _run_form(world.run, capacity=3),
        follow=True,
    )
    assert response.status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.ENROLLED, S.WAITLISTED)
    assert first.events.last().by == cast.coordinator
    assert "1 person was promoted from the waitlist of ENG-A1-T1." in html_of(response)


def test_saving_a_run_without_new_seats_promotes_nobody(client, cast, world):
    for _ in range(3):
        enrol(LearnerFactory(), world.run)
    client.force_login(cast.coordinator)
    response = client.post(
        f"/admin/timetable/runs/edit/{world.run.pk}/", _run_form(world.run), follow=True
    )
    assert "promoted" not in html_of(response)
    assert Enrolment.objects.filter(status=S.WAITLISTED).count() == 1


# --- the import page --------------------------------------------------------------------------


def _xlsx(rows) -> io.BytesIO:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "enrolments.xlsx"
    return buffer


def test_the_import_page_and_its_template(client, cast, world):
    client.force_login(cast.coordinator)
    page = client.get(INDEX + "import/")
    assert page.status_code == 200
    assert "L123" in html_of(page)
    template = client.get(INDEX + "import/template.xlsx")
    assert template.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in workbook.worksheets[0][1]] == ["learner", "run"]


def test_importing_through_the_page(client, cast, world):
    amina = LearnerFactory(preferred_name="Amina", phone="91234567")
    client.force_login(cast.coordinator)
    response = client.post(
        INDEX + "import/", {"file": _xlsx([["learner", "run"], ["9123 4567", "ENG-A1-T1"]])}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(learner=amina).run == world.run

    again = client.post(
        INDEX + "import/", {"file": _xlsx([["learner", "run"], ["9123 4567", "ENG-A1-T1"]])}
    )
    assert again.status_code == 200
    assert "Row 2, column A (learner): Amina is already enrolled in ENG-A1-T1." in html_of(again)
    assert Enrolment.objects.count() == 1


def test_the_import_page_never_fails_on_junk(client, cast, world):
    client.force_login(cast.coordinator)
    junk = io.BytesIO(b"%PDF-1.4 not a spreadsheet")
    junk.name = "list.xlsx"
    response = client.post(INDEX + "import/", {"file": junk})
    assert response.status_code == 200
    assert "not an Excel spreadsheet" in html_of(response)


@pytest.mark.parametrize("who", ["learner", "teacher", "sponsor"])
def test_importing_is_refused_to_everyone_else(client, cast, world, who):
    LearnerFactory(phone="91234567")
    client.force_login(getattr(cast, who))
    response = client.post(
        INDEX + "import/", {"file": _xlsx([["learner", "run"], ["91234567", "ENG-A1-T1"]])}
    )
    assert response.status_code in (302, 403)
    assert not Enrolment.objects.exists()


def test_an_existing_enrolment_factory_row_shows_in_the_listing(client, cast, world):
    EnrolmentFactory(run=world.run, learner=LearnerFactory(preferred_name="Zara"))
    client.force_login(cast.coordinator)
    assert "Zara" in html_of(client.get(INDEX))
