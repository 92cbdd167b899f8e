"""What the sponsorship service's tests share: the school year they are set in."""

import datetime as dt

YEAR = 2026  # the school year 2026/27: 1 September 2026 to 31 August 2027
D = dt.date
