import datetime as dt

import pytest

from cms.models import CentreSettings, StandardPage, StoryPage
from tests.factories import CoursePageFactory, CourseRunFactory, PageFactory

pytestmark = pytest.mark.django_db


class StandardPageFactory(PageFactory):
    class Meta:
        model = StandardPage


class StoryPageFactory(PageFactory):
    class Meta:
        model = StoryPage

    learner_name = "Amina"
    quote = "Now I help new learners."
    consent_given = True
    consent_date = dt.date(2026, 1, 5)


def test_the_home_page_shows_programmes_featured_courses_story_and_help(client, site):
    course = CoursePageFactory(title="English A1", parent=site.catalogue)
    story = StoryPageFactory(title="Amina's story", parent=site.home)
    site.home.programme_areas = [("area", {"title": "GED", "text": "Four subjects.", "page": None})]
    site.home.featured_courses = [("course", course)]
    site.home.featured_story = story
    site.home.get_help = "<p>Come to the front desk.</p>"
    site.home.save_revision().publish()

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Free courses for refugees.",
        "GED",
        "English A1",
        "Now I help new learners.",
        "Come to the front desk.",
    ]:
        assert text in html
    assert 'href="#main"' in html and 'id="main"' in html  # skip link and its target


def test_the_footer_shows_the_centre_settings(client, site):
    CentreSettings.objects.create(
        site=site.site,
        centre_name="Harbour Centre",
        phone="+852 2000 0000",
        opening_hours="Mon-Fri 9:30-20:30",
    )
    html = client.get("/").content.decode()
    assert "Harbour Centre" in html
    assert "+852 2000 0000" in html
    assert "Mon-Fri 9:30-20:30" in html


def test_a_standard_page_renders(client, site):
    page = StandardPageFactory(title="About us", introduction="Open since 2009.", parent=site.home)
    response = client.get(page.url)
    assert response.status_code == 200
    assert "Open since 2009." in response.content.decode()


def test_a_story_with_consent_renders(client, site):
    story = StoryPageFactory(title="Amina's story", parent=site.home)
    response = client.get(story.url)
    assert response.status_code == 200
    assert "Now I help new learners." in response.content.decode()


def test_a_story_whose_consent_was_withdrawn_is_not_served(client, site):
    story = StoryPageFactory(title="Amina's story", parent=site.home)
    story.consent_given = False
    story.save_revision().publish()
    assert client.get(story.url).status_code == 404


def test_the_home_page_hides_a_featured_story_without_consent(client, site):
    story = StoryPageFactory(
        title="Amina's story", parent=site.home, consent_given=False, consent_date=None
    )
    site.home.featured_story = story
    site.home.save_revision().publish()
    assert "Now I help new learners." not in client.get("/").content.decode()


def test_the_course_page_shows_runs_with_schedule_venue_teachers_and_seats(client, site, cast):
    course = CoursePageFactory(title="English A1", parent=site.catalogue)
    run = CourseRunFactory(
        course=course,
        weekdays="02",
        start_time=dt.time(18, 30),
        end_time=dt.time(20, 30),
        capacity=12,
        teachers=[cast.teacher],
    )
    response = client.get(course.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mon, Wed 18:30–20:30" in html
    assert run.venue.name in html
    assert "Grace H." in html  # a display name, never the username or full family name
    assert "teacher" not in html.lower().split("teachers")[0][-10:]  # no username leak
    assert ">12<" in html
    # A visitor without an account is offered sign-up first, then sign-in.
    assert "To enrol, you need an account." in html
    assert html.index("/accounts/signup/?next=") < html.index("/accounts/login/?next=")


def test_a_full_run_offers_the_waitlist(client, site):
    from tests.factories import EnrolmentFactory

    run = CourseRunFactory(course=CoursePageFactory(parent=site.catalogue), capacity=1)
    EnrolmentFactory(run=run)
    html = client.get(run.course.url).content.decode()
    assert "Full" in html
    assert "To join the waitlist, you need an account." in html


def test_draft_and_finished_runs_are_not_shown(client, site):
    course = CoursePageFactory(parent=site.catalogue)
    CourseRunFactory(course=course, code="DRAFT-RUN", status="draft")
    CourseRunFactory(
        course=course, code="OLD-RUN", start_date=dt.date(2020, 1, 6), end_date=dt.date(2020, 3, 1)
    )
    html = client.get(course.url).content.decode()
    assert "DRAFT-RUN" not in html
    assert "OLD-RUN" not in html
    assert "No classes are planned yet" in html


def test_the_page_tree_has_the_catalogue_under_home(site):
    assert site.catalogue.get_parent().specific == site.home
    assert site.catalogue.url == "/courses/"
