"""/calendar/: the page that gives out a feed link, and the .ics feed the token opens."""

import datetime as dt

import icalendar
import pytest
import segno
from django.utils import timezone

from enrolment.models import CalendarToken, EnrolmentStatus
from enrolment.services.calendars import calendar_token_get_or_create
from tests.factories import CoursePageFactory, CourseRunFactory, EnrolmentFactory, SessionFactory

pytestmark = pytest.mark.django_db
PAGE = "/calendar/"
NEW_LINK = "/calendar/new-link/"


@pytest.fixture
def runs(site, cast):
    """Lea takes English; Omar takes Photography; the teacher teaches English."""
    seated = timezone.now() - dt.timedelta(days=30)
    english = CourseRunFactory(
        course=CoursePageFactory(title="English A1", parent=site.catalogue),
        teachers=[cast.teacher],
    )
    photo = CourseRunFactory(
        course=CoursePageFactory(title="Photography", parent=site.catalogue),
        teachers=[cast.other_teacher],
    )
    for user, run in ((cast.learner, english), (cast.other_learner, photo)):
        EnrolmentFactory(
            learner=user.learner, run=run, status=EnrolmentStatus.ENROLLED, enrolled_at=seated
        )
        SessionFactory(run=run)
    return english, photo


def feed_url(user) -> str:
    return f"/calendar/{calendar_token_get_or_create(user=user).token}.ics"


def titles(response) -> list[str]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return [str(event["summary"]) for event in calendar.walk("VEVENT")]


# --- the feed ---------------------------------------------------------------------------------


def test_the_feed_needs_no_login_and_is_never_cached(client, cast, runs):
    response = client.get(feed_url(cast.learner))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control
    assert titles(response) == ["English A1"]


def test_an_unknown_token_is_a_404(client, runs):
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_a_replaced_token_is_a_404_and_the_new_one_works(client, cast, runs):
    old = feed_url(cast.learner)
    client.force_login(cast.learner)

    client.post(NEW_LINK)

    assert client.get(old).status_code == 404
    assert titles(client.get(feed_url(cast.learner))) == ["English A1"]


def test_the_token_is_the_identity_whoever_is_signed_in(client, cast, runs):
    client.force_login(cast.learner)  # signed in as Lea, holding Omar's link

    response = client.get(feed_url(cast.other_learner))

    assert titles(response) == ["Photography"]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("learner", ["English A1"]),
        ("other_learner", ["Photography"]),
        ("teacher", ["English A1"]),
        ("other_teacher", ["Photography"]),
        ("coordinator", []),
        ("sponsor", []),
    ],
)
def test_each_feed_holds_its_owners_classes(client, cast, runs, who, expected):
    assert titles(client.get(feed_url(getattr(cast, who)))) == expected


def test_the_feed_refuses_anything_but_reading(client, cast, runs):
    assert client.post(feed_url(cast.learner)).status_code == 405


# --- the page ---------------------------------------------------------------------------------


def test_the_page_sends_a_visitor_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/calendar/"


def test_looking_at_the_page_makes_no_link(client, cast, runs):
    client.force_login(cast.learner)

    html = client.get(PAGE).content.decode()

    assert "Make my calendar link" in html
    assert not CalendarToken.objects.exists()


@pytest.mark.parametrize("who", ["learner", "teacher", "coordinator"])
def test_making_a_link_shows_it_with_how_to_add_it(client, cast, runs, who):
    user = getattr(cast, who)
    client.force_login(user)

    response = client.post(NEW_LINK, follow=True)

    token = CalendarToken.objects.get(user=user).token
    html = response.content.decode()
    assert f'value="http://testserver/calendar/{token}.ics"' in html
    assert f'href="webcal://testserver/calendar/{token}.ics"' in html
    assert "iPhone" in html and "Make a new link" in html
    assert "Here is your calendar link." in html


def test_a_new_link_replaces_the_old_one_and_says_so(client, cast, runs):
    old = calendar_token_get_or_create(user=cast.learner).token
    client.force_login(cast.learner)

    response = client.post(NEW_LINK, follow=True)

    new = CalendarToken.objects.get(user=cast.learner).token
    assert new != old
    html = response.content.decode()
    assert new in html and old not in html
    assert "The old link no longer works" in html


def test_the_page_shows_only_the_users_own_link(client, cast, runs):
    other = calendar_token_get_or_create(user=cast.other_learner).token
    mine = calendar_token_get_or_create(user=cast.learner).token
    client.force_login(cast.learner)
    html = client.get(PAGE).content.decode()
    assert mine in html and other not in html


def test_a_new_link_is_a_post(client, cast, runs):
    client.force_login(cast.learner)
    assert client.get(NEW_LINK).status_code == 405
    assert not CalendarToken.objects.exists()


def test_a_sponsor_has_no_calendar(client, cast, runs):
    client.force_login(cast.sponsor)
    assert client.get(PAGE).status_code == 403
    assert client.post(NEW_LINK).status_code == 403
    assert not CalendarToken.objects.exists()


def test_learn_links_to_the_calendar_page(client, cast, runs):
    client.force_login(cast.learner)
    assert 'href="/calendar/"' in client.get("/learn/").content.decode()


def test_the_page_gives_a_way_that_works_on_the_phone_itself(client, cast, runs):
    token = calendar_token_get_or_create(user=cast.learner).token
    client.force_login(cast.learner)

    html = client.get(PAGE).content.decode()

    webcal = f"webcal://testserver/calendar/{token}.ics"
    assert f'href="{webcal}"' in html
    # The QR code is drawn on the server, inline: it encodes the same private link, so a
    # phone's camera subscribes; no <img> or script the strict CSP would have to allow.
    expected = segno.make(webcal, error="m")
    assert '<svg width="' in html and 'class="calendar-qr"' in html
    assert "<title>QR code of your calendar link</title>" in html
    assert expected.svg_inline(scale=5, border=4, light="#fff").split("<path", 1)[1][:200] in html
    # Android: on the phone, not "on a computer, open calendar.google.com".
    assert "calendar.google.com" not in html and "ICSx" in html


def test_the_qr_code_changes_with_a_new_link(client, cast, runs):
    calendar_token_get_or_create(user=cast.learner)
    client.force_login(cast.learner)
    before = client.get(PAGE).content.decode().split("<svg", 1)[1]

    client.post(NEW_LINK)

    after = client.get(PAGE).content.decode().split("<svg", 1)[1]
    assert before != after
