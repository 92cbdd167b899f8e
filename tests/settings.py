"""Test settings: fast hashing, local caches, tasks run at once, no HTTPS redirects."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

from cms.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# .ci/run's second pass runs the rate-limit and lockout tests (marked `ratelimit`) on Redis, as
# production counts them: TEST_CACHE=redis, in one process (tests/conftest.py empties the cache
# before each test, which empties that Redis database).
_test_cache = os.environ.get("TEST_CACHE", "locmem")
if _test_cache == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"),
        }
    }
elif _test_cache != "locmem":
    raise ValueError(f"TEST_CACHE={_test_cache!r}: use locmem (the default) or redis.")
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MESSAGES_BACKEND = "enrolment.services.message_backends.MemoryBackend"
TWILIO_ACCOUNT_SID = "AC" + "0" * 32
TWILIO_AUTH_TOKEN = "test-auth-token"
TWILIO_SMS_FROM = "+85230001234"
TWILIO_WHATSAPP_FROM = "whatsapp:+85230001234"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
WAGTAILADMIN_BASE_URL = "http://testserver"
# Serve static files straight from the apps, as runserver would; no collectstatic in tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The test client's login() passes no request, which django-axes needs; the lockout has its
# own tests that switch it back on.
AXES_ENABLED = False
# Staff two-factor sign-in is production's default; the admin's tests sign in with a password.
# tests/cms/test_two_factor.py switches it on.
REQUIRE_STAFF_2FA = False
# The visitors' page cache (cms.page_cache) is off: a test that counts a page's queries
# measures its render, not a cache hit. tests/cms/test_page_cache.py switches it on.
PAGE_CACHE_SECONDS = 0
