import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enrolment.models import Attendance, AttendanceChange, AttendanceStatus
from enrolment.services.registers import Mark, register_enrolments, register_mark
from tests.conftest import html_of, messages_of
from tests.worlds.registers import at, days, seat

pytestmark = pytest.mark.django_db
A = AttendanceStatus


def url(session) -> str:
    return f"/teach/sessions/{session.pk}/"


def checked(html: str, enrolment) -> str | None:
    """The status whose radio button is selected for this learner."""
    match = re.search(rf'name="status-{enrolment.pk}" value="(\w+)" checked', html)
    return match.group(1) if match else None


def versions(session) -> dict[str, int]:
    """The versions the register page shows now, as its form sends them back."""
    return {
        f"version-{enrolment_id}": version
        for enrolment_id, version in Attendance.objects.filter(session=session).values_list(
            "enrolment_id", "version"
        )
    }


def everyone_present(english, session=None, **exceptions) -> dict[str, str]:
    """The register form of `session` (the past class) as freshly loaded, with exceptions."""
    data = {f"status-{e.pk}": A.PRESENT for e in english.enrolments}
    data |= versions(session or english.past)
    for name, (status, note) in exceptions.items():
        enrolment = getattr(english, name)
        data[f"status-{enrolment.pk}"] = status
        data[f"note-{enrolment.pk}"] = note
    return data


def saved() -> dict[str, tuple[str, str]]:
    return {
        a.enrolment.learner.preferred_name: (a.status, a.note)
        for a in Attendance.objects.select_related("enrolment__learner")
    }


# --- who may see it ---------------------------------------------------------------------------


def test_it_sends_a_visitor_to_sign_in(client, english):
    response = client.get(url(english.past))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("who", ["other_teacher", "learner", "sponsor"])
def test_it_is_a_404_for_anyone_but_the_classs_teachers_and_coordinators(
    client, cast, english, who
):
    client.force_login(getattr(cast, who))
    assert client.get(url(english.past)).status_code == 404
    response = client.post(url(english.past), everyone_present(english))
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_it_is_a_404_for_a_session_that_does_not_exist(client, cast, english):
    client.force_login(cast.teacher)
    assert client.get("/teach/sessions/999999/").status_code == 404


# --- taking the register ----------------------------------------------------------------------


def test_it_shows_the_learners_with_present_chosen_for_everyone(client, cast, english):
    (late_comer,) = seat(english.run, ["Zainab"], since=at(days(-1), 9))
    client.force_login(cast.teacher)

    response = client.get(url(english.past))

    html = html_of(response)
    assert response.status_code == 200
    assert "Register: <bdi>English A1</bdi>" in html
    assert "This register has not been taken yet." in html
    for enrolment in english.enrolments:
        assert checked(html, enrolment) == A.PRESENT
        name = enrolment.learner.list_name  # "Amina E. (L3)": two Aminas are two people
        # The name isolated, so that a Latin name reads right on an Arabic page.
        assert f"<legend><bdi>{name}</bdi>" in html
        label = f'<label for="note-{enrolment.pk}">Note for <bdi>{name}</bdi> (optional)</label>'
        assert label in html
    assert html.count('type="radio"') == 4 * 3
    assert "Amina Example" not in html  # preferred names only, never the legal name
    assert "Zainab" not in html  # enrolled after the class
    assert f"status-{late_comer.pk}" not in html


def test_it_saves_the_exceptions_and_shows_them_saved(client, cast, english):
    client.force_login(cast.teacher)
    data = everyone_present(english, amina=(A.ABSENT, "Sick"), bilal=(A.LATE, ""))

    response = client.post(url(english.past), data, follow=True)

    assert response.redirect_chain == [(url(english.past), 302)]
    assert messages_of(response) == ["Register saved: 3 marked, 0 changed."]
    assert saved() == {
        "Amina": (A.ABSENT, "Sick"),
        "Bilal": (A.LATE, ""),
        "Chloe": (A.PRESENT, ""),
    }
    assert {a.marked_by for a in Attendance.objects.all()} == {cast.teacher}
    html = html_of(response)
    assert checked(html, english.amina) == A.ABSENT
    assert checked(html, english.bilal) == A.LATE
    assert checked(html, english.chloe) == A.PRESENT
    assert 'value="Sick"' in html
    assert "3 of 3 learners marked" in html
    assert "by Grace Ho" in html
    # Present, late and present count; the absence does not: 2 of 3 for the class.
    assert "Attendance in this class so far: 67%" in html


def test_saving_twice_changes_nothing(client, cast, english):
    client.force_login(cast.teacher)
    data = everyone_present(english, amina=(A.ABSENT, "Sick"))
    client.post(url(english.past), data, follow=True)
    before = list(Attendance.objects.values_list("pk", "status", "note", "marked_at"))

    response = client.post(url(english.past), data, follow=True)

    assert messages_of(response) == ["Register saved: 3 marked, 0 changed."]
    assert list(Attendance.objects.values_list("pk", "status", "note", "marked_at")) == before
    assert not AttendanceChange.objects.exists()


