"""Breakdowns drawn on the server as accessible SVG bar charts: no JavaScript, no inline
style (the page's Content-Security-Policy forbids it; colours are presentation attributes
and sizes come from the admin's report stylesheet).

Each chart is an image to assistive technology (role="img") named by its <title> and
described by its <desc>, which reads out every number; the page puts the same numbers in a
table beside it. A suppressed cell draws no bar (its length would give the count away) and
is labelled "<5". Right to left, the bars grow from the right.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from enrolment.services.impact.suppression import Breakdown

ROW = 28
LABEL_WIDTH = 240
BAR_WIDTH = 240
VALUE_WIDTH = 60
WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
BAR_COLOUR = "#1d5c8c"  # 7:1 against white; the count is written beside it, not on it
TEXT_COLOUR = "#1a1a1a"


def chart_description(breakdown: Breakdown) -> str:
    parts = [f"{cell.label}: {cell.shown}" for cell in breakdown.cells]
    parts.append(f"{breakdown.total.label}: {breakdown.total.shown}")
    return "; ".join(parts)


def chart_svg(*, breakdown: Breakdown, rtl: bool = False) -> SafeString:
    """One horizontal bar per cell of the breakdown, scaled to the largest count shown."""
    largest = max((cell.count for cell in breakdown.cells if not cell.suppressed), default=0)
    height = ROW * max(len(breakdown.cells), 1) + 8
    bars = []
    for row, cell in enumerate(breakdown.cells):
        y = 4 + row * ROW
        length = 0 if cell.suppressed or not largest else round(BAR_WIDTH * cell.count / largest)
        # The drawing is laid out in absolute terms (direction="ltr" on the <svg>); a label
        # in a right-to-left page is written right to left, from its right edge.
        if rtl:
            label_x, label_anchor = WIDTH - 4, "start"
            bar_x = WIDTH - LABEL_WIDTH - length
            value_x, value_anchor = WIDTH - LABEL_WIDTH - length - 6, "end"
        else:
            label_x, label_anchor = 4, "start"  # direction ltr: from the left edge
            bar_x = LABEL_WIDTH
            value_x, value_anchor = LABEL_WIDTH + length + 6, "start"
        bars.append(
            (
                label_x,
                y + ROW / 2 + 5,
                label_anchor,
                "rtl" if rtl else "ltr",
                cell.label,
                bar_x,
                y + 4,
                length,
                ROW - 8,
                value_x,
                y + ROW / 2 + 5,
                value_anchor,
                cell.shown,
            )
        )
    key = breakdown.key
    return format_html(
        '<svg class="impact-chart" xmlns="http://www.w3.org/2000/svg" role="img" direction="ltr" '
        'viewBox="0 0 {} {}" width="{}" height="{}" aria-labelledby="chart-{}-title" '
        'aria-describedby="chart-{}-desc" font-family="sans-serif" font-size="13" fill="{}">'
        '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        WIDTH,
        height,
        key,
        key,
        TEXT_COLOUR,
        key,
        breakdown.title,
        key,
        chart_description(breakdown),
        format_html_join(
            "",
            '<text x="{}" y="{}" text-anchor="{}" direction="{}">{}</text>'
            '<rect x="{}" y="{}" width="{}" height="{}" fill="' + BAR_COLOUR + '"></rect>'
            '<text x="{}" y="{}" text-anchor="{}">{}</text>',
            bars,
        ),
    )
