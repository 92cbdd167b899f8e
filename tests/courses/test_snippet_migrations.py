"""Making categories, partners and venues translatable keeps every row a site already has: each
becomes the original, in the default locale, with its own translation key, its id and text
unchanged (courses 0006-0008, Wagtail's bootstrap steps)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Locale

from courses.models import Category, Partner, Venue

BEFORE = [("courses", "0005_courserun_absence_alert_after")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_snippets_become_originals_in_the_default_locale():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    old_category = old.get_model("courses", "Category")
    english = old_category.objects.create(name="English", slug="english")
    ged = old_category.objects.create(name="GED", slug="ged", description="Four subjects.")
    council = old.get_model("courses", "Partner").objects.create(name="British Council")
    centre = old.get_model("courses", "Venue").objects.create(
        name="Main centre", address="3/F, 128 Un Chau Street", district="Sham Shui Po"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    default = Locale.get_default()
    rows = [*Category.objects.all(), *Partner.objects.all(), *Venue.objects.all()]
    assert {(type(row).__name__, row.pk) for row in rows} == {
        ("Category", english.pk),
        ("Category", ged.pk),
        ("Partner", council.pk),
        ("Venue", centre.pk),
    }
    assert all(row.locale_id == default.pk for row in rows)
    keys = [row.translation_key for row in rows]
    assert None not in keys and len(set(keys)) == len(keys)
    assert Category.objects.get(pk=ged.pk).description == "Four subjects."
    assert Venue.objects.get(pk=centre.pk).address == "3/F, 128 Un Chau Street"
    assert Category.objects.originals().count() == 2
