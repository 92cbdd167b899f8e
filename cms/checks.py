"""System checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """Rate limits and the sign-in lockout count in the cache: a cache of each process's own
    lets every app server allow the limit again (three workers, three times the guesses)."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend in PER_PROCESS_CACHES:
        return [
            checks.Warning(
                "The cache is each process's own, so rate limits multiply with app servers.",
                hint="Set CACHE_URL (or REDIS_URL) to the Redis every app server shares.",
                id="cms.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def staff_two_factor(app_configs, **kwargs):
    """Whoever may use the admin reads refugees' case data: a password alone is not enough."""
    if not settings.DEBUG and not settings.REQUIRE_STAFF_2FA:
        return [
            checks.Warning(
                "Staff sign in to the admin with a password only.",
                hint="Leave REQUIRE_STAFF_2FA on (its default when DEBUG is off).",
                id="cms.W002",
            )
        ]
    return []


@checks.register(checks.Tags.caches, deploy=True)
def translation_editing_cache(app_configs, **kwargs):
    """With several app servers, a volunteer's next page of /translate/ may be answered by
    another server: the working copy of a catalogue the server may not write must be in a
    cache they all read, or it is lost between two pages."""
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.TRANSLATION_EDITING and backend in PER_PROCESS_CACHES:
        return [
            checks.Warning(
                "TRANSLATION_EDITING is on with a cache of each process's own: with more "
                "than one app server, a volunteer's unsaved translations are lost between "
                "pages of /translate/.",
                hint="Set CACHE_URL (or REDIS_URL) to the Redis every app server shares, "
                "or run the staging copy as one process.",
                id="cms.W003",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def translation_editing_is_for_staging(app_configs, **kwargs):
    """Editing the catalogues on a live server changes the site for everyone with no review
    and no commit, and the next deployment silently undoes it."""
    if settings.TRANSLATION_EDITING:
        return [
            checks.Warning(
                "TRANSLATION_EDITING is on: translators can edit the interface's catalogues "
                "at /translate/.",
                hint="Only on a staging copy; leave it off in production (its default).",
                id="cms.W004",
            )
        ]
    return []
