"""What the /sponsor/ tests share: a sponsor and another with their own children, the pages'
addresses, how to read a page or a file, and rate limits and media that start afresh."""

import datetime as dt
import html
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from enrolment.models.schools import school_year_of
from tests.factories import ChildFactory, SponsorFactory, SponsorshipFactory


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The PDF's rate limit counts in the cache; each test starts with none spent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def this_year() -> int:
    return school_year_of(timezone.localdate())


def first_of_september() -> dt.date:
    return dt.date(this_year(), 9, 1)


def age_today(born: dt.date) -> int:
    today = timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def png_bytes(colour: str = "red") -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), colour).save(output, format="PNG")
    return output.getvalue()


def give_photo(child, colour: str = "red") -> bytes:
    content = png_bytes(colour)
    child.photo.save("family-photo.png", SimpleUploadedFile("family-photo.png", content))
    return content


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def xlsx_text(content: bytes) -> str:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    values = []
    for sheet in workbook.worksheets:
        values.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            values.extend(str(value) for value in row if value is not None)
    return "\n".join(values)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def child_url(child) -> str:
    return f"/sponsor/children/{child.pk}/"


def report_url(child, report) -> str:
    return f"/sponsor/children/{child.pk}/reports/{report.pk}/"


def photo_url(child) -> str:
    return f"/sponsor/children/{child.pk}/photo/"


def statement_url(year: int, suffix: str = "/") -> str:
    return f"/sponsor/statement/{year}{suffix}"


@pytest.fixture
def sponsor(cast):
    return SponsorFactory(
        user=cast.sponsor,
        display_name="Harbour Rotary Club",
        notes="Pledged through the Quillfeather Trust; prefers calls after six.",
    )


@pytest.fixture
def other_sponsor(cast):
    return SponsorFactory(user=cast.other_sponsor, display_name="Vandersloot Benefactors")


def sponsor_child(sponsor, **fields):
    child = ChildFactory(**fields)
    SponsorshipFactory(sponsor=sponsor, child=child)
    return child
