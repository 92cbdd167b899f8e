"""Forgetting a person: what goes, what stays as statistics, when it is refused."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.contrib.auth import authenticate
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry, PageLogEntry

from enrolment.errors import ForgettingError
from enrolment.models import (
    AccessLog,
    Attendance,
    Certificate,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    Learner,
    Message,
)
from enrolment.models.people import AgeBand
from enrolment.services.access_log import access_log_viewed
from enrolment.services.forgetting import ANONYMISE_ACTION, age_band_of, learner_anonymise
from enrolment.services.impact import impact_report_compile
from enrolment.services.impact.breakdowns import AGE_BANDS
from enrolment.services.impact.scope import ImpactScope, period_of_quarter
from tests.factories import (
    ChildFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    SessionFactory,
    SponsorshipFactory,
    UserFactory,
)
from tests.test_url_inventory import PNG

pytestmark = pytest.mark.django_db

S = EnrolmentStatus


@pytest.fixture
def yusuf(cast):
    user = UserFactory(username="+85291234567", first_name="Yusuf", email="yusuf@example.org")
    user.set_password("a-long-password-1")
    user.save()
    learner = LearnerFactory(
        user=user,
        preferred_name="Yusuf",
        legal_name="Yusuf Abdirahman Aden",
        phone="+85291234567",
        email="yusuf@example.org",
        languages="Somali, Arabic",
        case_reference="UNHCR-777",
    )
    enrolment = EnrolmentFactory(learner=learner, status=S.COMPLETED)
    EnrolmentEvent.objects.create(
        enrolment=enrolment, to_status=S.COMPLETED, reason="Yusuf moved to Tuen Mun"
    )
    session = SessionFactory(run=enrolment.run, date=enrolment.run.start_date)
    Attendance.objects.create(
        enrolment=enrolment,
        session=session,
        status="present",
        note="Yusuf's brother called",
        marked_at=timezone.now(),
    )
    Message.objects.create(
        learner=learner,
        channel="sms",
        address="+85291234567",
        kind="staff",
        language="en",
        body="Hello Yusuf, see you Monday",
    )
    log(instance=learner, action="wagtail.edit", user=cast.coordinator)
    log(instance=enrolment, action="wagtail.edit", user=cast.coordinator, data={"note": "Yusuf"})
    access_log_viewed(user=cast.coordinator, learner=learner, what=f"Yusuf A. (L{learner.pk})")
    return learner


def test_forgetting_removes_names_contacts_and_free_text(cast, yusuf):
    assert learner_anonymise(learner=yusuf, by=cast.coordinator, reason="Asked to be forgotten")

    yusuf.refresh_from_db()
    assert yusuf.list_name == f"Former learner (L{yusuf.pk})"
    assert (yusuf.legal_name, yusuf.phone, yusuf.email, yusuf.case_reference) == ("", "", "", "")
    assert (yusuf.date_of_birth, yusuf.languages) == (None, "")
    assert yusuf.anonymised_at is not None
    message = Message.objects.get(learner=yusuf)
    assert (message.body, message.address) == ("", "")
    assert EnrolmentEvent.objects.get(enrolment__learner=yusuf).reason == ""
    assert Attendance.objects.get(enrolment__learner=yusuf).note == ""
    for entry in ModelLogEntry.objects.all():
        assert "Yusuf" not in entry.label and "Yusuf" not in str(entry.data)
    assert "Yusuf" not in AccessLog.objects.get(learner=yusuf).what


def test_forgetting_keeps_enrolments_and_attendance_as_statistics(cast, yusuf):
    learner_anonymise(learner=yusuf, by=cast.coordinator, reason="Asked")

    assert Enrolment.objects.get(learner=yusuf).status == S.COMPLETED
    assert Attendance.objects.get(enrolment__learner=yusuf).status == "present"


def test_the_account_can_no_longer_sign_in_nor_says_whose_it_was(cast, yusuf):
    learner_anonymise(learner=yusuf, by=cast.coordinator, reason="Asked")

    user = Learner.objects.get(pk=yusuf.pk).user
    assert user.username == f"forgotten-{user.pk}"
    assert (user.first_name, user.email, user.is_active) == ("", "", False)
    assert not user.has_usable_password()
    assert authenticate(username="+85291234567", password="a-long-password-1") is None


@pytest.mark.ratelimit
@override_settings(AXES_ENABLED=True)
def test_their_sign_ins_and_failed_attempts_are_forgotten_too(client, site, cast, yusuf):
    def sign_in(username, password):
        client.post("/accounts/login/", {"username": username, "password": password})

    sign_in("yusuf@example.org", "a-long-password-1")
    client.logout()
    sign_in("9123 4567", "wrong password")  # their phone, as typed
    sign_in("learner", "wrong password")  # someone else
    theirs = {"username": "+85291234567"}
    assert AxesAccessLog.objects.filter(**theirs).exists()
    assert AccessAttempt.objects.filter(**theirs).exists()

    learner_anonymise(learner=yusuf, by=cast.coordinator, reason="Asked")

    for sign_ins in (AccessAttempt, AxesAccessLog, AccessFailureLog):
        assert not sign_ins.objects.filter(**theirs).exists()
    assert AccessAttempt.objects.filter(username="learner").exists()


def test_the_history_says_who_forgot_them_and_why_once(cast, yusuf):
    assert learner_anonymise(learner=yusuf, by=cast.coordinator, reason="Asked in person")
    assert not learner_anonymise(learner=yusuf, by=cast.coordinator, reason="Again")

    (entry,) = ModelLogEntry.objects.filter(action=ANONYMISE_ACTION)
    assert (entry.user, entry.data) == (cast.coordinator, {"reason": "Asked in person"})
    assert entry.label == f"Former learner (L{yusuf.pk})"


def test_a_reason_is_required_and_nothing_changes_without_one(cast, yusuf):
    with pytest.raises(ForgettingError):
        learner_anonymise(learner=yusuf, by=cast.coordinator, reason="   ")

    yusuf.refresh_from_db()
    assert yusuf.preferred_name == "Yusuf" and yusuf.anonymised_at is None


@pytest.mark.parametrize("status", [S.APPLIED, S.WAITLISTED, S.OFFERED, S.ENROLLED])
def test_someone_still_taking_part_is_not_forgotten(cast, yusuf, status):
    EnrolmentFactory(learner=yusuf, status=status)

    with pytest.raises(ForgettingError, match="Withdraw them"):
        learner_anonymise(learner=yusuf, by=cast.coordinator, reason="Asked")

    yusuf.refresh_from_db()
    assert yusuf.phone == "+85291234567" and yusuf.anonymised_at is None


def test_a_sponsored_child_is_not_forgotten_until_the_sponsorship_ends(cast):
    child = ChildFactory(preferred_name="Amani")
    sponsorship = SponsorshipFactory(child=child, starts_on=dt.date(2024, 9, 1), ends_on=None)

    with pytest.raises(ForgettingError, match="sponsorship"):
        learner_anonymise(learner=child, by=cast.coordinator, reason="Family left")

    sponsorship.ends_on = timezone.localdate() - dt.timedelta(days=1)
    sponsorship.save()
    assert learner_anonymise(learner=child, by=cast.coordinator, reason="Family left")
    child.refresh_from_db()
    assert (child.guardian_name, child.guardian_phone, child.guardian_relationship) == ("", "", "")
    assert not child.consent_photo and not child.consent_share_progress


def test_the_photo_file_is_deleted_once_forgetting_commits(
    cast, django_capture_on_commit_callbacks
):
    child = ChildFactory()
    child.photo.save("photo.png", SimpleUploadedFile("photo.png", PNG))
    name = child.photo.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        learner_anonymise(learner=child, by=cast.coordinator, reason="Asked")

    assert not default_storage.exists(name)
    assert Learner.objects.get(pk=child.pk).photo.name == ""


def test_the_age_band_is_the_one_on_the_last_day_they_took_part(cast):
    today = timezone.localdate()
    # Eighteen today, seventeen on the last day they attended, a year ago.
    born = today.replace(year=today.year - 18) - dt.timedelta(days=1)
    learner = LearnerFactory(date_of_birth=born)
    last = today - dt.timedelta(days=365)
    run = CourseRunFactory(start_date=last - dt.timedelta(days=30), end_date=last)
    enrolment = EnrolmentFactory(learner=learner, run=run, status=S.COMPLETED)
    session = SessionFactory(run=run, date=last)
    Attendance.objects.create(
        enrolment=enrolment, session=session, status="present", marked_at=timezone.now()
    )

    learner_anonymise(learner=learner, by=cast.coordinator, reason="Asked")

    assert Learner.objects.get(pk=learner.pk).age_band == "12-17"


def test_the_age_band_is_todays_for_someone_who_never_took_part(cast):
    learner = LearnerFactory(date_of_birth=dt.date(1950, 1, 1))

    learner_anonymise(learner=learner, by=cast.coordinator, reason="Asked")

    assert Learner.objects.get(pk=learner.pk).age_band == "60+"


def test_the_stored_bands_are_the_impact_reports_bands():
    assert [key for key, _youngest in AGE_BANDS] == [v for v in AgeBand.values if v]
    assert [age_band_of(age) for age in (0, 11, 12, 24, 25, 59, 60, None)] == [
        "0-11",
        "0-11",
        "12-17",
        "18-24",
        "25-39",
        "40-59",
        "60+",
        "",
    ]


def _report(period):
    report = impact_report_compile(scope=ImpactScope(period=period))
    sections = [(title, [(f.label, f.value) for f in figs]) for title, figs in report.sections]
    cells = [(b.key, [(c.label, c.count, c.shown) for c in b.cells]) for b in report.breakdowns]
    return sections, cells


def test_the_impact_figures_are_the_same_after_everyone_who_can_be_is_forgotten(cast, impact_world):
    quarters = [period_of_quarter(year=y, quarter=q) for y in (2024, 2025) for q in (1, 2, 3, 4)]
    before = [_report(period) for period in quarters]

    forgotten = 0
    for learner in Learner.objects.all():
        try:
            forgotten += learner_anonymise(learner=learner, by=cast.coordinator, reason="Test")
        except ForgettingError:
            pass  # still taking part

    assert forgotten >= 5  # Amina, Bilal, Dawit, Farah, Hana, Gul and the cast's learners
    assert Certificate.objects.filter(holder_name="").count() == 3
    assert [_report(period) for period in quarters] == before


def test_forgetting_ends_every_consent_and_takes_their_story_off_the_site(
    client, site, cast, yusuf, django_capture_on_commit_callbacks
):
    from cms.models import StoryPage
    from enrolment.models import Consent, ConsentMethod, ConsentPurpose
    from enrolment.services.consents import consent_give, story_subject_link

    for purpose in ConsentPurpose.values:
        consent_give(
            learner=yusuf, purpose=purpose, by=cast.coordinator, method=ConsentMethod.IN_PERSON
        )
    story = StoryPage(
        title="Yusuf's story",
        slug="yusuf",
        learner_name="Yusuf",
        quote="I can.",
        consent_given=True,
        consent_date=dt.date(2026, 1, 5),
    )
    site.home.add_child(instance=story)
    story.save_revision().publish()
    story_subject_link(story=story, learner=yusuf, by=cast.coordinator)
    assert client.get("/yusuf/").status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        learner_anonymise(learner=yusuf, by=cast.coordinator, reason="Asked to be forgotten")

    assert not Consent.objects.filter(learner=yusuf, withdrawn_at__isnull=True).exists()
    yusuf.refresh_from_db()
    assert not (yusuf.consent_photo or yusuf.consent_share_progress or yusuf.consent_story)
    assert not StoryPage.objects.filter(pk=story.pk).exists()
    assert client.get("/yusuf/").status_code == 404
    assert not PageLogEntry.objects.filter(label__contains="Yusuf").exists()
