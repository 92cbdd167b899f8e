import datetime as dt
from collections import Counter

from django.contrib.auth import authenticate, get_user_model
from django.db.models import Count, F, Q
from django.utils import timezone

from cms.management.demo import DEMO_PASSWORD, LEARNERS, build_demo
from courses.choices import RunMode, RunStatus
from courses.models import CourseRun
from enrolment.models import (
    Attendance,
    AttendanceChange,
    AttendanceStatus,
    Certificate,
    Channel,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Learner,
    Message,
    MessageKind,
    MessageStatus,
    Qualification,
    QualificationKind,
    Result,
    SkipReason,
)
from enrolment.services.at_risk import at_risk_enrolments
from enrolment.services.attendance_reports import registers_not_taken_rows, runs_under_way
from tests.factories import LearnerFactory

S = EnrolmentStatus


def counts() -> dict[str, int]:
    return {
        "learners": Learner.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "events": EnrolmentEvent.objects.count(),
        "runs": CourseRun.objects.count(),
        "attendance": Attendance.objects.count(),
        "certificates": Certificate.objects.count(),
        "revoked": Certificate.objects.filter(revoked_at__isnull=False).count(),
        "qualifications": Qualification.objects.count(),
        "results": Result.objects.count(),
    }


def test_building_the_demo_twice_changes_nothing(db):
    first = build_demo(scale=1)
    before = counts()

    second = build_demo(scale=1)

    assert counts() == before
    assert (second.learners, second.enrolments, second.attendance) == (
        first.learners,
        first.enrolments,
        first.attendance,
    )
    assert before["learners"] == first.learners > 20
    assert before["enrolments"] == first.enrolments > 30


def test_the_demo_has_full_runs_with_waitlists_and_a_review_intake(db):
    build_demo(scale=1)

    runs = CourseRun.objects.annotate(
        enrolled=Count("enrolments", filter=Q(enrolments__status__in=[S.ENROLLED, S.OFFERED])),
        waiting=Count("enrolments", filter=Q(enrolments__status=S.WAITLISTED)),
        applied=Count("enrolments", filter=Q(enrolments__status=S.APPLIED)),
    )
    full = runs.filter(enrolled=F("capacity"), waiting__gte=2)
    assert full.count() >= 2
    assert all(run.waiting <= 3 for run in full)
    assert runs.filter(mode=RunMode.REVIEW, applied__gt=0).exists()
    assert not runs.filter(enrolled__gt=F("capacity")).exists()

    withdrawn = Enrolment.objects.get(status=S.WITHDRAWN, learner__preferred_name="Khadija")
    assert withdrawn.events.get(to_status=S.WITHDRAWN).reason
    # The seat it freed was offered to the first person waiting, who took it; the history
    # says so.
    assert EnrolmentEvent.objects.filter(
        enrolment__run=withdrawn.run, from_status=S.WAITLISTED, to_status=S.OFFERED
    ).exists()
    assert EnrolmentEvent.objects.filter(
        enrolment__run=withdrawn.run, from_status=S.OFFERED, to_status=S.ENROLLED
    ).exists()
    # Every enrolment was made through the service, which records who made it.
    assert not Enrolment.objects.filter(events__isnull=True).exists()
    # A second withdrawal's seat is offered and not answered yet: the demo shows an offer.
    [pending] = Enrolment.objects.filter(status=S.OFFERED)
    assert pending.run == withdrawn.run and pending.offer_expires_at > timezone.now()


