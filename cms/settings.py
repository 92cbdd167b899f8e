"""Settings for the centre's site, read from the environment (see README, "Production").

Development (``DEBUG=1``) runs on a SQLite file with no further set-up; production refuses to
start without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cms.env import env_bool, env_int, env_list, env_positive_int, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", default=_DEV_SECRET_KEY if DEBUG else None)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of 50 or more characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host(s) when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "cms",
    "courses",
    "enrolment",
    # Pages are translated as copies in each locale, kept in step with the English source
    # (wagtail-localize: it supports Wagtail 8 and its editor lets a volunteer translate).
    "wagtail_localize",
    "wagtail_localize.locales",  # replaces wagtail.locales: the admin's Locales screen
    "wagtail.contrib.settings",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    # /translate/: the interface's catalogues edited in the browser, on a staging copy only
    # (TRANSLATION_EDITING, cms.translation_editing). No models; its pages use our templates.
    "rosetta",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # HTML compressed for slow phones, with Django's random padding against BREACH (pages
    # from the visitors' cache come compressed already: cms.page_cache).
    "django.middleware.gzip.GZipMiddleware",
    "cms.http.ContentSecurityPolicyMiddleware",
    "cms.http.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "cms.http.refuse_nul",
    "cms.http.local_next_only",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Unprefixed pages to the visitor's chosen or browser language (issue 12).
    "cms.languages.first_visit_language",
    # Anonymous visitors' catalogue and course pages from the shared cache (issue 16): after
    # the language is known and the user found anonymous, before anything renders.
    "cms.page_cache.visitor_page_cache",
    "django_otp.middleware.OTPMiddleware",
    "cms.two_factor.middleware.StaffTwoFactorMiddleware",
    "cms.http.private_pages",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.roles",
            ],
            # Dates and links in the page's language: {{ day|local_date:"MEDIUM_DATE_FORMAT" }},
            # {{ "/courses/"|localised }}.
            "builtins": ["cms.templatetags.local_dates", "cms.templatetags.language_switch"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: every page runs short queries, and once a query's estimated cost
    # passes jit_above_cost (the at-risk list over five years of marks) PostgreSQL spends
    # ~90 ms compiling it, more than the query itself takes.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

_cache_url = env_str("CACHE_URL", default=env_str("REDIS_URL", default=""))
if _cache_url.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url:
    raise ImproperlyConfigured(f"CACHE_URL={_cache_url!r}: only redis:// URLs are supported.")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# How long an anonymous visitor's page stays in the cache (cms.page_cache) at most. Seat
# changes and publishing replace it at once; this bounds anything no signal reports. 0: off.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out sign-in before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "enrolment.auth.PhoneOrEmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated wrong passwords lock that account from that address for a while. Not the address
# alone: learners share the centre's computers and Wi-Fi, and one typo-prone neighbour must
# not lock everyone out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Counted per account, however its phone or email is typed ("9123 4567", "+852 91234567").
AXES_USERNAME_CALLABLE = "enrolment.auth.axes_username"
# How many trusted proxies stand in front of the app; cms.http.client_ip finds the visitor.
PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "cms.http.client_ip"
# Rate limits (django-ratelimit) count in the default cache: per process without CACHE_URL,
# shared by every app server with Redis. A limited view answers with a friendly 429 page.
RATELIMIT_VIEW = "enrolment.views.certificates.rate_limited"
# Sign-ups: every POST from one address (the centre's computers share one on enrolment days,
# hence generous), and valid sign-ups naming one phone number or email.
SIGNUP_RATE_PER_ADDRESS = "30/h"
SIGNUP_RATE_PER_IDENTIFIER = "5/h"
# A learner's changes to their own profile (a number already taken is said so there).
PROFILE_RATE = "10/h"
RATELIMIT_IP_META_KEY = "cms.http.client_ip"

# Staff two-factor sign-in (cms.two_factor): whoever may use the admin gives a code from an
# authenticator app after their password. On in production; off for development and the demo,
# whose printed logins must work as they are.
REQUIRE_STAFF_2FA = env_bool("REQUIRE_STAFF_2FA", default=not DEBUG)
# The name authenticator apps show beside the code.
OTP_TOTP_ISSUER = env_str("SITE_NAME", default="Harbour Learning Centre")

# By name: a page under /ar/ sends to the sign-in page under /ar/.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en"
# English at today's URLs, every other language under its prefix (/ar/courses/, cms/urls.py).
# The last five are ready to be started: `make messages` creates their catalogues, and each
# is shown once SHOWN_LANGUAGE_MIN_COVERAGE of it is translated (cms/languages.py).
LANGUAGES = [
    ("en", _("English")),
    ("zh-hant", _("Traditional Chinese")),
    ("ar", _("Arabic")),
    ("fr", _("French")),
    ("ur", _("Urdu")),
    ("bn", _("Bengali")),
    ("vi", _("Vietnamese")),
    ("id", _("Indonesian")),
    ("so", _("Somali")),
    ("sw", _("Swahili")),
]
SHOWN_LANGUAGE_MIN_COVERAGE = 0.9
# The language a visitor chose with the switcher, kept a year.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
# Each language's own date formats (cms/formats/<locale>/formats.py).
FORMAT_MODULE_PATH = ["cms.formats"]
TIME_ZONE = "Asia/Hong_Kong"
# Everyone works in Hong Kong: the admin offers no other zone, so no one's screen shows UTC.
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Email: the console in development, SMTP in production.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="centre@example.org")

# Texts and WhatsApp messages (enrolment.services.message_backends): the console in development,
# Twilio in production. Email goes through EMAIL_BACKEND above.
MESSAGES_BACKEND = env_str(
    "MESSAGES_BACKEND", default="enrolment.services.message_backends.ConsoleBackend"
)
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", default="")
TWILIO_SMS_FROM = env_str("TWILIO_SMS_FROM", default="")  # e.g. +85230001234
TWILIO_WHATSAPP_FROM = env_str("TWILIO_WHATSAPP_FROM", default="")  # e.g. whatsapp:+85230001234
TWILIO_API_URL = env_str("TWILIO_API_URL", default="https://api.twilio.com")

# How long personal data is kept (PDPO's retention principle). `manage.py apply_retention`,
# run daily by cron, forgets (anonymises) a learner with no activity for this many years,
# clears messages' texts older than this many months, and deletes access log rows older than
# this many years (README, "Retention").
RETENTION_LEARNER_YEARS = env_positive_int("RETENTION_LEARNER_YEARS", 6)
RETENTION_MESSAGE_MONTHS = env_positive_int("RETENTION_MESSAGE_MONTHS", 24)
RETENTION_ACCESS_LOG_YEARS = env_positive_int("RETENTION_ACCESS_LOG_YEARS", 3)

# Development runs each task at once, in the request. Production sets
# TASKS_BACKEND=django_tasks_db.DatabaseBackend: tasks are rows in the database and `make worker`
# (manage.py db_worker) runs them beside gunicorn (README, "Worker and scheduled messages").
TASKS = {
    "default": {
        "BACKEND": env_str(
            "TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"
        )
    }
}

WAGTAIL_SITE_NAME = env_str("SITE_NAME", default="Harbour Learning Centre")
WAGTAILADMIN_BASE_URL = env_str("BASE_URL", default="http://127.0.0.1:8000")
# Wagtail's database backend, with every query bounded (cms/search.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "txt"]
# Documents are staff-only (cms.wagtail_hooks): always stream them through that check, never
# redirect to the storage's own URL, which anyone holding it could fetch.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Each language's page tree under its prefix (/ar/courses/ ...), English unprefixed.
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# No machine translation: the machines have no internet, and a person translates for readers
# with little schooling. The editor then offers only manual translation.
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None

# The interface's catalogues (locale/) edited in the browser at /translate/ (django-rosetta) by
# the Translators group: on a staging copy, where volunteers translate; off in production
# (README, "Languages"). Off, /translate/ is a 404 for everyone.
TRANSLATION_EDITING = env_bool("TRANSLATION_EDITING", default=False)
# A save writes the .po and .mo on the server that answered. With several app servers, turn it
# off: each volunteer's work then stays in the shared cache, to download (locale/README.md).
TRANSLATION_EDITING_WRITES_FILES = env_bool("TRANSLATION_EDITING_WRITES_FILES", default=True)
ROSETTA_ACCESS_CONTROL_FUNCTION = "cms.translation_editing.can_edit_catalogues"
# English is the source; every other language, shipped or waiting, may be translated.
ROSETTA_LANGUAGES = [(code, name) for code, name in LANGUAGES if code != LANGUAGE_CODE]
# Only the site's own catalogues (cms.translation_editing answers Rosetta's "Django" and "third
# party" lists with a 404): a volunteer never edits Django's or Wagtail's files in the venv.
ROSETTA_EXCLUDED_APPLICATIONS = [
    app for app in INSTALLED_APPS if app.split(".")[0] not in ("cms", "courses", "enrolment")
]
# A volunteer's working copy of a catalogue the server does not write is kept in the cache,
# which every app server shares with CACHE_URL (cms.W003 warns while it is each process's own).
ROSETTA_STORAGE_CLASS = "rosetta.storage.CacheRosettaStorage"
ROSETTA_MESSAGES_PER_PAGE = 20
# Suggestions would send the text to a translation service: the machines have no internet.
ROSETTA_ENABLE_TRANSLATION_SUGGESTIONS = False
ROSETTA_SHOW_AT_ADMIN_PANEL = False  # Django's admin is not installed; Wagtail's menu links it
ROSETTA_LOGIN_URL = "wagtailadmin_login"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Production hardening: `manage.py check --deploy` reports nothing with DEBUG off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes /healthz over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): our pages load scripts and styles from our own static
# files only, so an injected <script> or style="" does nothing. The Wagtail admin is given the
# few relaxations it needs in cms.http.ContentSecurityPolicyMiddleware.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
# Permissions-Policy (cms.http.permissions_policy): no page uses these, so no script may.
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "usb",
    "xr-spatial-tracking",
]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # Wagtail and the tasks framework log every page save at INFO; keep the console readable.
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        app: {"handlers": ["console"], "level": "INFO", "propagate": False}
        for app in ["cms", "courses", "enrolment"]
    },
}
