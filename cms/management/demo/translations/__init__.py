"""The demo in the four other languages: the home page, the catalogue, the story, every course
of the first copy (further copies, at --scale N, show the English fallback), and every
category, partner and venue.

One module of data per language. Translations are made as Wagtail's own Translate action makes
them (a copy of the original in the locale, then its text replaced) and are left alone once
they exist, so seeding twice changes nothing.
"""

from wagtail.models import Locale, Page, TranslatableMixin

from cms.management.demo.translations import ar, fr, ur, zh_hant
from cms.models import HomePage, StoryPage
from courses.models import Category, CourseIndexPage, CoursePage, Partner, Venue

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


def translated_snippet(snippet: TranslatableMixin, locale: Locale, **fields) -> TranslatableMixin:
    """The translation of `snippet` in `locale`, made with `fields` if missing."""
    existing = snippet.get_translation_or_none(locale)
    if existing is not None:
        return existing
    translation = snippet.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.full_clean()
    translation.save()
    return translation


def build_snippet_translations(
    *,
    categories: dict[str, Category],
    partners: dict[str, Partner],
    venues: dict[str, Venue],
) -> int:
    """Every category, partner and venue in every language of LANGUAGES; returns how many
    translations it made or found. Partners keep their names, which are proper names
    ("British Council"), in every language."""
    count = 0
    for code, data in LANGUAGES.items():
        locale = Locale.objects.get(language_code=code)
        for slug, category in categories.items():
            translated_snippet(category, locale, name=data.CATEGORIES[slug])
            count += 1
        for partner in partners.values():
            translated_snippet(partner, locale)
            count += 1
        for key, venue in venues.items():
            name, address, district, directions, accessibility = data.VENUES[key]
            translated_snippet(
                venue,
                locale,
                name=name,
                address=address,
                district=district,
                directions=directions,
                accessibility=accessibility,
            )
            count += 1
    return count


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
