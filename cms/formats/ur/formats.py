# As Arabic: day, month name, year, with the same comma (U+060C) before the time.
from cms.formats.ar.formats import *  # noqa: F403
