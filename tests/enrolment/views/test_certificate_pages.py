import datetime as dt
import io
import re
import time
from types import SimpleNamespace

import django_ratelimit.core
import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from pypdf import PdfReader

from cms.http import client_ip
from enrolment.services.certification import certificate_revoke
from tests.worlds.certificates import certificate_earned

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The rate limits count in the cache; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lea(cast):
    """The cast's learner, with everything a verification page must never show."""
    learner = cast.learner.learner
    learner.preferred_name = "Lea"
    learner.legal_name = "Leah Mariam Tesfaye"
    learner.phone = "+85291234567"
    learner.email = "leah.tesfaye@example.org"
    learner.date_of_birth = dt.date(1995, 5, 17)
    learner.guardian_name = "Selam Berhane"
    learner.case_reference = "UNHCR-HKG-2291"
    learner.languages = "Tigrinya, Amharic"
    learner.save()
    return learner


@pytest.fixture
def certificate(site, cast, lea):
    return certificate_earned(
        learner=lea, by=cast.coordinator, course_title="English for work", partner_name="BC"
    )


@pytest.fixture
def others_certificate(site, cast):
    return certificate_earned(learner=cast.other_learner.learner, by=cast.coordinator)


def page_url(certificate) -> str:
    return f"/learn/certificates/{certificate.pk}/"


def pdf_url(certificate) -> str:
    return f"/learn/certificates/{certificate.pk}/pdf/"


def verify_url(code: str) -> str:
    return f"/certificates/verify/{code}/"


def without_echoes(html: str) -> str:
    """A page's HTML without what changes on every request or repeats the address asked
    for (the CSRF token, and the language form's `next`)."""
    return re.sub(r'(name="(?:csrfmiddlewaretoken|next)"[^>]*value=)"[^"]*"', r"\1", html)


# --- the holder's web page and PDF ----------------------------------------------------------


def test_the_learner_sees_their_certificate(client, cast, certificate):
    client.force_login(cast.learner)

    response = client.get(page_url(certificate))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Certificate of completion" in html
    assert "Leah Mariam Tesfaye" in html
    assert "English for work" in html
    assert certificate.number in html
    assert f'href="{pdf_url(certificate)}"' in html
    assert "Download PDF" in html
    assert f"http://testserver/certificates/verify/{certificate.verification_code}/" in html
    assert "<svg" in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_the_learner_downloads_their_pdf(client, cast, certificate):
    client.force_login(cast.learner)

    response = client.get(pdf_url(certificate))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
    assert response.content.startswith(b"%PDF-")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Leah Mariam Tesfaye" in text
    assert f"http://testserver/certificates/verify/{certificate.verification_code}/" in text


@pytest.mark.parametrize("url", [page_url, pdf_url], ids=["page", "pdf"])
def test_another_learners_certificate_is_not_found(client, cast, others_certificate, url):
    client.force_login(cast.learner)

    assert client.get(url(others_certificate)).status_code == 404
    assert client.get(f"/learn/certificates/{others_certificate.pk + 1000}/").status_code == 404


@pytest.mark.parametrize("who", ["teacher", "sponsor"])
def test_staff_who_are_not_coordinators_see_no_certificate(client, cast, certificate, who):
    client.force_login(getattr(cast, who))

    assert client.get(page_url(certificate)).status_code == 404
    assert client.get(pdf_url(certificate)).status_code == 404


@pytest.mark.parametrize("url", [page_url, pdf_url], ids=["page", "pdf"])
def test_a_visitor_is_asked_to_sign_in(client, certificate, url):
    response = client.get(url(certificate))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url(certificate)}"


def test_a_coordinator_opens_any_certificate(client, cast, certificate, others_certificate):
    client.force_login(cast.coordinator)

    assert client.get(page_url(certificate)).status_code == 200
    response = client.get(pdf_url(others_certificate))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_a_revoked_certificate_page_says_so(client, cast, certificate):
    certificate_revoke(certificate=certificate, reason="Issued in error", by=cast.coordinator)
    client.force_login(cast.learner)

    html = client.get(page_url(certificate)).content.decode()

    assert "REVOKED" in html
    assert "no longer valid" in html
    assert "Issued in error" not in html


