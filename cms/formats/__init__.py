"""The site's date formats per language (FORMAT_MODULE_PATH), so that each language shows a
natural date: "22 Dec 2026" in English, "2026年12月22日 星期二" in Chinese, never "星期二 22 十二月
2026". Templates and services name a format ({{ day|date:"WEEKDAY_DATE_FORMAT" }}) rather than
spell one; Django finds the name in the module of the page's language.

Every language of settings.LANGUAGES has a module here defining all of NAMES: a name missing
for a language would print as itself (tests/cms/test_date_formats.py checks).
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, get_format

NAMES = (
    "MEDIUM_DATE_FORMAT",  # 22 Dec 2026
    "LONG_DATE_FORMAT",  # 22 December 2026: certificates, statements
    "DAY_MONTH_FORMAT",  # 22 Dec
    "WEEKDAY_DATE_FORMAT",  # Tuesday 22 Dec 2026
    "WEEKDAY_DAY_MONTH_FORMAT",  # Tue 22 Dec
    "MEDIUM_DATETIME_FORMAT",  # 22 Dec 2026, 18:30
)

# For a language whose natural order is day, month, year with month names: the startable
# languages until a volunteer says otherwise.
DAY_MONTH_YEAR = {
    "MEDIUM_DATE_FORMAT": "j F Y",
    "LONG_DATE_FORMAT": "j F Y",
    "DAY_MONTH_FORMAT": "j F",
    "WEEKDAY_DATE_FORMAT": "l j F Y",
    "WEEKDAY_DAY_MONTH_FORMAT": "l j F",
    "MEDIUM_DATETIME_FORMAT": "j F Y, H:i",
}


def local_format(name: str) -> str:
    """The format `name` in the active language; English's where that language has no module
    here (a language whose catalogue does not exist yet: Django then looks up no module at
    all; the admin's own languages)."""
    found = get_format(name)
    return found if found != name else get_format(name, lang=settings.LANGUAGE_CODE)


def local_date(value, name: str) -> str:
    """`value` (a date or datetime) in the active language's format `name`; "" for none.
    A moment in time is shown in Hong Kong time (TIME_ZONE), whatever zone it came in."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, local_format(name)) if value else ""
