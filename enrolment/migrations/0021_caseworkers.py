"""The Caseworkers role (issue 15): only its members, and superusers, read and edit a
learner's case reference and the caseworker notes on progress reports.

The group holds one permission, change_sensitive_fields, which the admin's forms ask for
(enrolment/admin/sensitive.py). Caseworkers work on learners' records, so they are usually
coordinators too: the group adds the right to the sensitive fields, nothing else.
"""

import cms.validators
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def create_caseworkers(apps, schema_editor):
    # Permissions are normally created after all migrations ran; this one is needed now.
    enrolment = apps.get_app_config("enrolment")
    enrolment.models_module = True
    create_permissions(enrolment, apps=apps, verbosity=0)
    enrolment.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    sensitive = Permission.objects.get(
        content_type__app_label="enrolment", codename="change_sensitive_fields"
    )
    caseworkers, _created = Group.objects.get_or_create(name="Caseworkers")
    caseworkers.permissions.add(sensitive)


def remove_caseworkers(apps, schema_editor):
    # Not Group.objects...delete(): its collector walks every model that points at a group,
    # and in this migration's state one of Wagtail's does so through another Group class
    # ("Cannot query Group object: Must be Group instance"). The group's own rows are few.
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Caseworkers"):
        group.permissions.clear()
        group.user_set.clear()
        schema_editor.execute(
            f"DELETE FROM {schema_editor.quote_name(Group._meta.db_table)} WHERE id = %s",
            [group.pk],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0020_ged_subjects_one_at_a_time"),
        ("auth", "__latest__"),
        ("contenttypes", "__latest__"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="learner",
            options={
                "ordering": ["preferred_name", "pk"],
                "permissions": [
                    (
                        "change_sensitive_fields",
                        "Can see and change case references and caseworker notes",
                    )
                ],
                "verbose_name": "learner",
                "verbose_name_plural": "learners",
            },
        ),
        migrations.AlterField(
            model_name="learner",
            name="case_reference",
            field=models.CharField(
                blank=True,
                help_text="Restricted: caseworkers only. Never shown to anyone else, nor exported.",
                max_length=60,
                validators=[cms.validators.PlainText()],
                verbose_name="case reference",
            ),
        ),
        migrations.RunPython(create_caseworkers, remove_caseworkers),
    ]
