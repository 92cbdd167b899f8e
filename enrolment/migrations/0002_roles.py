"""The four roles as groups. Coordinators work in the Wagtail admin; the others never do."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["Learners", "Teachers", "Sponsors", "Coordinators"]

COORDINATOR_MODEL_PERMISSIONS = {
    "courses": {
        "courserun": ["add", "change", "delete", "view"],
        "session": ["add", "change", "delete", "view"],
        "category": ["add", "change", "delete", "view"],
        "partner": ["add", "change", "delete", "view"],
        "venue": ["add", "change", "delete", "view"],
    },
    "enrolment": {
        "learner": ["add", "change", "view"],
        "enrolment": ["add", "change", "view"],
        "enrolmentevent": ["view"],
    },
    "cms": {"centresettings": ["change"]},
}


def _ensure_permissions(apps):
    # Permissions are normally created after all migrations ran; a data migration needs
    # them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_roles(apps, schema_editor):
    _ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLES}
    coordinators = groups["Coordinators"]

    wanted = [("wagtailadmin", "access_admin")]
    for app_label, models in COORDINATOR_MODEL_PERMISSIONS.items():
        for model, actions in models.items():
            wanted += [(app_label, f"{action}_{model}") for action in actions]
    for app_label, codename in wanted:
        coordinators.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )

    root_page = Page.objects.filter(depth=1).first()
    if root_page:
        for action in ["add", "change", "publish"]:
            GroupPagePermission.objects.get_or_create(
                group=coordinators,
                page=root_page,
                permission=Permission.objects.get(
                    content_type__app_label="wagtailcore", codename=f"{action}_page"
                ),
            )
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection:
        for app_label, model in [("wagtailimages", "image"), ("wagtaildocs", "document")]:
            for action in ["add", "change", "choose"]:
                GroupCollectionPermission.objects.get_or_create(
                    group=coordinators,
                    collection=root_collection,
                    permission=Permission.objects.get(
                        content_type__app_label=app_label, codename=f"{action}_{model}"
                    ),
                )


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0001_initial"),
        ("courses", "0001_initial"),
        ("cms", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "__latest__"),
        ("wagtailimages", "__latest__"),
        ("wagtaildocs", "__latest__"),
        ("auth", "__latest__"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
