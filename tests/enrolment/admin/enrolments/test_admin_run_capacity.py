"""More seats: saving a run with a larger capacity seats the first waiting."""

import pytest

from enrolment.models import Enrolment, EnrolmentStatus
from tests.conftest import html_of
from tests.enrolment.admin.enrolments.conftest import enrol
from tests.factories import LearnerFactory

pytestmark = pytest.mark.django_db
S = EnrolmentStatus


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
        "offer_hold_hours": run.offer_hold_hours,
        "absence_alert_after": run.absence_alert_after,
        "transport_per_session": run.transport_per_session,
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
    assert (first.status, second.status) == (S.OFFERED, S.WAITLISTED)
    assert first.events.last().by == cast.coordinator
    assert "1 person on the waitlist of ENG-A1-T1 was offered a seat." in html_of(response)


def test_saving_a_run_without_new_seats_promotes_nobody(client, cast, world):
    for _ in range(3):
        enrol(LearnerFactory(), world.run)
    client.force_login(cast.coordinator)
    response = client.post(
        f"/admin/timetable/runs/edit/{world.run.pk}/", _run_form(world.run), follow=True
    )
    assert "promoted" not in html_of(response)
    assert Enrolment.objects.filter(status=S.WAITLISTED).count() == 1
