import json

from cms.management.benchmark import SCENARIOS
from cms.management.benchmark.harness import Options, render_table, run_benchmark, write_json


def test_the_benchmark_core_measures_the_catalogue(db, tmp_path):
    # Scale 1 twice: the whole path (build, scenarios, pairing, output) without the 10x build,
    # inside pytest's test database rather than a nested one.
    rows = run_benchmark(
        SCENARIOS, Options(repeat=1, warmup=0), scales=(1, 1), report=lambda _: None
    )

    catalogue = next(row for row in rows if row.scenario == "catalogue")
    assert catalogue.small.queries > 0
    assert catalogue.small.median_ms > 0
    assert any(line.startswith("catalogue ") for line in render_table(rows).splitlines())

    # Signed-in pages too, as the demo's people.
    at_risk = next(row for row in rows if row.scenario == "at risk (coordinator)")
    assert at_risk.small.queries > 0
    assert any(row.scenario == "my learning (learner)" for row in rows)
    # The impact report, page and spreadsheet, over the demo's school year.
    impact = next(row for row in rows if row.scenario == "impact report, school year (coordinator)")
    assert impact.small.queries > 0 and impact.small.queries == impact.large.queries
    assert any(row.scenario == "impact report XLSX (coordinator)" for row in rows)

    write_json(rows, tmp_path / "bench.json", scales=(1, 1))
    written = json.loads((tmp_path / "bench.json").read_text())
    assert written["rows"][0]["scenario"] == "catalogue"
    assert written["races"] == []
    assert written["registers"] == [] and written["exports"] == []
