"""A register page left open while a colleague marks the same class: saving it keeps the
colleague's newer marks, says which, and shows the register as it now stands."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.formats import date_format

from enrolment.models import Attendance, AttendanceStatus
from enrolment.services.registers import Mark, register_mark
from tests.conftest import html_of, messages_of

pytestmark = pytest.mark.django_db
A = AttendanceStatus


def url(session) -> str:
    return f"/teach/sessions/{session.pk}/"


def checked(html: str, enrolment) -> str | None:
    match = re.search(rf'name="status-{enrolment.pk}" value="(\w+)" checked', html)
    return match.group(1) if match else None


def form_of(html: str) -> dict[str, str]:
    """What the register form sends as loaded: each radio checked, each note, each version."""
    data = dict(re.findall(r'name="(status-\d+)" value="(\w+)" checked', html))
    data |= dict(re.findall(r'name="(note-\d+)" value="([^"]*)"', html))
    data |= dict(re.findall(r'name="(version-\d+)" value="(\d+)"', html))
    return data


@pytest.fixture
def lee(cast):
    cast.coordinator.first_name, cast.coordinator.last_name = "Mei", "Lee"
    cast.coordinator.save()
    return cast.coordinator


def test_an_old_copy_of_the_register_keeps_a_colleagues_newer_mark(client, cast, english, lee):
    client.force_login(cast.teacher)
    client.post(url(english.past), form_of(html_of(client.get(url(english.past)))))
    old_copy = form_of(html_of(client.get(url(english.past))))  # everyone present, saved
    # Meanwhile the coordinator hears from Amina's family.
    client.force_login(lee)
    page = form_of(html_of(client.get(url(english.past))))
    page[f"status-{english.amina.pk}"] = A.ABSENT
    page[f"note-{english.amina.pk}"] = "sick - called family"
    client.post(url(english.past), page, follow=True)

    # The teacher saves the old copy, with Bilal now late.
    client.force_login(cast.teacher)
    old_copy[f"status-{english.bilal.pk}"] = A.LATE
    response = client.post(url(english.past), old_copy, follow=True)

    amina = Attendance.objects.get(enrolment=english.amina)
    assert (amina.status, amina.note, amina.marked_by) == (A.ABSENT, "sick - called family", lee)
    assert Attendance.objects.get(enrolment=english.bilal).status == A.LATE
    time = date_format(timezone.localtime(amina.marked_at), "H:i")
    assert messages_of(response) == [
        "Register saved: 1 mark changed.",
        "Someone changed 1 mark after you opened this register. Theirs is newer, so it was kept:",
        f"Amina: kept Absent (sick - called family), changed by Mei Lee at {time}.",
    ]
    html = html_of(response)
    assert checked(html, english.amina) == A.ABSENT  # the form shows the register as it is
    assert checked(html, english.bilal) == A.LATE
    assert 'value="sick - called family"' in html


def test_an_old_copy_saved_twice_still_keeps_the_newer_mark(client, cast, english, lee):
    """A refused save shows the form again with what was sent: the versions it carries are
    still those of the old copy."""
    client.force_login(cast.teacher)
    client.post(url(english.past), form_of(html_of(client.get(url(english.past)))))
    old_copy = form_of(html_of(client.get(url(english.past))))
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.ABSENT, seen=1)}, by=lee)
    refused = old_copy | {f"status-{english.chloe.pk}": "asleep"}
    again = form_of(html_of(client.post(url(english.past), refused)))
    again[f"status-{english.chloe.pk}"] = A.LATE

    response = client.post(url(english.past), again, follow=True)

    assert Attendance.objects.get(enrolment=english.amina).status == A.ABSENT
    assert Attendance.objects.get(enrolment=english.chloe).status == A.LATE
    assert any(message.startswith("Amina: kept Absent") for message in messages_of(response))


@pytest.mark.parametrize("version", [None, "", "abc", "١", "99999999999999999999"])
def test_a_form_without_a_readable_version_cannot_overwrite_a_saved_mark(
    client, cast, english, version
):
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.ABSENT)}, by=cast.teacher)
    client.force_login(cast.teacher)
    data = {f"status-{e.pk}": A.PRESENT for e in english.enrolments}
    if version is not None:
        data[f"version-{english.amina.pk}"] = version

    response = client.post(url(english.past), data, follow=True)

    assert response.status_code == 200
    assert Attendance.objects.get(enrolment=english.amina).status == A.ABSENT
    assert Attendance.objects.filter(session=english.past, status=A.PRESENT).count() == 2
    assert any(message.startswith("Amina: kept Absent") for message in messages_of(response))


def test_an_upload_says_which_newer_marks_it_kept(client, cast, english, lee):
    register_mark(session=english.past, marks={english.amina.pk: Mark(A.PRESENT)}, by=lee)
    client.force_login(cast.teacher)
    sheet = client.get(f"/teach/runs/{english.run.pk}/register.xlsx").content
    register_mark(
        session=english.past,
        marks={english.amina.pk: Mark(A.ABSENT, "sick - called family", seen=1)},
        by=lee,
    )
    workbook = openpyxl.load_workbook(io.BytesIO(sheet))
    workbook["Register"]["D3"] = "L"  # Bilal late; Amina's cell still says P
    output = io.BytesIO()
    workbook.save(output)
    upload = SimpleUploadedFile("register.xlsx", output.getvalue())

    response = client.post(
        f"/teach/runs/{english.run.pk}/register/upload/", {"file": upload}, follow=True
    )

    amina = Attendance.objects.get(enrolment=english.amina)
    time = date_format(timezone.localtime(amina.marked_at), "H:i")
    assert (amina.status, Attendance.objects.get(enrolment=english.bilal).status) == (
        A.ABSENT,
        A.LATE,
    )
    assert messages_of(response) == [
        "Register uploaded: 2 marks read, 1 new, 0 changed.",
        "1 mark was saved on the website after this register was downloaded. "
        "It is newer than the sheet, so it was kept:",
        f"Amina: kept Absent (sick - called family), changed by Mei Lee at {time}.",
    ]
