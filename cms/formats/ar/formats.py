# Day, month name, year, with the Arabic comma before the time: الثلاثاء 22 ديسمبر 2026.
MEDIUM_DATE_FORMAT = "j F Y"
LONG_DATE_FORMAT = "j F Y"
DAY_MONTH_FORMAT = "j F"
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DAY_MONTH_FORMAT = "l j F"
MEDIUM_DATETIME_FORMAT = "j F Y، H:i"
