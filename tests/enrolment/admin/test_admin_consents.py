"""Consents recorded in the admin: who recorded them and how (a child's as the guardian's),
the history on the learner's page, and the stories' learners."""

import datetime as dt

import pytest
from django.utils import timezone

from cms.models import StoryPage
from enrolment.models import Consent, StorySubject
from tests.enrolment.admin.test_admin_learners import INDEX, _edit
from tests.factories import ChildFactory, LearnerFactory

pytestmark = pytest.mark.django_db


def test_ticking_a_consent_records_who_and_how(client, cast, site):
    today = timezone.localdate()
    adult = LearnerFactory(preferred_name="Amina", date_of_birth=dt.date(today.year - 30, 1, 1))
    client.force_login(cast.coordinator)

    assert _edit(client, adult, consent_photo="on", consent_story="on").status_code == 302

    adult.refresh_from_db()
    assert adult.consent_photo and adult.consent_story
    rows = Consent.objects.filter(learner=adult)
    assert {(r.purpose, r.method, r.given_by) for r in rows} == {
        ("photo", "in_person", cast.coordinator),
        ("story", "in_person", cast.coordinator),
    }

    assert _edit(client, adult, consent_story="on").status_code == 302  # photo unticked
    photo = Consent.objects.get(learner=adult, purpose="photo")
    assert (photo.withdrawn_by, photo.withdrawn_method) == (cast.coordinator, "in_person")
    adult.refresh_from_db()
    assert not adult.consent_photo and adult.consent_story


def test_a_childs_consent_is_recorded_as_given_by_the_guardian(client, cast, site):
    child = ChildFactory(consent_photo=False, consent_share_progress=False)
    client.force_login(cast.coordinator)

    edited = _edit(client, child, consent_share_progress="on", guardian_phone="+85261230001")
    assert edited.status_code == 302

    row = Consent.objects.get(learner=child)
    assert (row.purpose, row.method) == ("share_progress", "guardian")


def test_the_edit_page_shows_the_consent_history(client, cast, site):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    _edit(client, learner, consent_photo="on")
    _edit(client, learner)

    page = client.get(f"{INDEX}edit/{learner.pk}/").content.decode()

    assert "Consent history" in page
    assert "in person, recorded by centre staff" in page
    name = cast.coordinator.get_full_name() or cast.coordinator.username
    assert page.count(f"(recorded by {name})") == 2  # given, then withdrawn


@pytest.fixture
def story(site):
    page = StoryPage(title="A story", slug="a-story", learner_name="Amina", quote="Hello.")
    site.home.add_child(instance=page)
    return page


def test_linking_a_story_to_a_learner_without_consent_is_refused(client, cast, story):
    learner = LearnerFactory()
    client.force_login(cast.coordinator)
    url = "/admin/enrolment/story-subjects/new/"

    response = client.post(url, {"story": story.pk, "learner": learner.pk})
    assert response.status_code == 200
    assert "has not agreed to a story being published" in response.content.decode()
    assert not StorySubject.objects.exists()

    _edit(client, learner, consent_story="on")
    assert client.post(url, {"story": story.pk, "learner": learner.pk}).status_code == 302
    assert StorySubject.objects.get().linked_by == cast.coordinator


def test_the_stories_learners_are_not_for_teachers_or_translators(client, cast, site):
    for who in (cast.teacher, cast.translator):
        client.force_login(who)
        assert client.get("/admin/enrolment/story-subjects/").status_code in (302, 403)


def test_publishing_a_story_whose_learner_withdrew_is_refused_with_the_reason(rf, cast, story):
    from django.contrib.messages import get_messages
    from django.contrib.messages.storage.fallback import FallbackStorage

    from enrolment.admin.stories import story_publish_guard
    from enrolment.services.consents import consent_give, consent_withdraw, story_subject_link

    learner = LearnerFactory()
    consent_give(learner=learner, purpose="story", by=cast.coordinator, method="in_person")
    story_subject_link(story=story, learner=learner, by=cast.coordinator)
    request = rf.post("/admin/pages/")
    request.user = cast.coordinator
    request.session = {}
    request._messages = FallbackStorage(request)
    assert story_publish_guard(request, story) is None

    consent_withdraw(learner=learner, purpose="story", by=cast.coordinator, method="in_person")
    response = story_publish_guard(request, story)

    assert response.status_code == 302
    assert "cannot be published" in str(list(get_messages(request))[0])
