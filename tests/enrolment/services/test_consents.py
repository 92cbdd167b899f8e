"""Consent per purpose, with history: who recorded it, when and how; and each withdrawal
takes effect at once on the pages and messages that depend on it."""

import datetime as dt
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.models import StoryPage
from enrolment.errors import ConsentError
from enrolment.models import (
    Consent,
    ConsentMethod,
    ConsentPurpose,
    Message,
    MessageKind,
    MessageStatus,
    SkipReason,
)
from enrolment.services.consents import (
    consent_give,
    consent_history,
    consent_method_for,
    consent_withdraw,
    story_subject_link,
)
from enrolment.services.message_replies import message_receive
from enrolment.services.messaging import message_queue
from tests.enrolment.views.sponsor.conftest import png_bytes
from tests.factories import (
    ChildFactory,
    LearnerFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SponsorFactory,
    SponsorshipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
P, M = ConsentPurpose, ConsentMethod


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def staff(db):
    return UserFactory(username="desk", first_name="Mei", groups=["Coordinators"])


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_giving_opens_a_row_with_who_when_and_how_and_twice_keeps_one(staff):
    learner = LearnerFactory()
    row = consent_give(learner=learner, purpose=P.PHOTO, by=staff, method=M.IN_PERSON)
    again = consent_give(learner=learner, purpose=P.PHOTO, by=staff, method=M.IN_PERSON)

    assert again.pk == row.pk
    assert Consent.objects.filter(learner=learner).count() == 1
    assert (row.given_by, row.method, row.withdrawn_at) == (staff, M.IN_PERSON, None)
    learner.refresh_from_db()
    assert learner.consent_photo


def test_withdrawing_closes_the_row_and_giving_again_opens_a_new_one(staff):
    learner = LearnerFactory(user=UserFactory())
    consent_give(learner=learner, purpose=P.STORY, by=staff, method=M.IN_PERSON)
    closed = consent_withdraw(learner=learner, purpose=P.STORY, by=learner.user, method=M.ONLINE)
    consent_give(learner=learner, purpose=P.STORY, by=learner.user, method=M.ONLINE)

    history = list(consent_history(learner=learner))
    assert [row.is_open for row in history] == [True, False]
    assert history[1].pk == closed.pk
    assert (closed.withdrawn_by, closed.withdrawn_method) == (learner.user, M.ONLINE)
    assert closed.withdrawn_at is not None
    learner.refresh_from_db()
    assert learner.consent_story


def test_a_childs_consent_is_recorded_as_the_guardians(staff):
    child = ChildFactory(consent_photo=False)
    method = consent_method_for(learner=child, by=staff)
    row = consent_give(learner=child, purpose=P.PHOTO, by=staff, method=method)
    assert row.method == M.GUARDIAN


def test_an_unknown_purpose_is_refused_and_changes_nothing(staff):
    learner = LearnerFactory()
    with pytest.raises(ConsentError):
        consent_give(learner=learner, purpose="tattoos", by=staff, method=M.IN_PERSON)
    assert not Consent.objects.exists()


# --- each withdrawal takes effect where it is read -----------------------------------------


def sponsored_child(cast, **fields):
    child = ChildFactory(**fields)
    SponsorshipFactory(
        sponsor=SponsorFactory(user=cast.sponsor), child=child, starts_on=dt.date(2020, 9, 1)
    )
    return child


def test_withdrawing_photo_consent_hides_the_photo_from_the_sponsor_at_once(
    client, cast, site, staff, media
):
    child = sponsored_child(cast, preferred_name="Amani", consent_photo=False)
    child.photo.save("p.png", SimpleUploadedFile("p.png", png_bytes()))
    consent_give(learner=child, purpose=P.PHOTO, by=staff, method=M.GUARDIAN)
    client.force_login(cast.sponsor)
    photo = f"/sponsor/children/{child.pk}/photo/"
    assert photo in text(client.get("/sponsor/"))
    assert client.get(photo).status_code == 200

    consent_withdraw(learner=child, purpose=P.PHOTO, by=staff, method=M.GUARDIAN)

    assert photo not in text(client.get("/sponsor/"))
    assert photo not in text(client.get(f"/sponsor/children/{child.pk}/"))
    assert client.get(photo).status_code == 404


def test_withdrawing_progress_consent_hides_the_school_and_reports_at_once(
    client, cast, site, staff
):
    child = sponsored_child(cast, consent_share_progress=False)
    SchoolPlacementFactory(child=child, school=SchoolFactory(name="Harbour Primary"))
    report = ProgressReportFactory(child=child, shared_with_sponsors=True)
    consent_give(learner=child, purpose=P.SHARE_PROGRESS, by=staff, method=M.GUARDIAN)
    client.force_login(cast.sponsor)
    page = f"/sponsor/children/{child.pk}/"
    report_page = f"{page}reports/{report.pk}/"
    assert "Harbour Primary" in text(client.get(page))
    assert client.get(report_page).status_code == 200

    consent_withdraw(learner=child, purpose=P.SHARE_PROGRESS, by=staff, method=M.GUARDIAN)

    assert "Harbour Primary" not in text(client.get(page))
    assert client.get(report_page).status_code == 404


def test_withdrawing_messages_consent_stops_the_next_message(staff):
    learner = LearnerFactory(message_channel="sms", phone="+85291230077")
    consent_give(learner=learner, purpose=P.MESSAGES, by=staff, method=M.IN_PERSON)
    consent_withdraw(learner=learner, purpose=P.MESSAGES, by=staff, method=M.IN_PERSON)

    message = message_queue(learner=learner, kind=MessageKind.OPTED_OUT)

    assert (message.status, message.skip_reason) == (MessageStatus.SKIPPED, SkipReason.NO_CONSENT)


def test_a_stop_reply_closes_the_messages_consent_by_reply_and_start_reopens_it(staff):
    learner = LearnerFactory(message_channel="sms", phone="+85291230078")
    consent_give(learner=learner, purpose=P.MESSAGES, by=staff, method=M.IN_PERSON)

    message_receive(sender="+85291230078", body="STOP")
    row = Consent.objects.get(learner=learner)
    assert (row.withdrawn_method, row.withdrawn_by) == (M.REPLY, None)
    learner.refresh_from_db()
    queued = message_queue(learner=learner, kind=MessageKind.OPTED_OUT, once_key="after-stop")
    assert (queued.status, queued.skip_reason) == (MessageStatus.SKIPPED, SkipReason.OPTED_OUT)

    message_receive(sender="+85291230078", body="start")
    reopened = consent_history(learner=learner).first()
    assert (reopened.is_open, reopened.method) == (True, M.REPLY)
    assert Message.objects.filter(learner=learner).exists()


# --- stories ---------------------------------------------------------------------------------


@pytest.fixture
def story(site):
    page = StoryPage(
        title="Amina's story",
        slug="amina",
        learner_name="Amina",
        quote="I found my voice.",
        consent_given=True,
        consent_date=dt.date(2026, 1, 5),
    )
    site.home.add_child(instance=page)
    page.save_revision().publish()
    site.home.featured_story = page
    site.home.save_revision().publish()
    return page


def test_a_story_cannot_be_linked_to_a_learner_without_story_consent(story, staff):
    learner = LearnerFactory(preferred_name="Amina")
    with pytest.raises(ConsentError, match="has not agreed to a story"):
        story_subject_link(story=story, learner=learner, by=staff)


def test_withdrawing_story_consent_takes_the_story_off_the_site(
    client, story, staff, django_capture_on_commit_callbacks
):
    learner = LearnerFactory(preferred_name="Amina", user=UserFactory())
    consent_give(learner=learner, purpose=P.STORY, by=staff, method=M.IN_PERSON)
    story_subject_link(story=story, learner=learner, by=staff)
    assert client.get(story.url).status_code == 200
    assert "I found my voice." in text(client.get("/"))

    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(learner=learner, purpose=P.STORY, by=learner.user, method=M.ONLINE)

    assert client.get("/amina/").status_code == 404
    assert "I found my voice." not in text(client.get("/"))
    story.refresh_from_db()
    assert not story.live and not story.consent_given


def test_a_story_whose_subject_has_no_consent_is_404_even_if_marked_consented(client, story, staff):
    learner = LearnerFactory(user=UserFactory())
    consent_give(learner=learner, purpose=P.STORY, by=staff, method=M.IN_PERSON)
    story_subject_link(story=story, learner=learner, by=staff)
    # Behind the service's back (an import, a script): the serving hook still refuses.
    type(learner).objects.filter(pk=learner.pk).update(consent_story=False)

    assert client.get("/amina/").status_code == 404
