"""Anonymous visitors' pages from the shared cache (issue 16).

A visitor on a slow phone who is not signed in sees the same catalogue as every other such
visitor, so its render is kept in the cache (Redis in production, CACHE_URL; each process's
memory otherwise) and served without running the page again.

What is stored: the answer to a GET of a page that vouches for itself (a page class with
:class:`CachedForVisitors`: it says which query strings render something worth keeping), for a
request that carries no cookie but the language's and the CSRF token's and whose user is
anonymous; only a 200 that sets no cookie, is not private and did not ask for a CSRF token.
Someone signed in (or holding a session) never reads the cache and their page is never stored.

Keys hold the scheme, host, path, the query's parameters in a fixed order, the page's
language, today's date (what is "upcoming" or "open" changes at midnight) and a generation.
:func:`public_pages_changed` replaces the generation once the change commits, which orphans
every stored page at once: cms offers it, and the apps call it whenever what a visitor sees
changes (a seat taken or freed, a run or session edited, a page published, moved or deleted).
Stored pages also expire after PAGE_CACHE_SECONDS, the bound on anything no signal reports.

The body is kept plain and gzip-compressed, so a phone that accepts gzip gets the compressed
one without compressing it again per request. Nothing in it is secret (no token, no name), so
BREACH has nothing to find there; other pages are compressed by Django's GZipMiddleware, which
pads them with random bytes against it (and CSRF tokens are masked per response).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_string
from django.utils.translation import get_language

GENERATION_KEY = "pagecache:generation"
# A query string longer than this, or with more parameters, is never looked up or stored: the
# catalogue's filters fit well inside, and nobody can fill the cache with made-up ones.
MAX_QUERY_LENGTH = 400
MAX_QUERY_PARAMS = 12
# Cookies that change nothing on a public page: the language's (already in the path) and the
# CSRF token a visitor got from the sign-in page. Any other (a session, flash messages) means
# the page may be theirs alone.
HARMLESS_COOKIES = ("django_language", "csrftoken")
CACHEABLE_ATTRIBUTE = "cache_for_visitors"


class CachedForVisitors:
    """Mixin for a Wagtail page whose anonymous render is the same for every visitor.

    ``visitor_cacheable(request, response)`` says whether this render may be stored; by
    default only without a query string. A page with filters overrides it to accept its own
    known, valid parameters only, so the number of stored variants stays bounded.
    """

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False) and self.visitor_cacheable(request, response):
            setattr(response, CACHEABLE_ATTRIBUTE, True)
        return response

    def visitor_cacheable(self, request, response) -> bool:
        return not request.GET


def public_pages_changed() -> None:
    """Something a visitor sees changed: every stored page is stale.

    Twice: at once, so that what this transaction renders next is not an older page; and
    after the commit, because a visitor's request may have rendered (and stored) the old
    state meanwhile, under the generation set at once. The second replaces that one.
    """
    _new_generation()
    transaction.on_commit(_new_generation)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = cache.get(GENERATION_KEY) or ""
    return generation


def _harmless_cookies() -> set[str]:
    return {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME, *HARMLESS_COOKIES}


def page_key(request) -> str | None:
    """The key of this request's stored page, or None when it must neither read nor fill the
    cache (PAGE_CACHE_SECONDS = 0 turns it off)."""
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return None
    if set(request.COOKIES) - _harmless_cookies():
        return None
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_QUERY_LENGTH or len(request.GET) > MAX_QUERY_PARAMS:
        return None
    # After the session cookie test: an anonymous user costs no query.
    if request.user.is_authenticated:
        return None
    params = sorted((name, value) for name, values in request.GET.lists() for value in values)
    parts = [
        _generation(),
        request.scheme,
        request.get_host(),
        get_language() or "",
        timezone.localdate().isoformat(),
        request.path,
        repr(params),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"pagecache:page:{digest}"


def storable(request, response) -> bool:
    """Whether this answer may be given to every anonymous visitor."""
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if not getattr(response, CACHEABLE_ATTRIBUTE, False):
        return False
    if response.cookies or response.has_header("Content-Encoding"):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    # The page holds a CSRF token (a form) or wrote the session: it belongs to this visitor.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _frozen(response) -> tuple:
    body = response.content
    headers = [(k, v) for k, v in response.items() if k.lower() not in ("content-length",)]
    return (response.status_code, headers, body, compress_string(body))


def _thawed(stored: tuple, request) -> HttpResponse:
    status, headers, body, compressed = stored
    accepts_gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    use_gzip = accepts_gzip and len(compressed) < len(body)
    response = HttpResponse(compressed if use_gzip else body, status=status)
    for name, value in headers:
        response[name] = value
    if use_gzip:
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def visitor_page_cache(get_response):
    """Middleware (after the language and authentication middleware): anonymous pages from
    the shared cache, as the module says."""

    def middleware(request):
        key = page_key(request)
        if key is None:
            return get_response(request)
        stored = cache.get(key)
        if stored is not None:
            return _thawed(stored, request)
        response = get_response(request)
        if storable(request, response):
            cache.set(key, _frozen(response), timeout=settings.PAGE_CACHE_SECONDS)
        return response

    return middleware


def site_content_changed(sender, instance=None, raw=False, created=False, **kwargs) -> None:
    """Receiver of every model's post_save and post_delete (cms.apps): a page saved,
    published, unpublished, moved or deleted, or the centre's settings (the footer) edited.
    A page's signals name its own class, never Page, hence the isinstance. Settings are
    created with their defaults by the first page that reads them: nothing changes then."""
    from wagtail.contrib.settings.models import BaseSiteSetting
    from wagtail.models import Page

    if raw or (created and isinstance(instance, BaseSiteSetting)):
        return
    if isinstance(instance, Page | BaseSiteSetting):
        public_pages_changed()


def page_signal_received(sender, **kwargs) -> None:
    """Receiver of Wagtail's page_published, page_unpublished and post_page_move."""
    public_pages_changed()
