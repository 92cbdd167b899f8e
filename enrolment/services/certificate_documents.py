"""A certificate as a document: its web page and PDF (one template), its QR code and the URL
anyone can check it at.

The PDF is WeasyPrint's rendering of the same HTML the learner sees, so the two never drift.
The PDF's HTML refers to no file or URL (its CSS is put inline, the QR code is an inline SVG),
so rendering fetches nothing and works the same on every server; names in Chinese or Arabic
come out right because the font stack names the Noto families `.ci/run` installs.
"""

from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from cms.centre import centre_name, centre_settings
from enrolment.models import Certificate

TEMPLATE = "enrolment/certificates/certificate.html"
# The frame around the certificate: the site's pages for the web, a bare page for the PDF.
WEB_LAYOUT = "base.html"
PRINT_LAYOUT = "enrolment/certificates/print_layout.html"
STYLESHEET = "css/certificate.css"


def certificate_verification_url(
    *, certificate: Certificate, request: HttpRequest | None = None
) -> str:
    """The public address that says whether the certificate is genuine, absolute: it is
    printed, and scanned from paper long after the request that made it. Unprefixed, as
    DESIGN.md fixes it, whatever the language of the page that made it: the reader's own
    language comes from their browser when they scan it."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("certificate_verify", args=[certificate.verification_code])
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def certificate_qr_svg(*, url: str) -> SafeString:
    """The URL as a QR code, an inline SVG that scales to its box.

    Error correction level Q (a quarter of the code can be lost) survives a creased, smudged
    or badly photocopied certificate; segno raises the level further when the size allows.
    """
    qr = segno.make(url, error="q", micro=False)
    # segno builds the SVG from the code's modules; no text from the URL is written into it.
    return mark_safe(
        qr.svg_inline(border=4, omitsize=True, dark="#000", light="#fff", svgclass="qr-code")
    )


def certificate_issuer(*, request: HttpRequest | None) -> dict[str, str]:
    """The centre's name (the site's name if the centre settings have none) and address."""
    centre = centre_settings(request=request)
    return {"name": centre_name(centre), "address": centre.address if centre else ""}


def certificate_context(*, certificate: Certificate, request: HttpRequest | None) -> dict:
    url = certificate_verification_url(certificate=certificate, request=request)
    return {
        "certificate": certificate,
        "centre": certificate_issuer(request=request),
        "verification_url": url,
        "qr_svg": certificate_qr_svg(url=url),
    }


def certificate_stylesheet() -> SafeString:
    """The certificate's CSS, the same file its web page links, to put inline in the PDF."""
    path = finders.find(STYLESHEET)
    return mark_safe(Path(path).read_text(encoding="utf-8"))  # our own file, not user input


def certificate_html(
    *, certificate: Certificate, request: HttpRequest | None, for_web: bool = False
) -> str:
    """The certificate's HTML: a page of the site (``for_web``) or the bare printable
    document the PDF is made from. The certificate itself is the same template either way."""
    context = certificate_context(certificate=certificate, request=request)
    context["layout"] = WEB_LAYOUT if for_web else PRINT_LAYOUT
    context["for_web"] = for_web
    if not for_web:
        context["stylesheet"] = certificate_stylesheet()
    return render_to_string(TEMPLATE, context, request=request)


def certificate_pdf(*, certificate: Certificate, request: HttpRequest | None) -> bytes:
    """The certificate as an A4 landscape PDF, from the same template as its web page."""
    # Imported here: WeasyPrint loads Pango when imported, and the rest of the site (and
    # `manage.py check`) should not need it.
    from weasyprint import HTML

    base_url = (
        request.build_absolute_uri("/") if request is not None else settings.WAGTAILADMIN_BASE_URL
    )
    html = certificate_html(certificate=certificate, request=request)
    return HTML(string=html, base_url=base_url).write_pdf()
