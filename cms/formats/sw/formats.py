# Day, month name, year, until a volunteer translating this language says otherwise.
from cms.formats import DAY_MONTH_YEAR

globals().update(DAY_MONTH_YEAR)
