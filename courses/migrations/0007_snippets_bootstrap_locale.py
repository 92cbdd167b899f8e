"""Every category, partner and venue that exists before they became translatable is an
original in the default locale, with a translation key of its own (Wagtail's bootstrap step:
no row is lost or changed otherwise)."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0006_snippets_bootstrap_translatable"),
        # The default locale (English), which the originals are put in.
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [
        BootstrapTranslatableModel("courses.Category"),
        BootstrapTranslatableModel("courses.Partner"),
        BootstrapTranslatableModel("courses.Venue"),
    ]
