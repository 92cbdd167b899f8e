# As Arabic: day, month name, year; the Urdu comma before the time.
MEDIUM_DATE_FORMAT = "j F Y"
LONG_DATE_FORMAT = "j F Y"
DAY_MONTH_FORMAT = "j F"
WEEKDAY_DATE_FORMAT = "l j F Y"
WEEKDAY_DAY_MONTH_FORMAT = "l j F"
MEDIUM_DATETIME_FORMAT = "j F Y، H:i"
