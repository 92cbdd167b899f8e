"""Request helpers shared by the rate limits and the sign-in lockout, and the middleware that
sets the site's security headers (the content security policy, the permissions policy,
keeping signed-in pages out of every cache) and refuses NUL bytes."""

import ipaddress

from csp.middleware import CSPMiddleware, PolicyParts
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


# What the Wagtail admin needs beyond the site's policy: its templates and JavaScript set
# style="" attributes and <style> elements (panels, the rich text editor, the userbar), its
# edit forms start their inline panels and choosers with inline <script>s whose text varies
# with the form (so no hash or nonce can name them), and its page preview is an iframe of the
# admin itself. Only staff who gave a second factor reach /admin/ (cms.two_factor).
ADMIN_PATH = "/admin/"
ADMIN_POLICY = {
    "style-src": ["'self'", "'unsafe-inline'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "frame-ancestors": ["'self'"],
}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's relaxations on /admin/ only."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(ADMIN_PATH):
            parts.replace = {**ADMIN_POLICY, **(parts.replace or {})}
        return parts


def permissions_policy(get_response):
    """Middleware: `Permissions-Policy` switches off the browser features no page uses (the
    camera, the microphone, where the visitor is, payments...), so that a script that got in
    cannot ask for them either. Django has no setting for it."""
    header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def middleware(request):
        response = get_response(request)
        if header:
            response.headers.setdefault("Permissions-Policy", header)
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


def _without_stray_next(values):
    """`values` without a `next` that is not a path of this site ("abc", "//elsewhere"), or
    None when it has none. Django's redirect() takes "abc" for the name of a URL to reverse,
    and Wagtail's editor redirected there after saving (NoReverseMatch: a 500)."""
    nexts = values.getlist("next")
    if all(n.startswith("/") and not n.startswith("//") for n in nexts):
        return None
    kept = values.copy()
    kept.setlist("next", [n for n in nexts if n.startswith("/") and not n.startswith("//")])
    if not kept.getlist("next"):
        del kept["next"]
    return kept


def local_next_only(get_response):
    """Middleware: a `next` parameter is only ever a path of this site; anything else is
    dropped, as if it had not been sent, before any view reads it."""

    def middleware(request):
        if (query := _without_stray_next(request.GET)) is not None:
            request.GET = query
        if request.method == "POST" and request.content_type in FORM_TYPES:
            if (form := _without_stray_next(request.POST)) is not None:
                request.POST = form
        return get_response(request)

    return middleware
