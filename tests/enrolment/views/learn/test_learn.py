"""/learn/: a learner's own page: their courses, classes and attendance, certificates and
qualifications."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.choices import RunMode, SessionStatus
from enrolment.models import Attendance, AttendanceStatus, EnrolmentStatus
from tests.enrolment.views.learn.conftest import day
from tests.factories import CourseRunFactory, EnrolmentFactory, SessionFactory, VenueFactory

pytestmark = pytest.mark.django_db

S = EnrolmentStatus
A = AttendanceStatus


def test_it_lists_active_enrolments_first_then_past_ones(client, cast, lea, courses):
    english, ged, photo = courses
    EnrolmentFactory(
        learner=lea,
        run=CourseRunFactory(course=photo, start_date=day(-90), end_date=day(-30)),
        status=S.COMPLETED,
    )
    EnrolmentFactory(learner=lea, run=CourseRunFactory(course=english), status=S.ENROLLED)
    EnrolmentFactory(
        learner=lea, run=CourseRunFactory(course=ged, mode=RunMode.REVIEW), status=S.APPLIED
    )
    client.force_login(cast.learner)

    response = client.get("/learn/")

    html = response.content.decode()
    assert response.status_code == 200
    assert [e.run.course.title for e in response.context["active"]] == ["English A1", "GED maths"]
    assert [e.run.course.title for e in response.context["past"]] == ["Photography"]
    assert html.index("English A1") < html.index("Earlier courses") < html.index("Photography")
    assert f'href="{english.url}"' in html
    for label in ["Enrolled", "Applied, waiting for review", "Completed"]:
        assert label in html


def test_it_shows_the_waitlist_position(client, cast, lea, courses):
    run = CourseRunFactory(course=courses[0], capacity=1)
    EnrolmentFactory(run=run, status=S.ENROLLED)
    for minutes_ago in (30, 20):
        EnrolmentFactory(
            run=run,
            status=S.WAITLISTED,
            waitlisted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        )
    EnrolmentFactory(learner=lea, run=run, status=S.WAITLISTED, waitlisted_at=timezone.now())
    client.force_login(cast.learner)

    html = client.get("/learn/").content.decode()

    assert "You are number 3 on the waitlist." in html
    assert ">Leave waitlist<" in html


def test_it_offers_withdraw_for_active_enrolments_only(client, cast, lea, courses):
    enrolled = EnrolmentFactory(learner=lea, run=CourseRunFactory(course=courses[0]))
    withdrawn = EnrolmentFactory(
        learner=lea, run=CourseRunFactory(course=courses[1]), status=S.WITHDRAWN
    )
    client.force_login(cast.learner)

    html = client.get("/learn/").content.decode()

    assert f'action="/learn/enrolments/{enrolled.pk}/withdraw/"' in html
    assert f"/learn/enrolments/{withdrawn.pk}/withdraw/" not in html


def test_it_shows_the_next_five_classes_of_enrolled_runs(client, cast, lea, courses):
    hall = VenueFactory(name="Community hall")
    run = CourseRunFactory(course=courses[0], start_date=day(-14), end_date=day(60))
    EnrolmentFactory(learner=lea, run=run, status=S.ENROLLED)
    SessionFactory(run=run, date=day(-7))  # already happened
    for n in range(1, 8):
        SessionFactory(run=run, date=day(n))
    cancelled = run.sessions.get(date=day(1))
    cancelled.status = SessionStatus.CANCELLED
    cancelled.note = "Typhoon signal 8"
    cancelled.save()
    moved = run.sessions.get(date=day(2))
    moved.date = day(3)
    moved.venue = hall
    moved.note = "Room booked for an exam"
    moved.save()
    waiting = CourseRunFactory(course=courses[1])
    EnrolmentFactory(learner=lea, run=waiting, status=S.WAITLISTED, waitlisted_at=timezone.now())
    SessionFactory(run=waiting, date=day(1))
    client.force_login(cast.learner)

    response = client.get("/learn/")

    sessions = list(response.context["sessions"])
    assert [s.date for s in sessions] == [day(1), day(3), day(3), day(4), day(5)]
    assert all(s.run == run for s in sessions)
    html = response.content.decode()
    assert "Cancelled" in html
    assert "Typhoon signal 8" in html
    assert "Moved from" in html
    assert "Community hall" in html
    assert "Room booked for an exam" in html


def test_it_costs_the_same_queries_for_3_or_30_enrolments(client, cast, lea, courses):
    statuses = [S.ENROLLED, S.WAITLISTED, S.APPLIED, S.WITHDRAWN, S.COMPLETED]

    def add_enrolments(count: int, start: int):
        for i in range(start, start + count):
            run = CourseRunFactory(course=courses[i % 3], capacity=5)
            status = statuses[i % len(statuses)]
            enrolment = EnrolmentFactory(
                learner=lea,
                run=run,
                status=status,
                waitlisted_at=timezone.now() if status == S.WAITLISTED else None,
            )
            if status == S.WAITLISTED:
                EnrolmentFactory(run=run, status=S.WAITLISTED, waitlisted_at=timezone.now())
            SessionFactory(run=run, date=day(i % 10 + 1))
            if status in (S.ENROLLED, S.WITHDRAWN, S.COMPLETED):
                mark(enrolment, [A.PRESENT, A.ABSENT, A.LATE][: i % 3 + 1])
            if status == S.COMPLETED:
                add_certificate(enrolment)
            add_qualification(lea, i)

    client.force_login(cast.learner)
    add_enrolments(3, 0)
    client.get("/learn/")  # fill the caches of site root paths and settings

    with CaptureQueriesContext(connection) as few:
        response = client.get("/learn/")
    listed = ("active", "left", "past")
    assert sum(len(response.context[name]) for name in listed) == 3
    assert len(response.context["qualifications"]) == 3

    add_enrolments(27, 3)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/learn/")
    listed = ("active", "left", "past")
    assert sum(len(response.context[name]) for name in listed) == 30
    assert len(response.context["certificates"]) == 6
    assert len(response.context["qualifications"]) == 21  # 10 GED subjects show as one GED

    assert len(many) == len(few), "\n".join(q["sql"] for q in many.captured_queries)
    # + certificates, qualifications, and the translations of courses, venues and partners
    assert len(few) <= 16


def mark(enrolment, statuses):
    """Marks for past sessions of the enrolment's run, oldest first."""
    for n, status in enumerate(statuses):
        session = SessionFactory(run=enrolment.run, date=day(-7 * (len(statuses) - n)))
        Attendance.objects.create(
            enrolment=enrolment, session=session, status=status, marked_at=timezone.now()
        )


