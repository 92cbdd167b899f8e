"""Certificates: the holder's web page and PDF, and the public page that checks one.

The holder's pages fetch the certificate through a queryset scoped to the user (their own
certificates; a coordinator's, all), so someone else's certificate is a 404 exactly like one
that does not exist. The public check shows what is printed on the certificate and whether it
still stands, nothing else about the learner; any code that is not one we issued, whether
unknown, malformed or 10 kB long, gets the same 404.
"""

import re

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_ratelimit.decorators import ratelimit

from cms.exports import attachment
from enrolment import access
from enrolment.models import AccessAction, Certificate
from enrolment.services.access_log import access_log_record
from enrolment.services.certificate_documents import (
    certificate_html,
    certificate_issuer,
    certificate_pdf,
    certificate_verification_url,
)

# What certificate_issue makes (secrets.token_urlsafe(16): 22 characters), with room to grow.
CODE_PATTERN = r"[A-Za-z0-9_-]{16,32}"
_CODE = re.compile(CODE_PATTERN)
# The public check: enough for an employer checking a pile of certificates by hand, too few
# to scrape. Each PDF costs the server a second or so of work.
VERIFY_RATE = "30/m"
PDF_RATE = "20/m"


class VerificationCodeConverter:
    """A URL converter that accepts only what a verification code can look like."""

    regex = CODE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def _get_certificate_for_user(user, pk: int) -> Certificate:
    return get_object_or_404(
        access.certificates_for_user(user).select_related("enrolment__learner"), pk=pk
    )


def _log_staff_access(request, certificate: Certificate, action: AccessAction) -> None:
    # A learner reading their own certificate is not in the access log; staff opening it are.
    learner = certificate.enrolment.learner
    if learner.user_id != request.user.pk:
        access_log_record(
            user=request.user,
            action=action,
            learner=learner,
            what=f"{request.resolver_match.view_name} {certificate.number}",
        )


@login_required
@never_cache
@require_safe
def certificate_detail(request, pk: int):
    certificate = _get_certificate_for_user(request.user, pk)
    _log_staff_access(request, certificate, AccessAction.VIEWED)
    return HttpResponse(certificate_html(certificate=certificate, request=request, for_web=True))


@login_required
@never_cache
@require_safe
@ratelimit(key="user", rate=PDF_RATE, block=True)
def certificate_pdf_download(request, pk: int):
    certificate = _get_certificate_for_user(request.user, pk)
    _log_staff_access(request, certificate, AccessAction.DOWNLOADED)
    return attachment(
        certificate_pdf(certificate=certificate, request=request),
        content_type="application/pdf",
        filename=f"{certificate.number}.pdf",
    )


def _public(response: HttpResponse) -> HttpResponse:
    # A certificate's check is for the person holding the paper, not for search engines.
    response["X-Robots-Tag"] = "noindex"
    return response


def _not_found(request) -> HttpResponse:
    # The same page for every code we did not issue: it never says whether a code was
    # well-formed, and does not repeat it: its language links lead to each home page, not to
    # this address in another language (`not_found`, templates/base.html).
    return _public(
        render(
            request,
            "enrolment/certificates/verify_not_found.html",
            {"not_found": True},
            status=404,
        )
    )


@never_cache
@require_safe
@ratelimit(group="certificate_verify", key="ip", rate=VERIFY_RATE, block=True)
def certificate_verify(request, code: str):
    certificate = Certificate.objects.filter(verification_code=code).first()
    if certificate is None:
        return _not_found(request)
    context = {
        "certificate": certificate,
        "centre": certificate_issuer(request=request),
        "verification_url": certificate_verification_url(certificate=certificate, request=request),
    }
    return _public(render(request, "enrolment/certificates/verify.html", context))


@never_cache
@require_safe
@ratelimit(group="certificate_verify", key="ip", rate=VERIFY_RATE, block=True)
def certificate_verify_other(request, rest: str):
    """Anything under /certificates/verify/ that is not a code and a slash."""
    if _CODE.fullmatch(rest):  # a good code that lost its trailing slash, e.g. typed by hand
        return HttpResponsePermanentRedirect(reverse("certificate_verify", args=[rest]))
    return _not_found(request)


def rate_limited(request, exception=None):
    """settings.RATELIMIT_VIEW: what a visitor sees after too many requests."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    add_never_cache_headers(response)
    return _public(response)
