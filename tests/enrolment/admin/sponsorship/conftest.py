"""The coordinators' sponsorship admin: schools, sponsors, sponsorships, school places,
progress reports (reviewed, then shared) and the funding worklist; its tests share these
addresses and this school year.

Every bad input shows its message and saves nothing; good input saves and is logged once;
nobody but a coordinator gets in; no listing costs more queries for more rows."""

from enrolment.models.schools import school_year_of
from tests.dates import local_today

ADMIN = "/admin/sponsorship/"
SCHOOLS = ADMIN + "schools/"
SPONSORS = ADMIN + "sponsors/"
SPONSORSHIPS = ADMIN + "sponsorships/"
PLACEMENTS = ADMIN + "placements/"
REPORTS = ADMIN + "reports/"
FUNDING = ADMIN + "funding/"
PAYMENTS = ADMIN + "payments/"


YEAR = school_year_of(local_today())
