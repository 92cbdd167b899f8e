"""The benchmark's rows for the impact report: the page and its XLSX over the current school
year, as the demo's coordinator asks for them. The demo grows with the scale (more learners,
enrolments and marks); the report is aggregates, so its query count must not."""

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from cms.management.benchmark.harness import (
    BenchmarkError,
    Measurement,
    Options,
    get_ok,
    measure,
    measure_page,
    testserver_allowed,
)

IMPACT_PAGE = "impact report, school year (coordinator)"
IMPACT_XLSX = "impact report XLSX (coordinator)"


def impact_report(options: Options) -> list[Measurement]:
    client = Client()
    client.force_login(get_user_model().objects.get(username="coordinator"))
    xlsx_url = reverse("impact_report_xlsx")

    def xlsx() -> None:
        if not get_ok(client, xlsx_url).content.startswith(b"PK"):
            raise BenchmarkError(f"GET {xlsx_url} did not send a spreadsheet.")

    with testserver_allowed():
        return [
            measure_page(IMPACT_PAGE, reverse("impact_report"), options, client),
            measure(IMPACT_XLSX, xlsx, options),
        ]
