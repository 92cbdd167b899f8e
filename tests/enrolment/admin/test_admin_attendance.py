"""The coordinators' attendance pages: at risk, and registers not taken."""

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.choices import RunStatus, SessionStatus
from enrolment.models import AttendanceStatus, EnrolmentStatus
from enrolment.services.registers import Mark, register_mark
from tests.conftest import html_of
from tests.dates import local_today
from tests.exports import xlsx_formulas
from tests.factories import (
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    SessionFactory,
    years_ago,
)

pytestmark = pytest.mark.django_db
A = AttendanceStatus


AT_RISK = "/admin/enrolment/at-risk/"
NOT_TAKEN = "/admin/enrolment/registers-not-taken/"
SEATED_AT = timezone.now() - dt.timedelta(days=120)


def day(n: int) -> dt.date:
    return local_today() + dt.timedelta(days=n)


def under_way_run(course, teachers, **kwargs):
    return CourseRunFactory(
        course=course,
        teachers=teachers,
        start_date=day(-30),
        end_date=day(30),
        capacity=100,
        **kwargs,
    )


def seat(run, name, **learner):
    learner = LearnerFactory(preferred_name=name, **learner)
    return EnrolmentFactory(
        learner=learner, run=run, status=EnrolmentStatus.ENROLLED, enrolled_at=SEATED_AT
    )


def sessions(run, days_ago):
    return [SessionFactory(run=run, date=day(-n)) for n in days_ago]


def mark(session, statuses, by):
    register_mark(
        session=session,
        marks={enrolment.pk: Mark(status) for enrolment, status in statuses.items()},
        by=by,
    )


@pytest.fixture
def world(site, cast):
    """English: Amina comes, Bashir missed the last three, Chloe comes one time in two. A
    computing class under way, and a finished class whose learner stopped coming."""
    english = CoursePageFactory(title="English A1", parent=site.catalogue)
    computing = CoursePageFactory(title="Computers for beginners", parent=site.catalogue)
    run = under_way_run(english, [cast.teacher], code="ENG-A1")
    amina = seat(run, "Amina", phone="+85291230001")
    bashir = seat(run, "Bashir", phone="+85291230002")
    chloe = seat(run, "Chloe", guardian_phone="+85261234567", guardian_relationship="Mother")
    held = sessions(run, [12, 10, 8, 6, 4])
    pattern = {
        amina: [A.PRESENT, A.LATE, A.PRESENT, A.PRESENT, A.EXCUSED],
        bashir: [A.PRESENT, A.PRESENT, A.ABSENT, A.ABSENT, A.ABSENT],
        chloe: [A.ABSENT, A.PRESENT, A.ABSENT, A.PRESENT, A.PRESENT],
    }
    for i, session in enumerate(held):
        mark(session, {e: statuses[i] for e, statuses in pattern.items()}, cast.teacher)
    untaken = SessionFactory(run=run, date=day(-2))
    SessionFactory(run=run, date=day(2))  # not yet held
    cancelled = SessionFactory(run=run, date=day(-1), status=SessionStatus.CANCELLED)

    it = under_way_run(computing, [cast.other_teacher], code="IT-1")
    dawit = seat(it, "Dawit")
    (it_session,) = sessions(it, [3])
    mark(it_session, {dawit: A.ABSENT}, cast.other_teacher)
    it_untaken = SessionFactory(run=it, date=day(-1))

    finished = CourseRunFactory(
        course=english, code="ENG-OLD", start_date=day(-90), end_date=day(-31)
    )
    esther = seat(finished, "Esther")
    for session in sessions(finished, [80, 70, 60]):
        mark(session, {esther: A.ABSENT}, cast.coordinator)
    return SimpleNamespace(
        english=english,
        computing=computing,
        run=run,
        it=it,
        finished=finished,
        untaken=untaken,
        cancelled=cancelled,
        it_untaken=it_untaken,
    )


def sheet_rows(response) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


# --- at risk ----------------------------------------------------------------------------------


def test_at_risk_lists_learners_below_the_minimum_or_absent_in_a_row(client, cast, world):
    client.force_login(cast.coordinator)

    response = client.get(AT_RISK)

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.enrolment.learner.preferred_name for r in rows] == ["Bashir", "Chloe", "Dawit"]
    bashir, chloe, _dawit = rows
    assert (bashir.summary.percent, bashir.summary.absences_in_a_row) == (40, 3)
    assert bashir.last_attended == day(-10)
    assert (chloe.summary.percent, chloe.summary.absences_in_a_row) == (60, 0)
    html = html_of(response)
    assert "+85291230002" in html and "ENG-A1" in html and "English A1" in html
    assert "60%" in html and "(3 of 5; minimum 80%)" in html
    # No phone of her own: call the parent or guardian, named with their relationship.
    assert '(Mother): <a href="tel:+85261234567">' in html
    # Amina came (an excused absence does not count against her); Esther's class is over.
    assert "Amina" not in html and "Esther" not in html