def test_the_demo_reaches_learners_by_whatsapp_text_and_email(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        build_demo(scale=1)

    channels = set(Learner.objects.values_list("message_channel", flat=True))
    assert {Channel.WHATSAPP, Channel.SMS, Channel.EMAIL} <= channels
    assert Learner.objects.filter(messages_stopped_at__isnull=False).count() == 1
    sent = Message.objects.filter(status=MessageStatus.SENT)
    assert set(sent.values_list("channel", flat=True)) >= {"whatsapp", "sms", "email"}
    assert set(sent.values_list("language", flat=True)) >= {"ar", "fr", "ur", "en"}
    assert sent.filter(kind=MessageKind.OFFER).exists()
    # The one who replied STOP was told nothing, and staff can see why.
    assert Message.objects.filter(
        status=MessageStatus.SKIPPED, skip_reason=SkipReason.OPTED_OUT
    ).exists()
    # Seeding again writes no message twice.
    count = Message.objects.count()
    build_demo(scale=1)
    assert Message.objects.count() == count


def test_demo_learners_sign_in_with_a_phone_or_an_email(db):
    summary = build_demo(scale=1)

    usernames = [username for username, _password, role in summary.logins if "Learner" in role]
    assert usernames == ["+85291230001", "grace.mbuyi@example.org"]
    amina = authenticate(username="+85291230001", password=DEMO_PASSWORD)
    assert amina is not None and amina.learner.phone == "+85291230001"
    assert amina.groups.filter(name="Learners").exists()
    grace = authenticate(username="grace.mbuyi@example.org", password=DEMO_PASSWORD)
    assert grace is not None and grace.learner.phone == ""
    children = Learner.objects.children()
    assert children.count() >= 2
    assert not children.filter(guardian_name="").exists()
    assert not children.filter(user__isnull=False).exists()


def test_the_demo_scales_its_learners(db):
    small = build_demo(scale=1)

    large = build_demo(scale=2)

    assert large.learners == 2 * small.learners
    assert large.enrolments == 2 * small.enrolments
    assert Learner.objects.filter(phone="+85291230101").exists()  # copy 2's first learner


def test_the_demo_leaves_alone_someone_who_took_a_demo_phone_number(db):
    someone = LearnerFactory(preferred_name="Someone", phone="9123 0003")

    summary = build_demo(scale=1)

    someone.refresh_from_db()
    assert someone.preferred_name == "Someone"
    assert not someone.enrolments.exists()
    assert Learner.objects.filter(phone="+85291230003").count() == 1
    assert summary.learners == len(LEARNERS) - 1 == Learner.objects.count() - 1


def test_the_demo_has_an_attendance_history_with_learners_at_risk(db):
    summary = build_demo(scale=1)
    coordinator = get_user_model().objects.get(username="coordinator")

    assert summary.attendance == Attendance.objects.count() > 50
    this_term = runs_under_way()
    at_risk = at_risk_enrolments(runs=this_term)
    names = {row.enrolment.learner.preferred_name for row in at_risk}
    assert {"Shahida", "Fadumo", "Christelle"} <= names
    assert len(at_risk) <= 5  # a few, not the whole class
    assert any(row.summary.absences_in_a_row >= 3 for row in at_risk)
    untaken = registers_not_taken_rows(user=coordinator, runs=this_term)
    assert len(untaken) == 2
    assert all(s.date >= timezone.localdate() - dt.timedelta(days=14) for s in untaken)
    # Mostly present, some late or excused; marked by the class's teacher.
    statuses = Counter(Attendance.objects.values_list("status", flat=True))
    assert statuses[AttendanceStatus.PRESENT] > 0.7 * sum(statuses.values())
    assert statuses[AttendanceStatus.LATE] and statuses[AttendanceStatus.EXCUSED]
    assert not Attendance.objects.exclude(marked_by__teaching_runs=F("session__run")).exists()
    # Seats were taken before the first class, so the learners are on its register.
    assert not Enrolment.objects.filter(
        run__in=this_term, enrolled_at__date__gte=F("run__start_date")
    ).exists()


def test_building_the_demo_twice_keeps_the_registers(db):
    build_demo(scale=1)
    before = (Attendance.objects.count(), AttendanceChange.objects.count())

    build_demo(scale=1)

    assert (Attendance.objects.count(), AttendanceChange.objects.count()) == before


def test_the_demo_has_finished_runs_with_certificates_and_qualifications(db):
    summary = build_demo(scale=1)

    closed = CourseRun.objects.filter(status=RunStatus.CLOSED)
    assert closed.count() == 2
    assert all(run.end_date < timezone.localdate() - dt.timedelta(weeks=4) for run in closed)
    assert not Enrolment.objects.filter(run__in=closed, status=S.ENROLLED).exists()
    assert Enrolment.objects.filter(run__in=closed, status=S.NOT_COMPLETED).count() >= 2
    completed = Enrolment.objects.filter(run__in=closed, status=S.COMPLETED)
    assert Certificate.objects.count() == completed.count() >= 5
    revoked = Certificate.objects.get(revoked_at__isnull=False)
    assert revoked.revocation_reason
    # The registers of the finished runs were taken by their teachers.
    assert Attendance.objects.filter(session__run__in=closed).exists()

    # GED subjects one at a time: Yusuf's fourth pass brought the diploma, Samira has 3 of 4.
    diploma = Qualification.objects.get(kind=QualificationKind.GED)
    assert (diploma.learner.preferred_name, diploma.passed) == ("Yusuf", True)
    subjects = Qualification.objects.filter(kind=QualificationKind.GED_SUBJECT)
    assert subjects.filter(learner__preferred_name="Samira", passed=True).count() == 3
    assert subjects.filter(learner=diploma.learner, passed=False).count() == 1
    ielts = Qualification.objects.get(kind=QualificationKind.IELTS)
    assert ielts.overall == "6.5"
    assert Qualification.objects.filter(kind=QualificationKind.PARTNER_LEVEL).exists()

    codes = Certificate.objects.valid().filter(enrolment__learner__preferred_name="Amina")
    assert summary.verification_url.rsplit("/", 2)[-2] in codes.values_list(
        "verification_code", flat=True
    )


def test_the_demo_translator_edits_every_other_language_tree_not_the_english(db):
    from wagtail.models import Locale, Page

    summary = build_demo(scale=1)

    assert "translator" in [username for username, _password, _role in summary.logins]
    translator = authenticate(username="translator", password=DEMO_PASSWORD)
    assert translator.groups.filter(name="Translators").exists()
    homes = Page.objects.filter(depth=2)
    english = homes.get(locale=Locale.get_default())
    for code in ["zh-hant", "ar", "fr", "ur"]:
        home = homes.get(locale__language_code=code)
        assert home.permissions_for_user(translator).can_publish(), code
    assert not english.permissions_for_user(translator).can_edit()


def test_the_demo_gives_the_coordinators_dashboard_something_in_every_panel(db, client):
    from enrolment.services.dashboard import coordinator_day

    build_demo(scale=1)
    coordinator = get_user_model().objects.get(username="coordinator")

    day = coordinator_day(user=coordinator)

    assert day.applications and day.offers and day.at_risk and day.registers_not_taken
    assert day.waiting_for_sponsor and day.under_funded
    undelivered = Message.objects.get(status=MessageStatus.FAILED)
    assert day.failed_messages == 1 and "30003" in undelivered.error
    assert all(offer.offer_expires_at for offer in day.offers_soonest)
    client.force_login(coordinator)
    html = client.get("/admin/").content.decode()
    for panel in ("needs-doing", "today-classes", "pending-offers"):
        assert f'id="{panel}-section"' in html
