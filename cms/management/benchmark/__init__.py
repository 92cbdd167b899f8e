"""``manage.py benchmark``'s harness and scenarios.

They live in cms's composition root, cms/management, because they measure every app: the rest
of cms imports neither courses nor enrolment, and nothing outside cms/management imports this.
"""

from cms.management.benchmark.harness import Scenario
from cms.management.benchmark.impact import impact_report
from cms.management.benchmark.lists import staff_lists
from cms.management.benchmark.pages import pages, signed_in_pages
from cms.management.benchmark.sponsorship import sponsorships

# The main table's scenarios, in the order of its rows. Listed here rather than registered as
# a side effect of importing their modules, so that the table has the same rows whichever
# modules happen to have been imported.
SCENARIOS: list[Scenario] = [pages, signed_in_pages, staff_lists, sponsorships, impact_report]
