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
