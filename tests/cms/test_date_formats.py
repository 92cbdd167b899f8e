"""Dates shown in each language's own way (cms/formats): a Chinese page never shows
"星期二 22 十二月 2026"."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import translation

from cms.formats import NAMES, local_date, local_format
from tests.factories import CoursePageFactory, CourseRunFactory

TUESDAY = dt.date(2026, 12, 22)


@pytest.mark.parametrize("code", [*(code for code, _name in settings.LANGUAGES), "de"])
def test_every_language_has_every_named_format(code):
    # A name a language lacked would be printed as itself: "WEEKDAY_DATE_FORMAT". One whose
    # catalogue is not started yet (Somali), or the admin's German, reads English's.
    with translation.override(code):
        for name in NAMES:
            assert local_format(name) != name, (code, name)
            value = dt.datetime(2026, 12, 22, 18, 30) if "DATETIME" in name else TUESDAY
            assert "FORMAT" not in local_date(value, name)


@pytest.mark.parametrize(
    ("code", "name", "shown"),
    [
        ("zh-hant", "WEEKDAY_DATE_FORMAT", "2026年12月22日 星期二"),
        ("zh-hant", "MEDIUM_DATE_FORMAT", "2026年12月22日"),
        ("zh-hant", "DAY_MONTH_FORMAT", "12月22日"),
        ("en", "WEEKDAY_DATE_FORMAT", "Tuesday 22 Dec 2026"),
        ("en", "MEDIUM_DATE_FORMAT", "22 Dec 2026"),
        ("en", "LONG_DATE_FORMAT", "22 December 2026"),
        ("fr", "WEEKDAY_DATE_FORMAT", "mardi 22 décembre 2026"),
        ("ar", "LONG_DATE_FORMAT", "22 ديسمبر 2026"),
    ],
)
def test_a_date_reads_naturally_in_each_language(code, name, shown):
    with translation.override(code):
        assert local_date(TUESDAY, name) == shown


@pytest.mark.django_db
def test_a_chinese_course_page_shows_chinese_dates(client, site):
    course = CoursePageFactory(title="English A1", parent=site.catalogue)
    CourseRunFactory(course=course, start_date=TUESDAY, end_date=dt.date(2027, 3, 2))
    html = client.get(f"/zh-hant{course.url}").content.decode()
    assert "<bdi>2026年12月22日</bdi> – <bdi>2027年3月2日</bdi>" in html
    assert "十二月 2026" not in html and "22 Dec" not in html
