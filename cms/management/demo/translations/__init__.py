"""The demo's pages in the four other languages: the home page, the catalogue, the story and
every course of the first copy (further copies, at --scale N, show the English fallback).

One module of data per language. Translations are made as the admin's Translate action makes
them (a copy of the English page in the locale's tree, then its text replaced) and are left
alone once they exist, so seeding twice changes nothing.
"""

from wagtail.models import Locale, Page

from cms.management.demo.translations import ar, fr, ur, zh_hant
from cms.models import HomePage, StoryPage
from courses.models import CourseIndexPage, CoursePage

LANGUAGES = {"zh-hant": zh_hant, "ar": ar, "fr": fr, "ur": ur}


def translated_page(page: Page, locale: Locale, **fields) -> Page:
    """The published translation of `page` in `locale`, made with `fields` if missing."""
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing
    translation = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def build_translations(*, home: HomePage, catalogue: CourseIndexPage) -> int:
    """Every page above in every language of LANGUAGES; returns how many pages it made or
    found. Parents first: a page is translated into its parent's translation."""
    story = StoryPage.objects.child_of(home).get(slug="story-amina")
    courses = list(CoursePage.objects.child_of(catalogue).filter(slug__in=ar.COURSES))
    count = 0
    for code, data in LANGUAGES.items():
        locale = Locale.objects.get(language_code=code)
        for page in (home, catalogue, story):
            translated_page(page, locale, **data.PAGES[page.slug])
            count += 1
        for course in courses:
            title, summary = data.COURSES[course.slug]
            body = [("paragraph", data.COURSE_BODY)]
            translated_page(course, locale, title=title, summary=summary, body=body)
            count += 1
    return count
