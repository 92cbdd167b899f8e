"""A learner downloads their certificate; an employer checks it on a phone."""

import io
import re

import pytest
import zxingcpp
from django.contrib.auth import get_user_model
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_enrolment import assert_no_horizontal_scroll, sign_in
from tests.factories import PASSWORD, LearnerFactory, UserFactory
from tests.worlds.certificates import certificate_earned

pytestmark = pytest.mark.browser


@pytest.fixture
def employers_phone(browser, demo_site):
    """Someone else's phone: a browser context of its own, signed in as nobody."""
    context = browser.new_context(viewport=PHONE, base_url=demo_site.url, locale="en-GB")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def certificate(demo_site):
    cache.clear()  # the verification page's rate limit counts in the (shared) local cache
    user = UserFactory(username="+85291230777", first_name="Amina", groups=["Learners"])
    learner = LearnerFactory(
        user=user, preferred_name="Amina", legal_name="أمينة حسن", phone="+85291230777"
    )
    coordinator = get_user_model().objects.get(username="coordinator")
    return certificate_earned(
        learner=learner,
        by=coordinator,
        course_title="Computer literacy for work",
        partner_name="Hong Kong Digital Inclusion Partners",
    )


def test_a_learner_downloads_the_pdf_and_an_employer_checks_it(
    page, employers_phone, certificate, screenshot, tmp_path
):
    # The learner signs in and opens their certificate.
    page.goto("/")
    sign_in(page, "9123 0777", PASSWORD)
    expect(page).to_have_url(re.compile(r"/learn/$"))
    page.goto(f"/learn/certificates/{certificate.pk}/")
    expect(page.get_by_role("heading", level=1, name="Certificate of completion")).to_be_visible()
    holder = page.locator(".holder")
    expect(holder).to_have_text("أمينة حسن")
    expect(holder).to_have_attribute("dir", "auto")
    expect(page.get_by_text("Computer literacy for work")).to_be_visible()
    assert_no_horizontal_scroll(page)
    screenshot("certificate")

    # The QR code on the page is the verification address shown under it.
    link = page.locator("a.verification-url")
    verification_url = link.get_attribute("href")
    assert verification_url == f"{page.url.split('/learn/')[0]}{_verify_path(certificate)}"
    expect(link).to_have_text(verification_url)
    qr = page.get_by_role("img", name=re.compile("QR code"))
    qr.scroll_into_view_if_needed()
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    assert [result.text for result in decoded] == [verification_url]

    # ... and downloads the PDF.
    download_link = page.get_by_role("link", name="Download PDF")
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    assert download.suggested_filename == f"{certificate.number}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    # An employer scans the code with their phone: the certificate is valid.
    employers_phone.goto(verification_url)
    expect(
        employers_phone.get_by_role("heading", level=1, name="Certificate check")
    ).to_be_visible()
    verdict = employers_phone.get_by_role("region", name="Valid")
    expect(verdict).to_be_visible()
    expect(verdict).to_contain_text("This certificate is valid")
    printed = employers_phone.get_by_role("region", name="What the certificate says")
    expect(printed).to_contain_text("أمينة حسن")
    expect(printed).to_contain_text("Computer literacy for work")
    expect(printed).to_contain_text(certificate.number)
    expect(printed).not_to_contain_text("9123")
    assert_no_horizontal_scroll(employers_phone)
    screenshot("verified", target=employers_phone)


def test_a_mistyped_code_is_not_found(employers_phone, certificate, screenshot):
    employers_phone.goto(
        _verify_path(certificate).replace(certificate.verification_code[:4], "0000")
    )

    expect(
        employers_phone.get_by_role("heading", level=1, name="Certificate not found")
    ).to_be_visible()
    assert_no_horizontal_scroll(employers_phone)
    screenshot("not-found", target=employers_phone)


def _verify_path(certificate) -> str:
    return f"/certificates/verify/{certificate.verification_code}/"
