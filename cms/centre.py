"""The centre's own details (CentreSettings) for documents made outside a page's template:
certificates and sponsors' statements name the centre that issued them."""

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Site

from cms.models import CentreSettings


def centre_settings(*, request: HttpRequest | None = None) -> CentreSettings | None:
    """The settings of the request's site, or of the default site without a request."""
    if request is not None:
        return CentreSettings.for_request(request)
    site = Site.objects.filter(is_default_site=True).first()
    return CentreSettings.for_site(site) if site else None


def centre_name(centre: CentreSettings | None) -> str:
    """The centre's name, or the site's name where the settings have none."""
    return (centre.centre_name if centre else "") or settings.WAGTAIL_SITE_NAME
