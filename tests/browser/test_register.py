"""A teacher takes a register on a cheap phone: two exceptions, everyone else present."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import expect

from cms.management.demo import DEMO_PASSWORD, TEACHERS
from courses.choices import RunStatus, SessionStatus
from courses.models import CourseRun
from enrolment.models import Attendance, AttendanceStatus, EnrolmentStatus
from enrolment.services.registers import Mark, register_enrolments, register_mark
from tests.browser.test_enrolment import assert_no_horizontal_scroll, sign_in

pytestmark = pytest.mark.browser


def a_class_to_take(today: dt.date):
    """A demo teacher's class whose latest past session has learners on its register.

    The demo's enrolments are made through the real service; their seat times are set back
    to before the term here too, so the test does not depend on how the demo dates them.
    The session's marks, if the demo made any, are cleared: the teacher takes it afresh.
    """
    usernames = [username for username, _first, _last in TEACHERS]
    runs = (
        CourseRun.objects.filter(
            teachers__username__in=usernames,
            status=RunStatus.PUBLISHED,
            start_date__lt=today,
            end_date__gte=today,
        )
        .select_related("course")
        .order_by("code")
    )
    for run in runs:
        enrolled = run.enrolments.filter(status=EnrolmentStatus.ENROLLED)
        session = (
            run.sessions.filter(status=SessionStatus.SCHEDULED, date__lt=today)
            .order_by("-date", "-start_time")
            .first()
        )
        if session is None or enrolled.count() < 3:
            continue
        before_term = timezone.make_aware(
            dt.datetime.combine(run.start_date - dt.timedelta(days=7), dt.time(9))
        )
        enrolled.filter(enrolled_at__gt=before_term).update(enrolled_at=before_term)
        Attendance.objects.filter(session=session).delete()
        learners = list(register_enrolments(session=session))
        teacher = run.teachers.get(username__in=usernames)
        return teacher, run, session, learners
    pytest.fail("the demo has no class with a past session and three learners")


def test_a_teacher_marks_a_register_on_a_phone_with_two_exceptions(page, screenshot):
    today = timezone.localdate()
    teacher, run, session, learners = a_class_to_take(today)
    absent, late = learners[0], learners[1]
    absent_name = absent.learner.list_name  # "Yusuf A. (L12)": the register tells people apart

    page.goto("/")
    sign_in(page, teacher.username, DEMO_PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Teach").click()
    expect(page).to_have_url(re.compile(r"/teach/$"))
    expect(page.get_by_role("heading", level=1, name="Teach")).to_be_visible()
    expect(page.get_by_text(f"Hello, {teacher.first_name}.")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("teach")

    # The class's register is waiting under "Registers still to take" (or today's classes).
    link = page.locator(f'a[href="/teach/sessions/{session.pk}/"]').first
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(rf"/teach/sessions/{session.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Register: {run.course.title}")
    expect(page.get_by_text("This register has not been taken yet.")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("register", full_page=False)

    # Everyone starts as present; the teacher touches only the two exceptions.
    for enrolment in learners:
        card = page.locator(f"#learner-{enrolment.pk}")
        expect(card.get_by_label("Present", exact=True)).to_be_checked()
    first = page.get_by_role("group", name=re.compile(rf"^{re.escape(absent_name)}(?!\w)"))
    first = first.filter(has=page.locator(f"#note-{absent.pk}"))
    first.get_by_label("Absent", exact=True).check()
    first.get_by_text("Note", exact=True).click()  # opens the note
    first.get_by_label(f"Note for {absent_name} (optional)").fill("Phoned: sick today")
    second = page.locator(f"#learner-{late.pk}")
    second.get_by_label("Late", exact=True).check()
    first.scroll_into_view_if_needed()
    assert_no_horizontal_scroll(page)
    screenshot("register-exceptions", full_page=False)

    page.get_by_role("button", name="Save register").click()
    expect(page).to_have_url(re.compile(rf"/teach/sessions/{session.pk}/$"))
    expect(page.get_by_role("status").first).to_contain_text(
        f"Register saved: {len(learners)} learners marked."
    )
    summary = f"{len(learners)} of {len(learners)} learners marked"
    expect(page.get_by_text(summary)).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("register-saved", full_page=False)

    page.reload()
    expect(page.locator(f"#learner-{absent.pk}").get_by_label("Absent", exact=True)).to_be_checked()
    expect(page.locator(f"#note-{absent.pk}")).to_have_value("Phoned: sick today")
    expect(page.locator(f"#learner-{late.pk}").get_by_label("Late", exact=True)).to_be_checked()
    for enrolment in learners[2:]:
        card = page.locator(f"#learner-{enrolment.pk}")
        expect(card.get_by_label("Present", exact=True)).to_be_checked()
    expect(page.get_by_text(f"by {teacher.get_full_name()}")).to_be_visible()
    page.locator(f"#learner-{late.pk}").scroll_into_view_if_needed()
    screenshot("register-reloaded", full_page=False)

    saved = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert saved[absent.pk] == AttendanceStatus.ABSENT
    assert saved[late.pk] == AttendanceStatus.LATE
    assert {saved[e.pk] for e in learners[2:]} == {AttendanceStatus.PRESENT}

    # Back on /teach/, the register is no longer waiting to be taken.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Teach").click()
    expect(page.locator(f'a[href="/teach/sessions/{session.pk}/"].button-small')).to_have_count(0)
    assert_no_horizontal_scroll(page)


def test_the_paper_register_fits_a_phone_and_prints(page, screenshot):
    today = timezone.localdate()
    teacher, run, _session, learners = a_class_to_take(today)
    page.goto("/")
    sign_in(page, teacher.username, DEMO_PASSWORD)
    page.goto(f"/teach/runs/{run.pk}/register/print/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(run.code)
    expect(page.get_by_role("table").first).to_contain_text(learners[0].learner.preferred_name)
    assert_no_horizontal_scroll(page)  # the grid scrolls inside its own box
    screenshot("print-phone", full_page=False)

    page.set_viewport_size({"width": 1123, "height": 794})  # A4 landscape at 96 dpi
    page.emulate_media(media="print")
    expect(page.get_by_role("banner")).to_be_hidden()
    assert_no_horizontal_scroll(page)
    screenshot("print-a4")


def test_a_register_left_open_keeps_a_colleagues_newer_mark(page, screenshot):
    """The teacher opens the register; the coordinator, on the phone with Amina's family,
    marks her absent; the teacher, on the page opened before, marks someone else late and
    saves. The coordinator's mark stays, and the teacher is told whose it is."""
    today = timezone.localdate()
    teacher, run, session, learners = a_class_to_take(today)
    register_mark(
        session=session, marks={e.pk: Mark(AttendanceStatus.PRESENT) for e in learners}, by=teacher
    )
    sick, late = learners[0], learners[1]
    page.goto("/")
    sign_in(page, teacher.username, DEMO_PASSWORD)
    page.goto(f"/teach/sessions/{session.pk}/")
    expect(page.locator(f"#learner-{sick.pk}").get_by_label("Present", exact=True)).to_be_checked()

    coordinator = User.objects.filter(groups__name="Coordinators").first()
    register_mark(
        session=session,
        marks={sick.pk: Mark(AttendanceStatus.ABSENT, "sick - called family", seen=1)},
        by=coordinator,
    )
    page.locator(f"#learner-{late.pk}").get_by_label("Late", exact=True).check()
    page.get_by_role("button", name="Save register").click()

    name = sick.learner.preferred_name
    messages = page.get_by_role("status").first
    expect(messages).to_contain_text("Theirs is newer, so it was kept")
    expect(messages).to_contain_text(f"{name}: kept Absent (sick - called family), changed by")
    expect(page.locator(f"#learner-{sick.pk}").get_by_label("Absent", exact=True)).to_be_checked()
    expect(page.locator(f"#learner-{late.pk}").get_by_label("Late", exact=True)).to_be_checked()
    assert_no_horizontal_scroll(page)
    screenshot("register-kept", full_page=False)
    saved = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert (saved[sick.pk], saved[late.pk]) == (AttendanceStatus.ABSENT, AttendanceStatus.LATE)
