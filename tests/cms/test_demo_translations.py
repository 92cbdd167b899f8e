"""The demo seeds the home page, the catalogue, the story and every course in each of the
four other languages, with every category, partner and venue, and seeding twice changes
nothing."""

from django.utils.html import escape
from wagtail.models import Locale, Page

from cms.management.demo import build_demo
from cms.management.demo.programme import CATEGORIES, COURSES, VENUES
from cms.management.demo.translations import LANGUAGES
from courses.models import Category, Partner, Venue
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


def test_the_demo_seeds_every_category_partner_and_venue_in_every_language(db, client):
    build_demo(scale=1)
    rows = {model: model.objects.count() for model in (Category, Partner, Venue)}

    for code, data in LANGUAGES.items():
        locale = Locale.objects.get(language_code=code)
        for model in (Category, Partner, Venue):
            for original in model.objects.originals():
                assert original.has_translation(locale), (code, original)
        assert set(data.CATEGORIES) == {slug for slug, _name in CATEGORIES}
        assert set(data.VENUES) == set(VENUES)
        # Partners keep their proper names; subjects and venues read in the language.
        assert {p.name for p in Partner.objects.filter(locale=locale)} == {
            p.name for p in Partner.objects.originals()
        }
        catalogue = html_of(client.get(f"/{code}/courses/"))
        for slug, name in data.CATEGORIES.items():
            assert f'<option value="{slug}">{escape(name)}</option>' in catalogue
        course = html_of(client.get(f"/{code}/courses/{COURSES[0].slug}/"))
        name, address, district, directions, accessibility = data.VENUES[COURSES[0].venue]
        for text in (name, address, district, directions, accessibility):
            assert escape(text) in course, (code, text)

    build_demo(scale=1)
    assert rows == {model: model.objects.count() for model in (Category, Partner, Venue)}
