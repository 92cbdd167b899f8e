"""What the Translators group may do with pages: edit and publish every language's tree but
the English one. The group and its other permissions are made by a migration
(enrolment/0011_translators); a language's tree begins when its home page is first translated,
and the group is given that tree then (CmsConfig.ready connects translator_tree_granted).
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission, Page

from cms.roles import TRANSLATORS

PAGE_ACTIONS = ("change", "publish")


def _language_homes():
    """The home page of each language but the site's own: the roots of their trees."""
    return Page.objects.filter(depth=2).exclude(locale__language_code=settings.LANGUAGE_CODE)


@transaction.atomic
def translator_pages_grant(*, pages=None) -> int:
    """Let the Translators group edit and publish `pages` and what is under them (by default,
    every language's home page but English's). Returns how many permissions were added;
    nothing when the group does not exist."""
    group = Group.objects.filter(name=TRANSLATORS).first()
    if group is None:
        return 0
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore",
        codename__in=[f"{action}_page" for action in PAGE_ACTIONS],
    )
    added = 0
    for page in _language_homes() if pages is None else pages:
        for permission in permissions:
            _row, created = GroupPagePermission.objects.get_or_create(
                group=group, page=page, permission=permission
            )
            added += created
    return added


def translator_tree_granted(sender, instance, created, raw=False, **kwargs):
    """post_save: a page that starts a language's tree (a home page translated for the first
    time) is given to the translators, who are to translate what comes under it."""
    if raw or not created or not isinstance(instance, Page) or instance.depth != 2:
        return
    if instance.locale.language_code == settings.LANGUAGE_CODE:
        return
    translator_pages_grant(pages=[instance])
