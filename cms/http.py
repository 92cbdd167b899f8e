"""Request helpers shared by the rate limits and the sign-in lockout, and the middleware that
keeps signed-in pages out of every cache."""

import ipaddress

from django.conf import settings
from django.utils.cache import patch_cache_control


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