def test_at_risk_shows_whom_to_call_for_a_child_the_guardian(client, cast, world):
    """ "Call them" for a child of twelve means calling her father, even if she has a phone."""
    chloe = world.run.enrolments.get(learner__preferred_name="Chloe").learner
    chloe.date_of_birth = years_ago(12)
    chloe.phone = "+85291239999"
    chloe.guardian_name = "Bilal Qureshi"
    chloe.guardian_relationship = "Father"
    chloe.guardian_phone = "+85261234567"
    chloe.save()
    bashir = world.run.enrolments.get(learner__preferred_name="Bashir").learner
    bashir.phone = ""
    bashir.save()
    client.force_login(cast.coordinator)

    html = html_of(client.get(f"{AT_RISK}?run={world.run.pk}"))

    assert '<bdi>Bilal Qureshi</bdi> (Father): <a href="tel:+85261234567">' in html
    assert "+85291239999" not in html
    assert "no phone on file" in html  # Bashir: an adult with no number at all
    heading, *rows = sheet_rows(client.get(f"{AT_RISK}?run={world.run.pk}&export=xlsx"))
    assert rows[1][1:5] == ("+85291239999", "Bilal Qureshi", "Father", "+85261234567")


@pytest.mark.parametrize("who", ["learner", "teacher", "other_teacher", "sponsor", "anonymous"])
@pytest.mark.parametrize("url", [AT_RISK, NOT_TAKEN, AT_RISK + "?export=xlsx"])
def test_the_attendance_pages_are_refused_to_everyone_but_coordinators(
    client, cast, world, who, url
):
    if who != "anonymous":
        client.force_login(getattr(cast, who))
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert b"Bashir" not in response.content and b"ENG-A1" not in response.content


def test_the_enrolment_menu_offers_the_pages_to_coordinators(client, cast, world):
    client.force_login(cast.coordinator)
    html = html_of(client.get("/admin/"))
    assert AT_RISK in html and NOT_TAKEN in html


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("run={run}", ["Bashir", "Chloe"]),
        ("course={computing}", ["Dawit"]),
        ("run={finished}", ["Esther"]),  # a finished class, looked up on purpose
        ("run={run}&course={computing}", []),
    ],
)
def test_at_risk_narrows_by_class_and_course(client, cast, world, query, shown):
    client.force_login(cast.coordinator)
    query = query.format(run=world.run.pk, finished=world.finished.pk, computing=world.computing.pk)

    response = client.get(f"{AT_RISK}?{query}")

    assert [r.enrolment.learner.preferred_name for r in response.context["rows"]] == shown


def test_an_unknown_class_in_the_filter_shows_nothing_and_says_so(client, cast, world):
    client.force_login(cast.coordinator)
    response = client.get(f"{AT_RISK}?run=999999")
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Select a valid choice" in html_of(response)


def test_at_risk_downloads_as_xlsx_with_the_filters_and_no_formulas(client, cast, world):
    bashir = world.run.enrolments.get(learner__preferred_name="Bashir").learner
    bashir.preferred_name = '=HYPERLINK("http://evil.example","Bashir")'
    bashir.save()
    client.force_login(cast.coordinator)

    response = client.get(f"{AT_RISK}?run={world.run.pk}&export=xlsx")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    heading, *rows = sheet_rows(response)
    assert heading[:7] == (
        "Learner",
        "Phone",
        "Parent or guardian",
        "Relationship to the child",
        "Guardian's phone",
        "Class",
        "Course",
    )
    names = [row[0].rsplit(" (L", 1)[0] for row in rows]
    assert names == ['=HYPERLINK("http://evil.example","Bashir") E.', "Chloe E."]
    assert xlsx_formulas(response.content) == []
    chloe = rows[1]
    assert chloe[5:8] == ("ENG-A1", "English A1", 0.6)
    assert chloe[-1].date() == day(-4)  # last attended


def test_at_risk_costs_the_same_queries_for_3_or_30_rows(client, cast, site):
    course = CoursePageFactory(title="English A2", parent=site.catalogue)
    client.force_login(cast.coordinator)

    def add(n):
        run = under_way_run(course, [cast.teacher])
        enrolments = [seat(run, f"Learner {i}") for i in range(n)]
        for session in sessions(run, [9, 7, 5]):
            mark(session, dict.fromkeys(enrolments, A.ABSENT), cast.teacher)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(AT_RISK)
        return len(response.context["rows"]), len(queries)

    add(3)
    client.get(AT_RISK)  # warm the caches
    few_rows, few = count()
    add(27)
    many_rows, many = count()
    export_few = None
    with CaptureQueriesContext(connection) as export:
        client.get(AT_RISK + "?export=xlsx")
    export_few = len(export)

    assert (few_rows, many_rows) == (3, 30)
    assert many == few
    assert export_few <= few


# --- registers not taken ----------------------------------------------------------------------


