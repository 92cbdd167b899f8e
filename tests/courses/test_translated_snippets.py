"""Categories, partners and venues in the visitor's language: translated where a translation
exists, else as written; a course always points at the original, so filters and search work
the same in every language."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.fields import get_translatable_fields
from wagtail_localize.models import StringTranslation, Translation

from courses.models import Category, CoursePage
from tests.conftest import html_of
from tests.factories import (
    CategoryFactory,
    CoursePageFactory,
    CourseRunFactory,
    EnrolmentFactory,
    PartnerFactory,
    VenueFactory,
    translate_page,
    translate_snippet,
)

pytestmark = pytest.mark.django_db

ENGLISH_AR = "اللغة الإنجليزية"
COUNCIL_AR = "المجلس الثقافي البريطاني"


def titles(response) -> set[str]:
    return {course.title for course in response.context["page_obj"].object_list}


@pytest.fixture
def arabic_site(site):
    translate_page(site.home, "ar", title="أهلا وسهلا")
    translate_page(site.catalogue, "ar", title="الدورات")
    return site


@pytest.fixture
def world(arabic_site):
    english = CategoryFactory(name="English", slug="english")
    computers = CategoryFactory(name="Computers", slug="computers")  # never translated
    translate_snippet(english, "ar", name=ENGLISH_AR)
    council = PartnerFactory(name="British Council")
    translate_snippet(council, "ar", name=COUNCIL_AR)
    centre = VenueFactory(
        name="Main centre",
        address="3/F, 128 Un Chau Street",
        district="Sham Shui Po",
        directions="Sham Shui Po MTR, exit A2.",
        accessibility="A lift goes to the third floor.",
    )
    translate_snippet(
        centre,
        "ar",
        name="المركز الرئيسي",
        address="الطابق 3، 128 Un Chau Street",
        district="شام شوي بو",
        directions="محطة MTR شام شوي بو، المخرج A2.",
        accessibility="يوجد مصعد إلى الطابق الثالث.",
    )
    classroom = VenueFactory(name="Yau Ma Tei classroom", district="Yau Ma Tei")  # never translated
    a1 = CoursePageFactory(
        title="English A1",
        slug="english-a1",
        category=english,
        partner=council,
        summary="Speak about your day.",
        parent=arabic_site.catalogue,
    )
    pcs = CoursePageFactory(
        title="Computers for starters",
        slug="computers",
        category=computers,
        summary="Mouse, keyboard and e-mail.",
        parent=arabic_site.catalogue,
    )
    CourseRunFactory(course=a1, code="ENG-A1-01", venue=centre)
    CourseRunFactory(course=a1, code="ENG-A1-02", venue=classroom)
    CourseRunFactory(course=pcs, code="PC-01", venue=classroom)
    translate_page(a1, "ar", title="دورة A1", summary="تكلّم عن يومك.")
    return {"english": english, "computers": computers, "council": council, "a1": a1, "pcs": pcs}


def test_the_arabic_catalogue_names_each_subject_in_arabic_or_as_written(client, world):
    response = client.get("/ar/courses/")
    html = html_of(response)
    assert f'<span class="tag"><bdi>{ENGLISH_AR}</bdi></span>' in html
    assert '<span class="tag"><bdi>Computers</bdi></span>' in html  # no translation yet
    # The filter offers the same subjects, by the original's slug, named in Arabic.
    assert f'<option value="english">{ENGLISH_AR}</option>' in html
    assert '<option value="computers">Computers</option>' in html


def test_the_english_catalogue_keeps_the_original_names(client, world):
    html = html_of(client.get("/courses/"))
    assert '<span class="tag"><bdi>English</bdi></span>' in html
    assert '<option value="english">English</option>' in html
    assert ENGLISH_AR not in html


def test_the_arabic_course_page_shows_subject_partner_and_venue_in_arabic(client, world):
    html = html_of(client.get("/ar/courses/english-a1/"))
    assert f"<dd><bdi>{ENGLISH_AR}</bdi></dd>" in html
    assert f"<dd><bdi>{COUNCIL_AR}</bdi></dd>" in html
    assert "<bdi>المركز الرئيسي</bdi>, <bdi>شام شوي بو</bdi>" in html
    assert "الطابق 3، 128 Un Chau Street" in html
    assert "محطة MTR شام شوي بو، المخرج A2." in html
    assert "يوجد مصعد إلى الطابق الثالث." in html
    # The venue nobody translated yet is shown as written, never left out.
    assert "<bdi>Yau Ma Tei classroom</bdi>, <bdi>Yau Ma Tei</bdi>" in html
    assert "Main centre" not in html and "British Council" not in html


def test_the_english_course_page_keeps_the_original_names(client, world):
    html = html_of(client.get("/courses/english-a1/"))
    assert "<dd><bdi>English</bdi></dd>" in html
    assert "<dd><bdi>British Council</bdi></dd>" in html
    assert "<bdi>Main centre</bdi>, <bdi>Sham Shui Po</bdi>" in html
    assert "Sham Shui Po MTR, exit A2." in html
    assert "المركز الرئيسي" not in html


@pytest.mark.parametrize(
    "query, expected",
    [
        # The subject filter takes the original's slug in every language.
        ("category=english", {"دورة A1"}),
        ("category=computers", {"Computers for starters"}),
        # Search finds a course by its subject's or partner's name in Arabic ...
        ("q=اللغة", {"دورة A1"}),
        ("q=المجلس+الثقافي", {"دورة A1"}),
        # ... and still by the English names.
        ("q=british+council", {"دورة A1"}),
        ("q=computers", {"Computers for starters"}),
    ],
)
def test_filter_and_search_by_subject_work_in_arabic(client, world, query, expected):
    response = client.get(f"/ar/courses/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


def test_an_english_visitor_finds_a_course_by_its_arabic_subject_name_too(client, world):
    assert titles(client.get("/courses/?q=اللغة")) == {"English A1"}


def test_a_slug_of_a_translation_is_not_a_second_subject(client, world):
    # Translations keep the original's slug; the filter offers each subject once.
    html = html_of(client.get("/ar/courses/"))
    assert html.count('<option value="english">') == 1


def _catalogue_queries(client, site, *, subjects, translated):
    for n in range(subjects):
        category = CategoryFactory(name=f"Subject {subjects}-{n}", slug=f"s-{subjects}-{n}")
        partner = PartnerFactory(name=f"Partner {subjects}-{n}")
        for code in ("ar", "fr", "ur", "zh-hant")[:translated]:
            translate_snippet(category, code, name=f"{code} subject {subjects}-{n}")
            translate_snippet(partner, code, name=f"{code} partner {subjects}-{n}")
        course = CoursePageFactory(
            title=f"Course {subjects}-{n}",
            category=category,
            partner=partner,
            parent=site.catalogue,
        )
        EnrolmentFactory(run=CourseRunFactory(course=course, capacity=2))
        translate_page(course, "ar", title=f"ar {subjects}-{n}")
    client.get("/ar/courses/")  # warm caches (site root, settings) like any later visit
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/ar/courses/?q=subject")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count >= subjects
    return len(ctx.captured_queries)


def test_the_catalogue_query_count_does_not_grow_with_translated_snippets(client, arabic_site):
    for code in ("fr", "ur", "zh-hant"):
        translate_page(arabic_site.home, code, title=f"Home {code}")
        translate_page(arabic_site.catalogue, code, title=f"Courses {code}")
    few = _catalogue_queries(client, arabic_site, subjects=2, translated=1)
    many = _catalogue_queries(client, arabic_site, subjects=9, translated=4)
    assert few == many


def test_the_course_page_query_count_does_not_grow_with_runs_at_translated_venues(client, world):
    def cost() -> int:
        client.get("/ar/courses/english-a1/")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/ar/courses/english-a1/").status_code == 200
        return len(ctx.captured_queries)

    two = cost()
    for n in range(6):
        venue = VenueFactory(name=f"Room {n}")
        translate_snippet(venue, "ar", name=f"غرفة {n}")
        CourseRunFactory(course=world["a1"], code=f"MORE-{n}", venue=venue)
    assert cost() == two


# --- one name per language -------------------------------------------------------------------


def test_a_translation_may_share_the_originals_name_but_not_a_neighbours(world):
    council = world["council"]
    same_name = translate_snippet(council, "fr")  # "British Council" in French too
    assert same_name.name == council.name
    clash = Category(name="English", slug="english-2", locale=Locale.get_default())
    with pytest.raises(ValidationError) as refused:
        clash.full_clean()
    assert "name" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Category.objects.create(name="Computers", slug="other", locale=Locale.get_default())


def test_the_admin_refuses_a_second_subject_of_the_same_name_with_a_message(client, cast, world):
    client.force_login(cast.coordinator)
    url = reverse("wagtailsnippets_courses_category:add")
    response = client.post(url, {"name": "English", "description": ""})
    assert response.status_code == 200
    html = html_of(response)
    assert "This name is already used in this language." in html
    assert Category.objects.filter(name="English").count() == 1


def test_a_course_points_at_the_original_not_at_a_translation(world):
    course = CoursePage.objects.get(pk=world["a1"].pk)
    course.category = Category.objects.get(name=ENGLISH_AR)
    with pytest.raises(ValidationError) as refused:
        course.full_clean()
    assert "category" in refused.value.message_dict


def test_the_chooser_offers_the_originals_only(client, cast, world):
    client.force_login(cast.coordinator)
    response = client.get(reverse("wagtailsnippetchoosers_courses_category:choose"))
    html = response.json()["html"]
    arabic = Category.objects.get(name=ENGLISH_AR)

    def chosen(category):
        return reverse("wagtailsnippetchoosers_courses_category:chosen", args=[category.pk])

    assert chosen(world["english"]) in html and chosen(world["computers"]) in html
    assert chosen(arabic) not in html and ENGLISH_AR not in html
    # Searched, too: by the original's name, and by the translation's, which finds nothing.
    results = reverse("wagtailsnippetchoosers_courses_category:choose_results")
    found = html_of(client.get(results, {"q": "English"}))
    assert chosen(world["english"]) in found and chosen(arabic) not in found
    assert chosen(arabic) not in html_of(client.get(results, {"q": ENGLISH_AR}))


# --- translated by staff with wagtail-localize ----------------------------------------------


def test_a_coordinator_translates_a_subject_in_the_admin(client, cast, world):
    computers = world["computers"]
    client.force_login(cast.coordinator)
    listing = html_of(client.get(reverse("wagtailsnippets_courses_category:list")))
    submit = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["courses", "category", computers.pk],
    )
    assert submit in listing  # the "Translate" action
    arabic = Locale.objects.get(language_code="ar")
    response = client.post(submit, {"locales": [arabic.pk]})
    assert response.status_code == 302
    # The volunteer fills in the name in wagtail-localize's editor, then saves.
    translation = Translation.objects.get(source__object_id=computers.translation_key)
    for segment in translation.source.stringsegment_set.select_related("string"):
        if segment.string.data == "Computers":
            StringTranslation.objects.create(
                translation_of=segment.string,
                locale=arabic,
                context=segment.context,
                data="الحاسوب",
            )
    translation.save_target(user=cast.coordinator, publish=True)

    arabic_copy = computers.get_translation(arabic)
    assert arabic_copy.name == "الحاسوب"
    assert arabic_copy.slug == "computers"  # the filter's value stays the same
    html = html_of(client.get("/ar/courses/"))
    assert '<option value="computers">الحاسوب</option>' in html


def test_a_name_already_used_in_the_language_is_refused_on_that_string(client, cast, world):
    computers = world["computers"]
    client.force_login(cast.coordinator)
    arabic = Locale.objects.get(language_code="ar")
    submit = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["courses", "category", computers.pk],
    )
    client.post(submit, {"locales": [arabic.pk]})
    translation = Translation.objects.get(source__object_id=computers.translation_key)
    segment = translation.source.stringsegment_set.get(string__data="Computers")
    # The volunteer gives it the Arabic name another subject already has.
    name = StringTranslation.objects.create(
        translation_of=segment.string, locale=arabic, context=segment.context, data=ENGLISH_AR
    )
    with pytest.raises(ValidationError):
        translation.save_target(user=cast.coordinator, publish=True)
    name.refresh_from_db()
    assert name.has_error
    assert "This name is already used in this language." in name.get_error()


def test_a_course_translated_with_wagtail_localize_keeps_the_original_subject(client, cast, world):
    pcs = world["pcs"]
    client.force_login(cast.coordinator)
    arabic = Locale.objects.get(language_code="ar")
    submit = reverse("wagtail_localize:submit_page_translation", args=[pcs.pk])
    assert client.post(submit, {"locales": [arabic.pk]}).status_code == 302
    translation = CoursePage.objects.get(translation_key=pcs.translation_key, locale=arabic)
    # Not a copy of the subject in Arabic: the page shows the subject's own translation.
    assert translation.category_id == world["computers"].pk
    assert not Category.objects.filter(locale=arabic, slug="computers").exists()


def test_course_translations_follow_wagtail_localize_but_share_category_and_partner(monkeypatch):
    declared = {field.field_name: type(field) for field in CoursePage.translatable_fields}
    monkeypatch.delattr(CoursePage, "translatable_fields")
    derived = {field.field_name: type(field) for field in get_translatable_fields(CoursePage)}
    # Every field wagtail-localize knows of is declared, and only category and partner differ.
    assert declared.keys() == derived.keys()
    differ = {name for name in declared if declared[name] is not derived[name]}
    assert differ == {"category", "partner"}
