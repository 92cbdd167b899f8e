"""/teach/runs/<id>/message/: a teacher writes to their class, its waitlist, or both. A preview
first (each language's text, counts per channel, who cannot be reached, SMS parts), then one
message per learner by their channel, after the commit."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enrolment.models import Message, MessageKind, MessageStatus, SkipReason
from enrolment.services.message_backends import MemoryBackend
from tests.conftest import html_of
from tests.dates import local_today
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db


TEXT = "No class tonight, the room is flooded.\nSee you on Thursday."


@pytest.fixture
def run(site, cast):
    return CourseRunFactory(
        course__parent=site.catalogue,
        teachers=[cast.teacher],
        start_date=local_today() - dt.timedelta(days=7),
        end_date=local_today() + dt.timedelta(days=30),
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def url(run) -> str:
    return f"/teach/runs/{run.pk}/message/"


def seat(run, status="enrolled", **learner):
    return EnrolmentFactory(run=run, status=status, learner=LearnerFactory(**learner)).learner


@pytest.fixture
def people(run):
    return {
        "fr": seat(run, by_sms=True, preferred_language="fr", preferred_name="Amina"),
        "zh": seat(run, by_whatsapp=True, preferred_language="zh-hant", preferred_name="Bo"),
        "en": seat(run, by_email=True, preferred_language="en", preferred_name="Chloe"),
        "stopped": seat(
            run,
            by_sms=True,
            preferred_name="Dawit",
            messages_stopped_at=timezone.now(),
        ),
        "waiting": seat(run, "waitlisted", by_sms=True, preferred_name="Esther"),
        "offered": seat(run, "offered", by_sms=True, preferred_name="Farid"),
        "withdrawn": seat(run, "withdrawn", by_sms=True, preferred_name="Gul"),
    }


def preview(client, run, text=TEXT, audience="enrolled"):
    return client.post(url(run), {"audience": audience, "text": text, "preview": "1"})


def test_the_teacher_previews_then_sends_one_message_to_each_learner(
    client, cast, run, people, committed
):
    client.force_login(cast.teacher)
    assert client.get(url(run)).status_code == 200
    response = preview(client, run)
    html = html_of(response)
    shown = response.context["preview"]
    assert Message.objects.count() == 0  # a preview writes nothing
    assert shown.total == 4 and shown.reached == 3
    assert dict(shown.channels) == {"WhatsApp": 1, "Text message (SMS)": 1, "Email": 1}
    assert [(p.name, p.reason) for p in shown.unreachable] == [
        ("Dawit", SkipReason.OPTED_OUT.label)
    ]
    texts = {group.language: group.text for group in shown.languages}
    assert texts["fr"].endswith(" : " + TEXT) and texts["zh-hant"].endswith("：" + TEXT)
    assert "Dawit" in html and "asked for no more messages" in html
    assert "Send to 3 people" in html
    token = response.context["form"]["token"].value()

    with committed():
        response = client.post(
            url(run),
            {"audience": "enrolled", "text": shown.text, "token": token, "send": "1"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == "/teach/"
    assert "Sent to 3 people. 1 could not be reached." in html_of(response)
    sent = {(s.channel, s.to): s.body for s in MemoryBackend.outbox}
    assert sent == {
        ("sms", people["fr"].phone): texts["fr"],
        ("whatsapp", people["zh"].phone): texts["zh-hant"],
    }
    [email] = mail.outbox
    assert email.to == [people["en"].email] and TEXT in email.body
    rows = Message.objects.filter(kind=MessageKind.STAFF)
    assert rows.count() == 4 and {m.sent_by for m in rows} == {cast.teacher}
    assert rows.get(learner=people["stopped"]).status == MessageStatus.SKIPPED

    # "Send" clicked again: nobody is told twice.
    with committed():
        client.post(
            url(run), {"audience": "enrolled", "text": shown.text, "token": token, "send": "1"}
        )
    assert len(MemoryBackend.outbox) == 2 and rows.count() == 4


def test_the_waitlist_gets_it_without_the_class(client, cast, run, people, committed):
    client.force_login(cast.coordinator)
    shown = preview(client, run, audience="waitlist").context["preview"]
    assert shown.total == 2 and dict(shown.channels) == {"Text message (SMS)": 2}
    with committed():
        client.post(url(run), {"audience": "waitlist", "text": TEXT, "send": "1"})
    assert sorted(s.to for s in MemoryBackend.outbox) == sorted(
        [people["waiting"].phone, people["offered"].phone]
    )
    assert preview(client, run, audience="both").context["preview"].total == 6


def test_unreachable_learners_are_listed_with_why(client, cast, run):
    seat(run, preferred_name="Hana", message_channel="none")
    seat(run, by_sms=True, preferred_name="Ishaq", messages_consent_at=None)
    seat(run, by_sms=True, preferred_name="Jin", phone="")
    client.force_login(cast.teacher)
    response = preview(client, run)
    assert [(p.name, p.reason) for p in response.context["preview"].unreachable] == [
        ("Hana", SkipReason.NO_CHANNEL.label),
        ("Ishaq", SkipReason.NO_CONSENT.label),
        ("Jin", SkipReason.NO_ADDRESS.label),
    ]
    assert "Send to" not in html_of(response)  # nobody to send to: no button


def test_segments_are_counted_per_language(client, cast, run):
    seat(run, by_sms=True, preferred_language="en")
    seat(run, by_sms=True, preferred_language="zh-hant")
    client.force_login(cast.teacher)
    response = preview(client, run, text="x" * 100)
    segments = {g.language: g.segments for g in response.context["preview"].languages}
    assert segments["en"] == 1  # plain letters: 160 to a part
    assert segments["zh-hant"] == 2  # the Chinese colon makes it UCS-2: 67 to a part
    assert "As a text message: 2 parts." in html_of(response)


@pytest.mark.parametrize(
    "text, error",
    [
        ("   ", "Write the message first."),
        ("x" * 601, "The message is 601 characters long. Keep it to 600"),
        ("Stop\x1b[31m", "invisible control character"),
    ],
)
def test_an_empty_long_or_garbled_text_is_refused_and_nothing_is_sent(
    client, cast, run, people, committed, text, error
):
    client.force_login(cast.teacher)
    assert error in html_of(preview(client, run, text=text))
    with committed():
        response = client.post(url(run), {"audience": "enrolled", "text": text, "send": "1"})
    assert response.status_code == 200 and error in html_of(response)
    assert Message.objects.count() == 0 and MemoryBackend.outbox == []


def test_another_teacher_gets_404_and_a_learner_the_teachers_only_page(client, cast, run, people):
    client.force_login(cast.other_teacher)
    assert client.get(url(run)).status_code == 404
    assert preview(client, run).status_code == 404
    client.force_login(cast.learner)
    assert (
        client.post(url(run), {"audience": "enrolled", "text": TEXT, "send": "1"}).status_code
        == 403
    )
    assert Message.objects.count() == 0


def test_the_page_is_linked_from_teach_and_the_admin_run_listing(client, cast, run):
    client.force_login(cast.teacher)
    assert url(run) in html_of(client.get("/teach/"))
    client.force_login(cast.coordinator)
    assert url(run) in html_of(client.get("/admin/timetable/runs/"))


def test_the_preview_costs_the_same_queries_for_2_or_12_learners(client, cast, run):
    client.force_login(cast.teacher)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert preview(client, run).status_code == 200
        return len(queries)

    for language in ("en", "ar"):
        seat(run, by_sms=True, preferred_language=language)
    count()  # the first request also loads what is cached for the next (site, locale)
    few = count()
    for n in range(10):
        seat(
            run,
            by_whatsapp=True,
            preferred_language=["fr", "ur"][n % 2],
            messages_consent_at=None if n % 3 else timezone.now(),
        )
    assert count() == few
