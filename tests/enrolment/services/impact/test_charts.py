"""The breakdown charts: accessible SVG whose description reads out every number, and no
bar for a suppressed count (its length would give the count away)."""

import re

from enrolment.services.impact.charts import chart_svg
from enrolment.services.impact.suppression import breakdown_suppress


def region_breakdown():
    return breakdown_suppress(
        key="region",
        title="Region of origin",
        counts=[("East Africa", 6), ("South Asia", 12), ("<script>", 2)],
        total=20,
        total_label="Learners served",
    )


def test_a_chart_is_an_image_with_a_title_and_the_numbers_in_its_description():
    svg = str(chart_svg(breakdown=region_breakdown()))
    assert svg.startswith('<svg class="impact-chart"') and 'role="img"' in svg
    assert '<title id="chart-region-title">Region of origin</title>' in svg
    assert 'aria-labelledby="chart-region-title"' in svg
    description = re.search(r"<desc[^>]*>(.*)</desc>", svg).group(1)
    # East Africa (6) is the next smallest after the 2: both hidden.
    assert description == (
        "East Africa: &lt;5; South Asia: 12; &lt;script&gt;: &lt;5; Learners served: 20"
    )
    assert "<script>" not in svg and "style=" not in svg


def test_a_suppressed_count_draws_no_bar():
    svg = str(chart_svg(breakdown=region_breakdown()))
    widths = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="(\d+)"', svg)
    assert widths == ["0", "240", "0"]  # South Asia, the largest shown, fills the bar area


def test_right_to_left_bars_grow_from_the_right():
    ltr = str(chart_svg(breakdown=region_breakdown()))
    rtl = str(chart_svg(breakdown=region_breakdown(), rtl=True))
    assert re.findall(r'<rect x="(\d+)"', ltr)[1] == "240"  # after the labels
    # 540 units wide: the labels take the right 240, the bar ends where they begin.
    x, width = re.findall(r'<rect x="(\d+)" y="[\d.]+" width="(\d+)"', rtl)[1]
    assert (int(x), int(x) + int(width)) == (60, 300)
