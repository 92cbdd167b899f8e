"""Anonymous visitors' catalogue and course pages come from the shared cache (issue 16): a hit
runs no query, a seat taken or freed or a page published shows at the next visit, and nobody
signed in ever reads or fills it."""

import gzip

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cms import page_cache
from enrolment.services.enrolling import enrolment_create, enrolment_withdraw
from tests.conftest import html_of
from tests.factories import CoursePageFactory, CourseRunFactory, LearnerFactory

PUBLIC_PAGES = ["/", "/courses/", "/courses/english-a1/", "/ar/courses/english-a1/"]


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def course(site):
    course = CoursePageFactory(title="English A1", slug="english-a1", parent=site.catalogue)
    CourseRunFactory(course=course, code="A1-EVE", capacity=2)
    return course


def seats_left(html: str) -> str:
    """The number after "Seats left" on the course page."""
    start = html.index("Seats left")
    dd = html.index("<dd>", start) + len("<dd>")
    return html[dd : html.index("</dd>", dd)]


def queries_of(client, url: str, **headers) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(captured), response


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_second_anonymous_visit_is_served_without_a_query(client, course, url):
    cold, first = queries_of(client, url)
    hit, second = queries_of(client, url)

    assert cold > 0
    assert hit == 0
    assert second.content == first.content


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_anonymous_pages_set_no_cookie_and_vary_on_cookie_and_encoding(client, course, url):
    for _visit in range(2):  # cold, then from the cache
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
        vary = {v.strip() for v in response["Vary"].split(",")}
        assert {"Cookie", "Accept-Encoding"} <= vary
        assert response["Content-Encoding"] == "gzip"
        assert "no-store" not in response.get("Cache-Control", "")
        # The headers the outer middleware adds are there on a hit too.
        assert "Content-Security-Policy" in response.headers
        assert response["X-Frame-Options"] == "DENY"


def test_a_compressed_hit_is_the_same_page(client, course):
    plain = html_of(client.get("/courses/english-a1/"))
    compressed = client.get("/courses/english-a1/", HTTP_ACCEPT_ENCODING="gzip, br")

    assert compressed["Content-Encoding"] == "gzip"
    assert int(compressed["Content-Length"]) < len(plain) / 2
    assert gzip.decompress(compressed.content).decode() == plain


def test_enrolling_a_learner_shows_one_seat_fewer_at_the_next_visit(
    client, course, django_capture_on_commit_callbacks
):
    run = course.course_runs().get()
    assert seats_left(html_of(client.get("/courses/english-a1/"))) == "2"
    assert seats_left(html_of(client.get("/courses/english-a1/"))) == "2"  # from the cache
    arabic = html_of(client.get("/ar/courses/english-a1/"))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enrolment = enrolment_create(learner=LearnerFactory(), run=run, by=None)
    assert callbacks, "the cache is told again once the seat is committed"

    assert seats_left(html_of(client.get("/courses/english-a1/"))) == "1"
    # ... in every language.
    assert html_of(client.get("/ar/courses/english-a1/")) != arabic

    enrolment_withdraw(enrolment=enrolment, by=None)
    assert seats_left(html_of(client.get("/courses/english-a1/"))) == "2"


def test_the_last_seat_taken_turns_the_catalogue_card_to_waitlist_only(client, site):
    course = CoursePageFactory(title="Photography", parent=site.catalogue)
    run = CourseRunFactory(course=course, capacity=1)
    assert "Seats free" in html_of(client.get("/courses/"))
    assert queries_of(client, "/courses/")[0] == 0

    enrolment_create(learner=LearnerFactory(), run=run, by=None)

    html = html_of(client.get("/courses/"))
    assert "Waitlist only" in html and "Seats free" not in html


def test_publishing_a_page_replaces_every_cached_page(client, course):
    client.get("/courses/")
    before = page_cache._generation()

    CoursePageFactory(title="Computer literacy", parent=course.get_parent())

    assert page_cache._generation() != before
    assert "Computer literacy" in html_of(client.get("/courses/"))


def test_unpublishing_a_course_takes_it_off_the_cached_catalogue(client, course):
    assert "English A1" in html_of(client.get("/courses/"))

    course.unpublish()

    assert "English A1" not in html_of(client.get("/courses/"))
    assert client.get("/courses/english-a1/").status_code == 404


def test_a_signed_in_visitor_never_gets_the_cached_page_nor_fills_it(client, course, cast):
    client.get("/courses/english-a1/")  # cached for visitors
    client.force_login(cast.learner)

    cost, response = queries_of(client, "/courses/english-a1/")
    html = html_of(response)

    assert cost > 0
    assert "Sign out" in html and 'name="csrfmiddlewaretoken"' in html
    assert {"private", "no-store"} <= {v.strip() for v in response["Cache-Control"].split(",")}

    client.logout()
    page_cache._new_generation()  # nothing stored from before
    client.force_login(cast.learner)
    client.get("/courses/")
    client.logout()
    cost, response = queries_of(client, "/courses/")
    assert cost > 0, "the signed-in page was not stored"
    assert "Sign out" not in html_of(response)


def test_a_visitor_with_a_session_or_messages_cookie_is_not_served_from_the_cache(client, course):
    client.get("/courses/")
    client.cookies["sessionid"] = "not-a-session"
    assert queries_of(client, "/courses/")[0] > 0


def test_made_up_or_free_text_queries_are_not_stored(client, course):
    for url in [
        "/courses/?q=english",
        "/courses/?utm_source=spam",
        "/courses/?level=Z9",
        "/courses/?page=999",
        "/courses/?audience=adults&audience=children",
    ]:
        client.get(url)
        assert queries_of(client, url)[0] > 0, url


def test_known_filters_are_stored_once_whatever_their_order(client, course):
    client.get("/courses/?audience=adults&free_seats=on")

    assert queries_of(client, "/courses/?free_seats=on&audience=adults")[0] == 0


def test_each_language_is_stored_apart(client, course):
    english = html_of(client.get("/courses/english-a1/"))
    arabic = html_of(client.get("/ar/courses/english-a1/"))

    assert 'lang="en"' in english and 'lang="ar"' in arabic


def test_a_response_that_sets_a_cookie_or_is_private_is_not_stored(db, settings):
    """Whatever the page vouches for, an answer meant for one visitor is not kept."""
    answers = []

    def page(request):
        response = HttpResponse("<p>yours</p>")
        response.cache_for_visitors = True
        answers.append(response)
        if request.GET.get("kind") == "cookie":
            response.set_cookie("chosen", "1")
        elif request.GET.get("kind") == "private":
            response["Cache-Control"] = "private"
        return response

    middleware = page_cache.visitor_page_cache(page)
    factory = RequestFactory()
    for kind in ["cookie", "private", "plain"]:
        for _visit in range(2):
            request = factory.get(f"/courses/?kind={kind}")
            request.user = type("Anonymous", (), {"is_authenticated": False})()
            middleware(request)
    # Rendered twice each, but the plain one only once: it alone was stored.
    assert len(answers) == 5


def test_the_cache_can_be_switched_off(client, course, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/courses/")
    assert queries_of(client, "/courses/")[0] > 0
