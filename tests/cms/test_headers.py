"""Security headers and error pages in production mode (issue 11, defect 14).

The test settings run with DEBUG off, as production does; requests marked secure stand for the
HTTPS that production's proxy terminates."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import path
from wagtail.documents.models import Document

from cms.urls import urlpatterns as site_urlpatterns
from tests.cms.test_private_pages import cache_control
from tests.factories import CourseRunFactory, SponsorFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def policy(response) -> dict[str, set[str]]:
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = set(sources)
    return directives


def test_our_pages_allow_scripts_and_styles_from_our_own_files_only(client, site):
    directives = policy(client.get("/"))
    assert directives["script-src"] == {"'self'"}
    assert directives["style-src"] == {"'self'"}
    assert directives["frame-ancestors"] == {"'none'"}
    assert directives["object-src"] == {"'none'"}
    assert directives["form-action"] == {"'self'"}
    assert directives["base-uri"] == {"'self'"}


def test_only_the_admin_may_run_inline_scripts_and_styles(client, site, cast):
    """Wagtail's edit forms start their panels with inline scripts (see cms.http)."""
    client.force_login(cast.coordinator)
    directives = policy(client.get("/admin/"))
    assert directives["script-src"] == {"'self'", "'unsafe-inline'"}
    assert directives["style-src"] == {"'self'", "'unsafe-inline'"}
    assert directives["object-src"] == {"'none'"}
    assert directives["frame-ancestors"] == {"'self'"}  # the page preview's iframe


def test_no_page_may_use_the_camera_microphone_or_location(client, site):
    features = client.get("/")["Permissions-Policy"]
    for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
        assert f"{feature}=()" in features


# Rendered to PDF by WeasyPrint only, never served as a page: their CSS stays inline so that
# making the PDF fetches nothing. certificate.html's <style> is its PDF branch.
PDF_ONLY = {
    "enrolment/sponsor/statement_pdf.html",
    "enrolment/certificates/certificate.html",
    "enrolment/admin/reports/impact_pdf.html",
    "enrolment/admin/learners/data_pdf.html",
}
INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=|javascript:", re.I)


def test_our_templates_hold_no_inline_style_or_script():
    """The policy would block them: styles and scripts go in static files."""
    found = [
        f"{name}: {match.group(0).strip()}"
        for file in TEMPLATES.rglob("*.html")
        if (name := file.relative_to(TEMPLATES).as_posix()) not in PDF_ONLY
        for match in INLINE.finditer(file.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_certificate_page_links_its_stylesheet_and_the_pdf_inlines_it(site, cast):
    from django.utils import timezone

    from enrolment.models import Certificate
    from enrolment.services.certificate_documents import certificate_html
    from tests.factories import EnrolmentFactory

    enrolment = EnrolmentFactory(learner=cast.learner.learner)
    certificate = Certificate.objects.create(
        enrolment=enrolment,
        number="HLC-2030-00001",
        year=2030,
        sequence=1,
        verification_code="verifyme-0123456789AB",
        holder_name="Lea",
        course_title="English",
        start_date=enrolment.run.start_date,
        end_date=enrolment.run.end_date,
        issued_at=timezone.now(),
    )
    web = certificate_html(certificate=certificate, request=None, for_web=True)
    assert "<style" not in web and "css/certificate.css" in web
    printed = certificate_html(certificate=certificate, request=None)
    assert "<style>" in printed and ".certificate {" in printed and "<link" not in printed


# --- the production header test -------------------------------------------------------------

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def assert_secure_headers(response):
    for header, value in SECURITY_HEADERS.items():
        assert response.get(header) == value, header
    assert "Content-Security-Policy" in response
    assert "camera=()" in response["Permissions-Policy"]


@pytest.fixture
def document(site, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return Document.objects.create(title="Forms", file=ContentFile(b"names", name="forms.txt"))


def test_personal_pages_carry_every_header_and_are_never_stored(client, site, cast, document):
    run = CourseRunFactory(teachers=[cast.teacher])
    SponsorFactory(user=cast.sponsor)
    pages = [
        ("learner", "/learn/"),
        ("learner", "/learn/profile/"),
        ("teacher", "/teach/"),
        ("teacher", f"/teach/runs/{run.pk}/register.xlsx"),
        ("sponsor", "/sponsor/"),
        ("coordinator", document.url),
        ("coordinator", "/admin/"),
    ]
    for member, url in pages:
        client.force_login(getattr(cast, member))
        response = client.get(url, secure=True)
        assert response.status_code == 200, url
        assert_secure_headers(response)
        assert {"private", "no-store"} <= cache_control(response), url


def test_public_pages_carry_every_header_and_may_be_cached(client, site):
    for url in ["/", "/courses/"]:
        response = client.get(url, secure=True)
        assert response.status_code == 200
        assert_secure_headers(response)
        assert "no-store" not in cache_control(response)


# --- error pages ------------------------------------------------------------------------------


def broken(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("broken/", broken), *site_urlpatterns]


@pytest.mark.urls(__name__)
def test_a_failing_view_answers_our_500_page(site, django_assert_max_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_max_num_queries(0):
        response = client.get("/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong" in html
    assert '<html lang="en"' in html
    assert "the database went away" not in html
    assert "Content-Security-Policy" in response


def test_an_unknown_address_answers_our_404_page(client, site):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_forbidden_download_answers_our_403_page(client, site, cast, document):
    client.force_login(cast.learner)
    response = client.get(document.url)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_a_bad_host_answers_our_400_page(client, site):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
