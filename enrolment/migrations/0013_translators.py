"""The Translators role (issue 12): volunteers who translate the interface at /translate/ and
the pages with wagtail-localize, and see no one's personal data.

They may use the admin and submit translations, and edit and publish the pages of every tree
but the English one (each language's home page and what is under it); cms.translators grants
the same on a language's tree when its home page is first translated. Coordinators, who start
a language's pages (Translate, on the English home page), get the permission to submit
translations, which only superusers had.
"""

from django.conf import settings
from django.db import migrations

PAGE_ACTIONS = ["change", "publish"]


def create_translators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    submit = Permission.objects.get(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    )
    admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    translators, _created = Group.objects.get_or_create(name="Translators")
    translators.permissions.add(admin, submit)
    for coordinators in Group.objects.filter(name="Coordinators"):
        coordinators.permissions.add(submit)

    page_permissions = [
        Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{action}_page")
        for action in PAGE_ACTIONS
    ]
    homes = Page.objects.filter(depth=2).exclude(locale__language_code=settings.LANGUAGE_CODE)
    for home in homes:
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=translators, page=home, permission=permission
            )


def remove_translators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Translators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0012_channels_messages_admin"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "__latest__"),
        ("auth", "__latest__"),
    ]

    operations = [migrations.RunPython(create_translators, remove_translators)]