def test_it_shows_the_learners_own_attendance_rate(client, cast, lea, courses):
    run = CourseRunFactory(course=courses[0], start_date=day(-60), end_date=day(30))
    enrolment = EnrolmentFactory(learner=lea, run=run)
    mark(enrolment, [A.PRESENT] * 16 + [A.LATE] + [A.ABSENT] * 3 + [A.EXCUSED] + [A.PRESENT])
    someone = EnrolmentFactory(run=run)  # another learner in the class: not counted
    Attendance.objects.create(
        enrolment=someone, session=run.sessions.first(), status=A.ABSENT, marked_at=timezone.now()
    )
    client.force_login(cast.learner)

    html = client.get("/learn/").content.decode()

    assert "Attendance" in html
    assert "86% (18 of 21 classes)" in html
    assert "and 1 excused absence, not counted" in html
    assert "To get a certificate" not in html and "We missed you" not in html


def test_it_gently_says_when_attendance_is_low(client, cast, lea, courses):
    run = CourseRunFactory(course=courses[0], start_date=day(-60), end_date=day(30))
    mark(
        EnrolmentFactory(learner=lea, run=run), [A.PRESENT, A.PRESENT, A.ABSENT, A.ABSENT, A.ABSENT]
    )
    client.force_login(cast.learner)

    html = client.get("/learn/").content.decode()

    assert "40% (2 of 5 classes)" in html
    assert "We missed you at your last 3 classes." in html
    assert "To get a certificate, you need to come to at least 80% of classes." in html
    assert "talk to your teacher" in html