def test_registers_not_taken_lists_started_unmarked_sessions(client, cast, world):
    client.force_login(cast.coordinator)

    response = client.get(NOT_TAKEN)

    assert response.status_code == 200
    assert list(response.context["rows"]) == [world.untaken, world.it_untaken]
    html = html_of(response)
    assert "Grace Ho" in html  # the teacher, to remind
    assert "ENG-A1" in html and "IT-1" in html
    assert f'href="/teach/sessions/{world.untaken.pk}/"' in html  # a coordinator may take it
    # Not the cancelled one, nor those marked, nor those to come.
    assert world.cancelled not in response.context["rows"]


def test_registers_not_taken_narrows_by_class_and_course(client, cast, world):
    client.force_login(cast.coordinator)
    by_run = client.get(f"{NOT_TAKEN}?run={world.it.pk}").context["rows"]
    by_course = client.get(f"{NOT_TAKEN}?course={world.english.pk}").context["rows"]
    assert list(by_run) == [world.it_untaken]
    assert list(by_course) == [world.untaken]


def test_registers_not_taken_leave_out_unpublished_and_finished_classes(client, cast, world):
    world.it.status = RunStatus.CANCELLED
    world.it.save()
    SessionFactory(run=world.finished, date=day(-40))
    client.force_login(cast.coordinator)
    assert list(client.get(NOT_TAKEN).context["rows"]) == [world.untaken]


def test_a_class_with_nobody_in_it_has_no_register_to_take(client, cast, world):
    empty = under_way_run(world.english, [cast.teacher], code="ENG-EMPTY")
    SessionFactory(run=empty, date=day(-3))
    newcomer = under_way_run(world.english, [cast.teacher], code="ENG-NEW")
    SessionFactory(run=newcomer, date=day(-3))  # before the only learner came
    latest = SessionFactory(run=newcomer, date=day(-1))
    EnrolmentFactory(
        run=newcomer,
        status=EnrolmentStatus.ENROLLED,
        enrolled_at=timezone.make_aware(dt.datetime.combine(day(-2), dt.time(10))),
    )
    client.force_login(cast.coordinator)

    rows = client.get(f"{NOT_TAKEN}?course={world.english.pk}").context["rows"]

    assert list(rows) == [world.untaken, latest]


def test_registers_not_taken_download_as_xlsx(client, cast, world):
    client.force_login(cast.coordinator)

    response = client.get(NOT_TAKEN + "?export=xlsx")

    heading, *rows = sheet_rows(response)
    assert heading == ("Date", "Starts", "Ends", "Class", "Course", "Teachers", "Venue")
    assert [row[3] for row in rows] == ["ENG-A1", "IT-1"]
    assert rows[0][0].date() == world.untaken.date
    assert rows[0][1:3] == ("18:30", "20:30")
    assert rows[0][5] == "Grace Ho"


def test_registers_not_taken_cost_the_same_queries_for_3_or_30_rows(client, cast, site):
    course = CoursePageFactory(title="Photography", parent=site.catalogue)
    client.force_login(cast.coordinator)

    def add(n):
        for i in range(n):
            run = under_way_run(course, [cast.teacher, cast.other_teacher])
            seat(run, f"Learner {i}")
            SessionFactory(run=run, date=day(-1 - i % 20))

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(NOT_TAKEN)
        return len(response.context["rows"]), len(queries)

    add(3)
    client.get(NOT_TAKEN)
    few_rows, few = count()
    add(27)
    many_rows, many = count()

    assert (few_rows, many_rows) == (3, 30)
    assert many == few


def test_at_risk_shows_50_a_page_and_downloads_them_all(client, cast, site):
    course = CoursePageFactory(title="English B1", parent=site.catalogue)
    run = under_way_run(course, [cast.teacher], code="ENG-B1")
    enrolments = [seat(run, f"Learner {i:02d}") for i in range(53)]
    for session in sessions(run, [9, 7, 5]):
        mark(session, dict.fromkeys(enrolments, A.ABSENT), cast.teacher)
    client.force_login(cast.coordinator)

    first, second = client.get(AT_RISK), client.get(AT_RISK + "?p=2")

    assert len(first.context["rows"]) == 50
    assert [r.enrolment.learner.preferred_name for r in second.context["rows"]] == [
        "Learner 50",
        "Learner 51",
        "Learner 52",
    ]
    assert "53 learners at risk" in html_of(first)
    _heading, *rows = sheet_rows(client.get(AT_RISK + "?export=xlsx"))
    assert len(rows) == 53


def test_the_class_filter_offers_recent_classes_and_still_takes_an_old_one(client, cast, world):
    old = CourseRunFactory(
        course=world.english, code="ENG-2019", start_date=day(-2000), end_date=day(-1900)
    )
    client.force_login(cast.coordinator)

    offered = client.get(AT_RISK).context["form"].fields["run"].choices
    by_link = client.get(f"{AT_RISK}?run={old.pk}")

    assert old.pk not in [value.value for value, _label in offered if value]
    assert world.finished.pk in [value.value for value, _label in offered if value]
    assert by_link.context["form"].is_valid()
    assert "ENG-2019" in html_of(by_link)  # shown as the chosen class