def test_a_later_change_is_kept_in_the_history_a_coordinator_sees(client, cast, english):
    client.force_login(cast.teacher)
    client.post(url(english.past), everyone_present(english, amina=(A.ABSENT, "")), follow=True)
    client.force_login(cast.coordinator)

    response = client.post(
        url(english.past), everyone_present(english, amina=(A.LATE, "Bus")), follow=True
    )

    assert messages_of(response) == ["Register saved: 3 marked, 1 changed."]
    change = AttendanceChange.objects.get()
    assert (change.from_status, change.to_status, change.by) == (A.ABSENT, A.LATE, cast.coordinator)
    html = html_of(response)
    assert "Changes after the first marking" in html
    assert "changed <bdi>Amina</bdi> from Absent to Late" in html
    assert "changed later" in html

    client.force_login(cast.teacher)
    html = html_of(client.get(url(english.past)))
    assert "changed later" in html  # the teacher sees that it changed
    assert "Changes after the first marking" not in html  # the history is for coordinators


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"status-999999": A.PRESENT}, "Learner 999999 is not on this register."),
        ({"status-abc": A.PRESENT}, "Learner abc is not on this register."),
        ({"status-AMINA": A.ABSENT}, "is not a register mark"),
    ],
    ids=["forged-id", "not-a-number", "bad-status"],
)
def test_a_forged_or_bad_mark_saves_nothing(client, cast, english, extra, message):
    client.force_login(cast.teacher)
    data = everyone_present(english, bilal=(A.LATE, "traffic"))
    if "status-AMINA" in extra:
        extra = {f"status-{english.amina.pk}": "asleep"}
    data.update(extra)

    response = client.post(url(english.past), data)

    html = html_of(response)
    assert response.status_code == 200
    assert message in html
    assert "Nothing was saved." in html
    assert not Attendance.objects.exists()
    assert checked(html, english.bilal) == A.LATE  # what was sent is still there to fix
    assert 'value="traffic"' in html


def test_a_learner_who_enrolled_after_the_class_cannot_be_marked(client, cast, english):
    (late_comer,) = seat(english.run, ["Zainab"], since=at(days(-1), 9))
    client.force_login(cast.teacher)
    data = everyone_present(english) | {f"status-{late_comer.pk}": A.PRESENT}
    response = client.post(url(english.past), data)
    assert f"Learner {late_comer.pk} is not on this register." in html_of(response)
    assert not Attendance.objects.exists()


def test_an_empty_post_saves_nothing(client, cast, english):
    client.force_login(cast.teacher)
    response = client.post(url(english.past), {})
    assert "The form had no marks in it." in html_of(response)
    assert not Attendance.objects.exists()


def test_a_teacher_cannot_take_a_register_before_the_class(client, cast, english):
    client.force_login(cast.teacher)

    page = html_of(client.get(url(english.future)))
    response = client.post(url(english.future), everyone_present(english))

    assert "You can take the register once the class has started." in page
    assert "<form" not in page.split("<main", 1)[1].split("</main>")[0]
    assert "Amina" in page  # the list, read-only
    assert "Nothing was saved." in html_of(response)
    assert not Attendance.objects.exists()


def test_a_coordinator_may_mark_any_class_at_any_time(client, cast, english):
    client.force_login(cast.coordinator)
    response = client.post(url(english.future), everyone_present(english), follow=True)
    assert messages_of(response) == ["Register saved: 3 marked, 0 changed."]
    assert Attendance.objects.count() == 3


def test_a_cancelled_class_has_no_register(client, cast, english):
    client.force_login(cast.teacher)
    page = client.get(url(english.cancelled))
    html = html_of(page)
    assert "This session was cancelled; there is no register to take." in html
    assert "Typhoon signal 8" in html
    assert 'type="radio"' not in html

    response = client.post(url(english.cancelled), everyone_present(english))
    assert "Nothing was saved." in html_of(response)
    assert not Attendance.objects.exists()


def test_a_session_with_nobody_on_its_register(client, cast, english):
    english.run.enrolments.update(enrolled_at=at(days(30), 9))
    client.force_login(cast.teacher)
    html = html_of(client.get(url(english.past)))
    assert "No learners held a seat in this class at the time of this session." in html


def test_a_saved_register_shows_who_marked_it(client, cast, english):
    register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.ABSENT), english.bilal.pk: Mark(A.PRESENT)},
        by=cast.teacher,
    )
    client.force_login(cast.coordinator)
    html = html_of(client.get(url(english.past)))
    assert "2 of 3 learners marked" in html
    assert "by Grace Ho" in html
    assert checked(html, english.amina) == A.ABSENT
    assert checked(html, english.chloe) == A.PRESENT  # unmarked: present is the starting point
    assert "Change only what is wrong, then save." in html


# --- cost ---------------------------------------------------------------------------------------


def test_the_page_and_the_save_cost_the_same_queries_for_10_or_40_learners(client, cast, english):
    def cost(n: int, session) -> tuple[int, int, int, int]:
        seat(english.run, [f"Learner {n}-{i:02d}" for i in range(n - len(current()))])
        enrolments = list(register_enrolments(session=session))
        assert len(enrolments) == n
        client.force_login(cast.teacher)
        client.get("/teach/")  # first-request caches (site, settings) out of the way
        with CaptureQueriesContext(connection) as page:
            assert client.get(url(session)).status_code == 200
        marks = {f"status-{e.pk}": A.ABSENT for e in enrolments}
        with CaptureQueriesContext(connection) as first_save:
            assert client.post(url(session), marks).status_code == 302
        changed = dict.fromkeys(marks, A.LATE) | {f"note-{e.pk}": "x" for e in enrolments}
        changed |= versions(session)
        with CaptureQueriesContext(connection) as second_save:
            assert client.post(url(session), changed).status_code == 302
        assert Attendance.objects.filter(session=session, status=A.LATE).count() == n
        client.force_login(cast.coordinator)  # sees every mark and its history
        client.get("/teach/")
        with CaptureQueriesContext(connection) as marked_page:
            assert client.get(url(session)).status_code == 200
        assert AttendanceChange.objects.filter(attendance__session=session).count() == n
        return len(page), len(first_save), len(second_save), len(marked_page)

    def current():
        return list(english.run.enrolments.all())

    ten = cost(10, english.earlier)
    forty = cost(40, english.past)
    assert ten == forty