def test_a_past_course_shows_its_rate_without_the_note(client, cast, lea, courses):
    run = CourseRunFactory(course=courses[2], start_date=day(-90), end_date=day(-30))
    enrolment = EnrolmentFactory(learner=lea, run=run, status=S.COMPLETED)
    mark(enrolment, [A.PRESENT, A.ABSENT, A.ABSENT, A.ABSENT])
    client.force_login(cast.learner)

    html = client.get("/learn/").content.decode()

    assert "25% (1 of 4 classes)" in html
    assert "We missed you" not in html and "To get a certificate" not in html


def test_it_shows_no_rate_before_the_first_register(client, cast, lea, courses):
    EnrolmentFactory(learner=lea, run=CourseRunFactory(course=courses[0]))
    client.force_login(cast.learner)
    assert "classes)" not in client.get("/learn/").content.decode()


def test_it_refuses_staff_without_a_learner_profile(client, cast, lea, courses):
    EnrolmentFactory(learner=lea, run=CourseRunFactory(course=courses[0]))
    client.force_login(cast.coordinator)

    response = client.get("/learn/")

    assert response.status_code == 403
    assert "This is for learners" in response.content.decode()
    assert "English A1" not in response.content.decode()


def test_it_sends_a_visitor_to_sign_in(client):
    response = client.get("/learn/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/learn/"


def test_the_nav_offers_my_learning_when_signed_in_and_sign_up_when_not(client, cast, site):
    html = client.get("/").content.decode()
    assert 'href="/accounts/signup/"' in html
    assert 'href="/learn/"' not in html

    client.force_login(cast.learner)
    html = client.get("/").content.decode()
    assert 'href="/learn/">My learning<' in html


def add_certificate(enrolment, *, revoked: bool = False):
    from enrolment.models import Certificate

    n = Certificate.objects.count() + 1
    return Certificate.objects.create(
        enrolment=enrolment,
        number=f"HLC-2030-{n:05d}",
        year=2030,
        sequence=n,
        verification_code=f"code-{n:016d}",
        holder_name=enrolment.learner.preferred_name,
        course_title=enrolment.run.course.title,
        start_date=enrolment.run.start_date,
        end_date=enrolment.run.end_date,
        issued_at=timezone.now(),
        revoked_at=timezone.now() if revoked else None,
        revocation_reason="Issued in error" if revoked else "",
    )


def add_qualification(learner, i: int):
    from courses.models import Partner
    from enrolment.services.qualifications import (
        qualification_record_ged_subject,
        qualification_record_ielts,
        qualification_record_partner_level,
    )

    if i % 3 == 0:  # a GED subject, one at a time
        subject = ["math", "rla", "science", "social_studies"][i // 3 % 4]
        return qualification_record_ged_subject(
            learner=learner, subject=subject, score=120 + i % 2 * 60, taken_on=day(-i), by=None
        )
    if i % 3 == 1:
        bands = {"listening": "6.5", "reading": "6", "writing": "6", "speaking": "7"}
        return qualification_record_ielts(learner=learner, bands=bands, taken_on=day(-i), by=None)
    partner = Partner.objects.get_or_create(name="British Council")[0]
    return qualification_record_partner_level(
        learner=learner, level="b1", partner=partner, taken_on=day(-i), by=None
    )


def test_it_lists_the_learners_certificates_with_web_and_pdf_links(client, cast, lea, courses):
    valid = add_certificate(
        EnrolmentFactory(learner=lea, run=CourseRunFactory(course=courses[0]), status=S.COMPLETED)
    )
    revoked = add_certificate(
        EnrolmentFactory(learner=lea, run=CourseRunFactory(course=courses[1]), status=S.COMPLETED),
        revoked=True,
    )
    someone_elses = add_certificate(
        EnrolmentFactory(run=CourseRunFactory(course=courses[2]), status=S.COMPLETED)
    )
    client.force_login(cast.learner)
    response = client.get("/learn/")
    html = response.content.decode()
    assert {c.pk for c in response.context["certificates"]} == {valid.pk, revoked.pk}
    assert valid.number in html and revoked.number in html
    assert someone_elses.number not in html
    assert f'href="/learn/certificates/{valid.pk}/"' in html
    assert f'href="/learn/certificates/{valid.pk}/pdf/"' in html
    assert "Download PDF" in html
    assert "Valid" in html and "Revoked" in html


def test_it_says_when_there_are_no_certificates_yet(client, cast, lea):
    client.force_login(cast.learner)
    html = client.get("/learn/").content.decode()
    assert "You have no certificates yet" in html
    assert "Qualifications" not in html


def ged(learner, subject, score, days_ago):
    from enrolment.services.qualifications import qualification_record_ged_subject

    return qualification_record_ged_subject(
        learner=learner, subject=subject, score=score, taken_on=day(-days_ago), by=None
    )


def test_it_lists_ged_ielts_and_partner_levels(client, cast, lea):
    ged(lea, "math", 150, 90)
    ged(lea, "rla", 160, 60)
    ged(lea, "science", 138, 30)  # failed
    add_qualification(lea, 1)  # IELTS 6.5
    add_qualification(lea, 2)  # partner level B1
    add_qualification(cast.other_learner.learner, 1)
    ged(cast.other_learner.learner, "social_studies", 199, 3)
    client.force_login(cast.learner)
    response = client.get("/learn/")
    html = response.content.decode()
    assert len(response.context["qualifications"]) == 3  # the GED subjects as one entry
    assert "2 subjects of 4 passed" in html
    assert "GED diploma" not in html
    assert "Mathematical Reasoning</dt><dd>150" in html
    assert "Science</dt><dd>138</dd>" in html  # no tick: failed
    assert "Social Studies</dt><dd>–</dd>" in html  # not taken yet
    assert "199" not in html
    assert "Overall band 6.5" in html
    assert "Speaking" in html
    assert "Level B1 (intermediate)" in html and "British Council" in html


def test_a_class_left_before_it_ended_is_listed_as_left_not_earlier(client, cast, lea, courses):
    english, ged, photo = courses
    not_started = CourseRunFactory(course=english, start_date=day(14), end_date=day(60))
    under_way = CourseRunFactory(course=ged, start_date=day(-14), end_date=day(30))
    EnrolmentFactory(learner=lea, run=not_started, status=S.WITHDRAWN)
    EnrolmentFactory(learner=lea, run=under_way, status=S.DECLINED)
    finished = CourseRunFactory(course=photo, start_date=day(-90), end_date=day(-30))
    EnrolmentFactory(learner=lea, run=finished, status=S.WITHDRAWN)
    client.force_login(cast.learner)

    response = client.get("/learn/")

    titles = [e.run.course.title for e in response.context["left"]]
    assert sorted(titles) == ["English A1", "GED maths"]
    assert [e.run.course.title for e in response.context["past"]] == ["Photography"]
    html = response.content.decode()
    left, earlier = html.index("Classes you left"), html.index("Earlier courses")
    assert left < html.index("English A1") < earlier < html.index("Photography")


def test_the_ged_diploma_shows_only_after_the_fourth_subject_passed(client, cast, lea):
    client.force_login(cast.learner)
    for subject, days_ago in [("math", 200), ("rla", 150), ("science", 100)]:
        ged(lea, subject, 160, days_ago)
    ged(lea, "social_studies", 130, 60)
    html = client.get("/learn/").content.decode()
    assert "3 subjects of 4 passed" in html and "GED diploma" not in html

    ged(lea, "social_studies", 151, 7)  # passed at the second try

    response = client.get("/learn/")
    html = response.content.decode()
    assert "GED diploma" in html
    assert "Social Studies</dt><dd>151" in html
    [entry] = response.context["qualifications"]
    assert entry.taken_on == day(-7)
