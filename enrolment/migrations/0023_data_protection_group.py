"""The Data protection role (issue 15): the people who answer for the centre's personal data.
They may use the admin and read the access log (who looked at whose record, and what left
the system in exports); nothing else. Coordinators do not see the log: it records them.
"""

from django.db import migrations

DATA_PROTECTION = "Data protection"


def create_data_protection(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # The log's permissions are otherwise created after all migrations (post_migrate).
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=DATA_PROTECTION)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="enrolment", codename="view_accesslog"),
    )


def remove_data_protection(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=DATA_PROTECTION).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0022_access_log"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "__latest__"),
    ]

    operations = [migrations.RunPython(create_data_protection, remove_data_protection)]
