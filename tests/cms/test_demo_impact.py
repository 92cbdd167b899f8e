"""The demo makes the impact report meaningful: its current school year counts learners,
hours and outcomes, and gender and region are recorded for some learners, not all."""

from django.utils import timezone

from cms.management.demo import build_demo
from enrolment.models import Learner
from enrolment.models.schools import school_year_of
from enrolment.services.impact import ImpactScope, impact_report_compile
from enrolment.services.impact.scope import period_of_school_year


def test_the_demos_school_year_fills_the_impact_report(db):
    build_demo(scale=1)
    recorded = Learner.objects.exclude(gender="").count()
    assert 0 < recorded < Learner.objects.count()  # optional: some answered, some did not

    year = school_year_of(timezone.localdate())
    report = impact_report_compile(scope=ImpactScope(period=period_of_school_year(year=year)))

    f = report.figures
    assert f.learners_served >= 10 and f.new_learners > 0
    assert f.sessions_held > 0 and f.contact_hours > 0 and f.attendance_rate
    assert f.children_sponsored > 0
    gender = next(b for b in report.breakdowns if b.key == "gender")
    assert sum(cell.count for cell in gender.cells[:2]) > 0  # women and men recorded
    assert any(not cell.suppressed and cell.count for cell in gender.cells)
