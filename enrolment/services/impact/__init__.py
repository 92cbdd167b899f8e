"""Impact reports for funders and the board: what the centre did in a period, in figures the
database works out (figures.py, breakdowns.py), with small cells suppressed
(suppression.py) and charts drawn on the server (charts.py). The admin's report page and its
XLSX and PDF all show what `impact_report_compile` returns, so they cannot disagree."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from enrolment.models.schools import school_year_label
from enrolment.services.impact.breakdowns import (
    breakdowns_compute,
    ielts_breakdown,
    returning_breakdown,
)
from enrolment.services.impact.charts import chart_svg
from enrolment.services.impact.figures import Figures, figures_compute, qualifications_in_scope
from enrolment.services.impact.scope import ImpactScope
from enrolment.services.impact.suppression import Breakdown, count_shown

__all__ = ["Figure", "ImpactReport", "ImpactScope", "impact_report_compile"]

PEOPLE, NUMBER, HOURS, PERCENT, MONEY = "people", "number", "hours", "percent", "money"


@dataclass(frozen=True)
class Figure:
    """One headline figure. `value` is what a spreadsheet cell holds ("<5" for a suppressed
    count of people, a number otherwise, None when there is nothing to measure)."""

    label: str
    value: int | str | Decimal | float | None
    kind: str

    @property
    def shown(self) -> str:
        if self.value is None:
            return "–"
        if self.kind == PERCENT:
            return f"{number_format(round(self.value * 100))}%"
        if self.kind == MONEY:
            return f"HK${number_format(self.value, decimal_pos=2, force_grouping=True)}"
        if isinstance(self.value, str):
            return self.value
        return number_format(self.value, force_grouping=True)


@dataclass(frozen=True)
class ImpactReport:
    scope: ImpactScope
    figures: Figures
    sections: list[tuple[str, list[Figure]]]
    breakdowns: list[Breakdown]

    def charts(self, *, rtl: bool = False) -> list[tuple[Breakdown, SafeString]]:
        return [(b, chart_svg(breakdown=b, rtl=rtl)) for b in self.breakdowns if b.cells]


def _sections(f: Figures, returning: Breakdown) -> list[tuple[str, list[Figure]]]:
    new, back = returning.cells
    school_percent = (
        None if f.school_attendance_percent is None else f.school_attendance_percent / 100
    )
    return [
        (
            _("Learners"),
            [
                Figure(_("Learners served"), count_shown(f.learners_served), PEOPLE),
                Figure(_("New learners"), new.shown, PEOPLE),
                Figure(_("Returning learners"), back.shown, PEOPLE),
            ],
        ),
        (
            _("Teaching"),
            [
                Figure(_("Sessions held"), f.sessions_held, NUMBER),
                Figure(_("Contact hours"), f.contact_hours, HOURS),
                Figure(_("Attendance rate"), f.attendance_rate, PERCENT),
            ],
        ),
        (
            _("Outcomes"),
            [
                Figure(_("Completions"), count_shown(f.completions), PEOPLE),
                Figure(_("Certificates issued"), count_shown(f.certificates_issued), PEOPLE),
                Figure(_("GED subjects passed"), count_shown(f.ged_subjects_passed), PEOPLE),
                Figure(_("GED diplomas"), count_shown(f.ged_diplomas), PEOPLE),
                Figure(_("Placements completed"), count_shown(f.placements_completed), PEOPLE),
            ],
        ),
        (
            _("Children's schooling"),
            [
                Figure(_("Children sponsored"), count_shown(f.children_sponsored), PEOPLE),
                Figure(_("Their school attendance"), school_percent, PERCENT),
                Figure(
                    _("Funding gap, school year %(year)s")
                    % {"year": school_year_label(f.funding_school_year)},
                    f.funding_gap,
                    MONEY,
                ),
            ],
        ),
        (
            _("Support to attend"),
            [
                Figure(
                    _("Learners with an interpreter"), count_shown(f.interpreter_learners), PEOPLE
                ),
                Figure(_("Learners using childcare"), count_shown(f.childcare_learners), PEOPLE),
                Figure(_("Childcare places"), count_shown(f.childcare_places), PEOPLE),
                Figure(
                    _("Learners with transport reimbursed"),
                    count_shown(f.transport_learners),
                    PEOPLE,
                ),
                Figure(_("Transport reimbursed"), f.transport_amount, MONEY),
            ],
        ),
    ]


def impact_report_compile(*, scope: ImpactScope) -> ImpactReport:
    """The report for the scope: figures, breakdowns and charts, small cells suppressed."""
    figures = figures_compute(scope=scope)
    returning = returning_breakdown(new=figures.new_learners, returning=figures.returning_learners)
    breakdowns = breakdowns_compute(scope=scope, served=figures.learners_served)
    breakdowns.append(ielts_breakdown(qualifications=qualifications_in_scope(scope)))
    return ImpactReport(
        scope=scope,
        figures=figures,
        sections=_sections(figures, returning),
        breakdowns=breakdowns,
    )
