# English as the site has always shown it: day, short month, year.
MEDIUM_DATE_FORMAT = "j M Y"
LONG_DATE_FORMAT = "j F Y"
DAY_MONTH_FORMAT = "j M"
WEEKDAY_DATE_FORMAT = "l j M Y"
WEEKDAY_DAY_MONTH_FORMAT = "D j M"
MEDIUM_DATETIME_FORMAT = "j M Y, H:i"
