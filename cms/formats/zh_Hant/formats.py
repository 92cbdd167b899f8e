# Year, month, day with their characters; the weekday after the date: 2026年12月22日 星期二.
MEDIUM_DATE_FORMAT = "Y年n月j日"
LONG_DATE_FORMAT = "Y年n月j日"
DAY_MONTH_FORMAT = "n月j日"
WEEKDAY_DATE_FORMAT = "Y年n月j日 l"
WEEKDAY_DAY_MONTH_FORMAT = "n月j日 l"
MEDIUM_DATETIME_FORMAT = "Y年n月j日 H:i"
