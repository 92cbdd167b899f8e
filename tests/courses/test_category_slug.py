"""A category's slug is made from its name, unique in its language; nobody types it."""

import pytest

from courses.models import Category
from tests.conftest import html_of
from tests.factories import translate_snippet

pytestmark = pytest.mark.django_db
ADD = "/admin/snippets/courses/category/add/"


def test_a_coordinator_adds_a_category_without_typing_a_slug(client, cast, site):
    client.force_login(cast.coordinator)
    assert 'name="slug"' not in html_of(client.get(ADD))
    response = client.post(ADD, {"name": "Computer literacy", "description": ""})
    assert response.status_code == 302
    assert Category.objects.get(name="Computer literacy").slug == "computer-literacy"


def test_a_slug_already_taken_in_the_language_gets_a_number(site):
    Category.objects.create(name="English")
    assert Category.objects.create(name="English!").slug == "english-2"
    assert Category.objects.create(name="English?").slug == "english-3"


def test_a_name_without_latin_letters_still_gets_a_slug(site):
    assert Category.objects.create(name="廣東話").slug == "category"


def test_renaming_keeps_the_slug_so_links_stay_valid(site):
    category = Category.objects.create(name="GED")
    category.name = "GED (high school diploma)"
    category.full_clean()
    category.save()
    category.refresh_from_db()
    assert category.slug == "ged"


def test_a_translation_keeps_the_originals_slug(site):
    original = Category.objects.create(name="English")
    translation = translate_snippet(original, "fr", name="Anglais")
    assert translation.slug == "english"
