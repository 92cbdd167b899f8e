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


TWILIO_BACKEND = "enrolment.services.message_backends.TwilioBackend"


@checks.register()
def messages_provider(app_configs, **kwargs):
    """A Twilio backend without its credentials would fail at the first message, in the
    worker, where nobody looks: refuse to start instead."""
    if settings.MESSAGES_BACKEND != TWILIO_BACKEND:
        return []
    missing = [
        name for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN") if not getattr(settings, name)
    ]
    if not (settings.TWILIO_SMS_FROM or settings.TWILIO_WHATSAPP_FROM):
        missing.append("TWILIO_SMS_FROM or TWILIO_WHATSAPP_FROM")
    if missing:
        return [
            checks.Error(
                f"MESSAGES_BACKEND is Twilio but {', '.join(missing)} is not set.",
                hint="Set them from the Twilio console (README, Messages).",
                id="cms.E001",
            )
        ]
    return []


@checks.register(deploy=True)
def messages_really_sent(app_configs, **kwargs):
    """The console backend prints texts instead of sending them: right for a laptop, silent
    loss in production."""
    if not settings.DEBUG and settings.MESSAGES_BACKEND != TWILIO_BACKEND:
        return [
            checks.Warning(
                "Texts and WhatsApp messages are not sent to anyone "
                f"(MESSAGES_BACKEND is {settings.MESSAGES_BACKEND}).",
                hint=f"Set MESSAGES_BACKEND={TWILIO_BACKEND} and the TWILIO_* settings.",
                id="cms.W005",
            )
        ]
    return []
