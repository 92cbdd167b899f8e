"""Request helpers shared by the rate limits and the sign-in lockout."""

import ipaddress

from django.conf import settings


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
