"""The demo seeds the home page, the catalogue, the story and every course in each of the
four other languages, and seeding twice changes nothing."""

from django.utils.html import escape
from wagtail.models import Page

from cms.management.demo import build_demo
from cms.management.demo.programme import COURSES
from cms.management.demo.translations import LANGUAGES
from tests.conftest import html_of


def test_the_demo_seeds_every_page_in_every_language(db, client):
    build_demo(scale=1)
    pages = Page.objects.count()

    for code, data in LANGUAGES.items():
        home = html_of(client.get(f"/{code}/"))
        assert escape(data.PAGES["home"]["title"]) in home
        assert escape(data.PAGES["story-amina"]["quote"]) in home
        catalogue = client.get(f"/{code}/courses/")
        shown = {course.title for course in catalogue.context["page_obj"].paginator.object_list}
        assert shown == {title for title, _summary in data.COURSES.values()}
        assert "(in English)" not in html_of(catalogue)
        course = html_of(client.get(f"/{code}/courses/{COURSES[0].slug}/"))
        assert escape(data.COURSES[COURSES[0].slug][1]) in course

    build_demo(scale=1)
    assert Page.objects.count() == pages
