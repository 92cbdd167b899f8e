"""Every download of the site, with the nastiest text stored in every personal field: each
answers 200 with a file that opens, holds no formula, and keeps the text where a file can.

EXPORTS is the one list of downloads. A new listing with an export, or a new URL that sends a
file (its name says .xlsx, .pdf or template), fails `test_every_export_is_listed` until it is
added here.
"""

import csv
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.log_actions import log

from enrolment.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    Learner,
    ProgressReport,
    School,
    Sponsor,
    SponsorshipPayment,
)
from tests.exports import xlsx_formulas
from tests.test_url_inventory import _world
from tests.url_inventory_table import TABLE

pytestmark = pytest.mark.django_db

NASTY = [
    "a\x01\x1b[31mb\x7f",  # control characters saved before names were checked
    "\u202eevil\u202c name",  # a bidi override
    '=HYPERLINK("http://evil.example","click")',
    "+85291230004",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "x" * 10_000,
    "Amani 🙂 أماني 阿曼尼",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# name -> (URL with {world attributes}, who downloads it, format)
EXPORTS = {
    **{
        f"{namespace}:index {fmt}": (f"{namespace}:index?export={fmt}", "coordinator", fmt)
        for namespace in (
            "learners",
            "enrolments",
            "certificates",
            "qualifications",
            "sponsors",
            "sponsorships",
            "sponsorship_payments",
            "placements",
            "progress_reports",
            "course_runs",
            "course_sessions",
        )
        for fmt in ("xlsx", "csv")
    },
    "site history xlsx": ("/admin/reports/site-history/?export=xlsx", "coordinator", "xlsx"),
    "site history csv": ("/admin/reports/site-history/?export=csv", "coordinator", "csv"),
    "at_risk:index": ("at_risk:index?export=xlsx", "coordinator", "xlsx"),
    "registers_not_taken:index": ("registers_not_taken:index?export=xlsx", "coordinator", "xlsx"),
    "funding:index": ("funding:index?export=xlsx&year={year}", "coordinator", "xlsx"),
    "transport_fares:index": ("transport_fares:index?export=xlsx", "coordinator", "xlsx"),
    "impact_report_xlsx": ("impact_report_xlsx", "coordinator", "xlsx"),
    "impact_report_pdf": ("impact_report_pdf", "coordinator", "pdf"),
    "enrolments:import_template": ("enrolments:import_template", "coordinator", "xlsx"),
    "teach_run_xlsx": ("teach_run_xlsx run", "teacher", "xlsx"),
    "sponsor_statement_xlsx": ("sponsor_statement_xlsx year", "sponsor", "xlsx"),
    "sponsor_statement_pdf": ("sponsor_statement_pdf year", "sponsor", "pdf"),
    "certificate_pdf": ("certificate_pdf certificate", "learner", "pdf"),
}


def url_of(spec: str, world) -> str:
    if spec.startswith("/"):
        return spec.format(**vars(world))
    name, _, query = spec.partition("?")
    name, *args = name.split(" ")
    path = reverse(name, args=[getattr(world, arg) for arg in args])
    return f"{path}?{query.format(**vars(world))}" if query else path


@pytest.fixture
def nasty_world(site, cast):
    cache.clear()  # the PDFs count requests in the cache
    world = _world(site.catalogue, cast)
    world.cast = cast
    # Written with update(): stored as if saved before the forms refused them.
    Learner.objects.filter(pk=world.learner).update(
        preferred_name=NASTY[0],
        legal_name=NASTY[2],
        guardian_name=NASTY[1],
        email=NASTY[5],
        phone=NASTY[3],
        guardian_phone=NASTY[4],
    )
    Learner.objects.filter(pk=world.child).update(preferred_name=NASTY[9], legal_name=NASTY[6])
    Sponsor.objects.filter(pk=world.sponsor).update(display_name=NASTY[2])
    School.objects.filter(pk=world.school).update(name=NASTY[7])
    SponsorshipPayment.objects.filter(pk=world.payment).update(reference=NASTY[0])
    ProgressReport.objects.filter(pk=world.report).update(teacher_comment=NASTY[8])
    Certificate.objects.filter(pk=world.certificate).update(holder_name=NASTY[1])
    Attendance.objects.create(
        enrolment_id=world.enrolment,
        session_id=world.session,
        status=AttendanceStatus.ABSENT,
        note=NASTY[6],
        marked_at=timezone.now(),
    )
    log(
        instance=Learner.objects.get(pk=world.learner), action="wagtail.edit", user=cast.coordinator
    )
    return world


@pytest.mark.parametrize("export", EXPORTS)
def test_every_export_opens_and_holds_no_formula(client, nasty_world, export):
    spec, who, fmt = EXPORTS[export]
    client.force_login(getattr(nasty_world.cast, who))

    response = client.get(url_of(spec, nasty_world))

    assert response.status_code == 200, response.status_code
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        assert xlsx_formulas(data) == []
        workbook = openpyxl.load_workbook(io.BytesIO(data))
        assert workbook.worksheets
    elif fmt == "csv":
        cells = [cell for row in csv.reader(io.StringIO(data.decode("utf-8"))) for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    else:
        assert data.startswith(b"%PDF")


def test_the_nasty_text_is_kept_where_a_file_can_hold_it(client, nasty_world):
    client.force_login(nasty_world.cast.coordinator)
    data = b"".join(client.get(url_of("learners:index?export=xlsx", nasty_world)).streaming_content)
    values = {
        cell.value
        for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows()
        for cell in row
    }
    assert "a[31mb\x7f" in values  # what XML cannot hold goes, the rest stays
    assert NASTY[2] in values and NASTY[3] in values


def test_every_export_is_listed():
    from wagtail.admin.viewsets import viewsets

    listed = {spec.partition("?")[0].split(" ")[0] for spec, _, _ in EXPORTS.values()}
    downloads = {
        name
        for name in TABLE
        if name.endswith(("_xlsx", "_pdf", "_template")) or name.split(":")[0] in ("funding",)
    }
    exporting = {
        f"{viewset.url_namespace}:index"
        for viewset in viewsets.viewsets
        if issubclass(getattr(viewset, "index_view_class", object), SpreadsheetExportMixin)
        and getattr(viewset, "list_export", None)
        and getattr(viewset, "name", None)  # Wagtail's page viewset has none and no export
        and f"{viewset.url_namespace}:index" in TABLE
    }
    assert "learners:index" in exporting  # the walk found the viewsets
    assert (downloads | exporting) - listed == set()
