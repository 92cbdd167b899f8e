"""The locales pages are translated into: one per language of WAGTAIL_CONTENT_LANGUAGES.

Wagtail's own migration creates the default locale (English); a locale row is what the admin's
Translate action and the /ar/... page trees need. The codes are written out, not read from
the settings, so that this migration means the same thing forever.
"""

from django.db import migrations

CODES = ["zh-hant", "ar", "fr", "ur"]


def create_locales(apps, schema_editor):
    locale = apps.get_model("wagtailcore", "Locale")
    for code in CODES:
        locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_text_and_date_validators"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
