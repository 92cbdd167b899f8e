import io
import re

import pytest
import zxingcpp
from django.test import RequestFactory
from django.utils import timezone, translation
from PIL import Image, ImageDraw
from pypdf import PdfReader

from cms.models import CentreSettings
from enrolment.services.certificate_documents import (
    certificate_html,
    certificate_pdf,
    certificate_qr_svg,
    certificate_verification_url,
)
from enrolment.services.certification import certificate_revoke
from tests.factories import LearnerFactory
from tests.worlds.certificates import certificate_earned

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(site):
    return RequestFactory().get("/learn/certificates/1/")


def earned(cast, name="Amina Hassan Ali", **kwargs):
    learner = LearnerFactory(legal_name=name, preferred_name=name.split()[0])
    return certificate_earned(learner=learner, by=cast.coordinator, **kwargs)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_fonts(pdf: bytes) -> set[str]:
    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).replace("-", ""))
    return fonts


def qr_image(svg: str, *, scale: int = 6) -> Image.Image:
    """Draw the modules of segno's inline SVG (one stroked path of horizontal runs) as a PNG,
    the way a printer would: what is decoded is exactly what the certificate carries."""
    size = int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))
    path = re.search(r'stroke="#000" d="([^"]+)"', svg).group(1)
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, args in re.findall(r"([MmHh])([^MmHh]*)", path):
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+", args)]
        if command == "M":
            x, y = numbers
        elif command == "m":
            x, y = x + numbers[0], y + numbers[1]
        else:  # h: a run of dark modules on this row
            top = int(y - 0.5) * scale
            draw.rectangle([x * scale, top, (x + numbers[0]) * scale - 1, top + scale - 1], fill=0)
            x += numbers[0]
    return image


def test_the_verification_url_is_absolute(cast, request_):
    certificate = earned(cast)
    path = f"/certificates/verify/{certificate.verification_code}/"

    assert certificate_verification_url(certificate=certificate, request=request_) == (
        "http://testserver" + path
    )
    # Without a request (a bulk job, the benchmark) the site's public address is used.
    assert certificate_verification_url(certificate=certificate) == "http://testserver" + path
    # Printed from an Arabic page, it is the same URL: paper outlives the page's language.
    with translation.override("ar"):
        assert certificate_verification_url(certificate=certificate) == "http://testserver" + path


def test_the_qr_code_decodes_to_the_verification_url(cast, request_):
    certificate = earned(cast)
    url = certificate_verification_url(certificate=certificate, request=request_)

    svg = certificate_qr_svg(url=url)

    results = zxingcpp.read_barcodes(qr_image(svg))
    assert [result.text for result in results] == [url]
    assert results[0].format == zxingcpp.BarcodeFormat.QRCode
    # Error correction survives print: level Q (25%) or better.
    assert results[0].ec_level in ("Q", "H")
    assert svg in certificate_html(certificate=certificate, request=request_)


def test_the_pdf_carries_the_holders_name_and_the_verification_url(cast, request_):
    certificate = earned(cast, partner_name="British Council")
    url = certificate_verification_url(certificate=certificate, request=request_)

    pdf = certificate_pdf(certificate=certificate, request=request_)

    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = pdf_text(pdf)
    for printed in (
        "Amina Hassan Ali",
        url,
        "Certificate of completion",
        "English for work",
        "British Council",
        certificate.number,
    ):
        assert printed in text
    assert "REVOKED" not in text


@pytest.mark.parametrize(
    ("name", "font"),
    [("陳大文", "NotoSerifCJK"), ("أمينة حسن", "NotoNaskhArabic")],
    ids=["chinese", "arabic"],
)
def test_names_in_chinese_and_arabic_render_in_their_own_script(cast, request_, name, font):
    certificate = earned(cast, name=name)

    pdf = certificate_pdf(certificate=certificate, request=request_)

    assert name in pdf_text(pdf)
    # Drawn with a font that has the script's glyphs, not boxes from a Latin font.
    assert any(font in embedded for embedded in pdf_fonts(pdf)), pdf_fonts(pdf)


def test_the_name_is_marked_for_its_own_direction(cast, request_):
    certificate = earned(cast, name="أمينة حسن")

    html = certificate_html(certificate=certificate, request=request_)

    assert '<p class="holder" dir="auto"><span>أمينة حسن</span></p>' in html


def test_a_long_name_and_course_title_still_fit_on_one_page(cast, request_):
    certificate = earned(
        cast,
        name="Marie-Claire Nkurunziza Uwimana Habyarimana Mukamana",
        course_title="Warehouse operations and forklift safety: a vocational placement "
        "with on-site training",
        partner_name="Hong Kong Logistics Training Partnership",
    )

    pdf = certificate_pdf(certificate=certificate, request=request_)

    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_a_revoked_certificate_says_so_with_the_date_but_not_the_reason(cast, request_):
    certificate = earned(cast)
    certificate = certificate_revoke(
        certificate=certificate, reason="Attendance sheet forged", by=cast.coordinator
    )
    revoked_on = timezone.localtime(certificate.revoked_at).strftime("%-d %B %Y")

    text = pdf_text(certificate_pdf(certificate=certificate, request=request_))

    assert "REVOKED" in text
    assert f"revoked on {revoked_on}" in " ".join(text.split())
    assert "forged" not in text


def test_the_centre_named_is_the_centres_own(cast, site, request_):
    certificate = earned(cast)
    assert "Harbour Learning Centre" in certificate_html(certificate=certificate, request=request_)

    CentreSettings.objects.update_or_create(
        site=site.site, defaults={"centre_name": "Kowloon Refugee Learning Hub"}
    )
    html = certificate_html(certificate=certificate, request=RequestFactory().get("/"))

    assert "Kowloon Refugee Learning Hub" in html


def test_the_printable_page_fetches_nothing(cast, request_):
    """Everything is inline, so rendering the PDF never reaches out to a server."""
    html = certificate_html(certificate=earned(cast), request=request_)

    assert not re.search(r"<(link|img|script)\b|\bsrc=|url\(", html)