def test_the_pdf_is_not_made_on_a_post(client, cast, certificate):
    client.force_login(cast.learner)

    assert client.post(pdf_url(certificate)).status_code == 405


# --- the public check ---------------------------------------------------------------------


def test_a_valid_certificate_verifies(client, certificate):
    response = client.get(verify_url(certificate.verification_code))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Valid" in html
    assert "This certificate is valid" in html
    assert "Leah Mariam Tesfaye" in html
    assert "English for work" in html
    assert "BC" in html
    assert certificate.start_date.strftime("%-d %B %Y") in html
    assert certificate.end_date.strftime("%-d %B %Y") in html
    assert "Harbour Learning Centre" in html
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in html


def test_the_check_shows_nothing_else_about_the_learner(client, certificate, lea):
    html = client.get(verify_url(certificate.verification_code)).content.decode()

    for private in (
        "+85291234567",
        "9123",
        "leah.tesfaye@example.org",
        "1995",
        "17 May",
        "Lea<",
        ">Lea ",
        "Selam Berhane",  # the guardian
        "UNHCR-HKG-2291",
        "Tigrinya",
        f"/learn/certificates/{certificate.pk}/",
    ):
        assert private not in html, private


def test_a_revoked_certificate_says_revoked_and_when_but_not_why(client, cast, certificate):
    certificate = certificate_revoke(
        certificate=certificate, reason="Attendance sheet forged", by=cast.coordinator
    )

    response = client.get(verify_url(certificate.verification_code))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Revoked" in html
    assert "This certificate is valid" not in html
    revoked_on = timezone.localtime(certificate.revoked_at).strftime("%-d %B %Y")
    assert f"on {revoked_on}" in html
    assert "forged" not in html
    assert "Leah Mariam Tesfaye" in html


def test_unknown_and_malformed_codes_get_the_same_404(client, certificate):
    unknown = client.get(verify_url("A" * 22))
    malformed = [
        client.get(verify_url("abc$%25^'<script>")),
        client.get(verify_url("A" * 10 * 1024)),  # 10 kB, all of good characters
        client.get(verify_url("too-short")),
        client.get("/certificates/verify/a/b/c/"),
        client.get("/certificates/verify/"),
    ]

    assert unknown.status_code == 404
    assert "Certificate not found" in unknown.content.decode()
    assert unknown["X-Robots-Tag"] == "noindex"
    for response in malformed:
        assert response.status_code == 404
        assert without_echoes(response.content.decode()) == without_echoes(unknown.content.decode())
    # A NUL byte is refused before any view, as on every URL (cms.http.refuse_nul): it says
    # nothing about the certificates.
    assert client.get(verify_url("x" * 10 * 1024 + "%00")).status_code == 400
    assert certificate.holder_name not in unknown.content.decode()


def test_a_good_code_without_its_slash_is_sent_to_the_right_address(client, certificate):
    code = certificate.verification_code

    response = client.get(f"/certificates/verify/{code}")

    assert response.status_code == 301
    assert response["Location"] == f"/certificates/verify/{code}/"


@pytest.fixture
def still_clock(monkeypatch):
    """Hold the rate limiter's clock inside one minute's window. Its windows are fixed (not
    sliding), so 31 requests that straddle a window's end on a slow machine would find the
    count reset and pass when they should be refused."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core, "time", SimpleNamespace(time=lambda: now))


@pytest.mark.ratelimit
def test_the_check_is_rate_limited_per_address(client, certificate, still_clock):
    good = verify_url(certificate.verification_code)
    for _ in range(30):
        assert client.get(good).status_code == 200

    response = client.get(good)

    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()
    assert response["Retry-After"] == "60"
    # Guessing codes counts too, and someone at another address is not held up.
    assert client.get(verify_url("B" * 22)).status_code == 429
    assert client.get(good, REMOTE_ADDR="203.0.113.9").status_code == 200


@override_settings(PROXY_COUNT=1)
def test_behind_a_proxy_the_visitor_is_who_the_proxy_says(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="junk")) == "0.0.0.0"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


def test_without_a_proxy_forwarded_addresses_are_ignored(rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.4", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "192.0.2.4"
