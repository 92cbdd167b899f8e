"""Request helpers shared by the rate limits and the sign-in lockout, the middleware that
keeps signed-in pages out of every cache, and the one that refuses NUL bytes."""

import ipaddress

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def client_ip(request) -> str:
    """The visitor's address.

    Behind PROXY_COUNT trusted proxies (a load balancer, then nginx), REMOTE_ADDR is the last
    proxy's; the visitor is the entry that many places from the end of X-Forwarded-For, the
    one the first trusted proxy added. Entries before it are whatever the client sent, and
    are never trusted.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            remote = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        # An address that does not parse is counted with the others like it.
        return "0.0.0.0"


def private_pages(get_response):
    """Middleware: a page answered to someone signed in carries their data (their name in the
    menu at least; their classes, a child's reports, a download), so no browser or proxy may
    keep it: `Cache-Control: private, no-store`. A view that says otherwise (a public file it
    marks cacheable) is left as it said."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware


def _holds_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vs) for key, vs in values.lists())


def refuse_nul(get_response):
    """Middleware: a NUL byte has no place in a path, a query or a form's text, and
    PostgreSQL refuses to store or even compare it (a search, a token lookup and a register
    note answered 500). Such a request is answered 400 before any view reads it. Uploaded
    files are not looked into: a file is bytes, and its parser bounds and checks it."""

    def middleware(request):
        held = "\x00" in request.path or _holds_nul(request.GET)
        if not held and request.method == "POST" and request.content_type in FORM_TYPES:
            held = _holds_nul(request.POST)
        if held:
            return HttpResponseBadRequest(
                _("The request holds a NUL character, which no page here accepts."),
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware
