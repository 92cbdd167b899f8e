"""The impact report as files: an XLSX (labels, not codes; suppressed cells as "<5"; text
that looks like a formula kept as text, through cms.exports) and a PDF (WeasyPrint, from a
printable page of the same figures, charts and tables)."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from cms.exports import Money, Percent, table_workbook
from enrolment.services.impact import Figure, ImpactReport

PDF_TEMPLATE = "enrolment/admin/reports/impact_pdf.html"
# The page's stylesheet, then the PDF's page size and fonts: inlined, the PDF fetches nothing.
STYLESHEETS = ("css/impact.css", "css/impact_pdf.css")


def _cell(figure: Figure):
    if figure.kind == "money":
        return Money(figure.value)
    if figure.kind == "percent":
        return Percent(figure.value)
    return figure.value


def impact_workbook(*, report: ImpactReport, filters: list[tuple[str, str]]) -> bytes:
    """One sheet: the period and filters, every figure, then every breakdown's cells."""
    lines = [[_("Report"), _("Period"), report.scope.period.label]]
    lines += [[_("Report"), label, value] for label, value in filters]
    for section, figures in report.sections:
        lines += [[section, figure.label, _cell(figure)] for figure in figures]
    for breakdown in report.breakdowns:
        lines += [[breakdown.title, cell.label, cell.shown] for cell in breakdown.cells]
        lines.append([breakdown.title, breakdown.total.label, breakdown.total.shown])
    return table_workbook(
        _("Impact report"), [_("Section"), _("Measure"), _("Value")], lines, widths=[32, 40, 18]
    )


def impact_pdf(
    *, report: ImpactReport, filters: list[tuple[str, str]], request: HttpRequest
) -> bytes:
    """The report on A4, from a page that fetches nothing (its CSS is put inline)."""
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    stylesheet = "\n".join(  # our own files
        Path(finders.find(name)).read_text(encoding="utf-8") for name in STYLESHEETS
    )
    html = render_to_string(
        PDF_TEMPLATE,
        {
            "report": report,
            "filters": filters,
            "charts": report.charts(rtl=translation.get_language_bidi()),
            "stylesheet": mark_safe(stylesheet),
        },
        request=request,
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
