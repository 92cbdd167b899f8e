"""Spreadsheet exports that cannot smuggle a formula into a coordinator's Excel, and survive
whatever text is stored.

Every cell of every export goes through one of two functions:
- `xlsx_cell` for XLSX: text without the control characters XML cannot hold (openpyxl raises
  on them, and the export answered 500), always a string cell (openpyxl turns text starting
  with "=" into a formula), and formula-looking text marked with Excel's hidden quote prefix
  so that it stays text when someone edits the cell. "+852 9123 0004" shows as typed.
- `neutralise` for CSV, which has no cell types: the same text, with OWASP's visible quote
  before anything a spreadsheet would run as a formula.

Every listing export is announced to the `after_spreadsheet_export` Wagtail hook with its row
count, so that the access log records who took which list (enrolment.wagtail_hooks): cms
knows no app, and an app's listing cannot forget to log.

Listing exports (SafeSpreadsheetExportMixin) read as the listing does: a choice as its label
("Arabic", not "ar"), a moment in Hong Kong time (Wagtail writes XLSX times in UTC), yes or no
for a tick box, and nothing for a value not recorded. They stream: rows are read from the
database a chunk at a time and the XLSX is written to a temporary file, so a 100,000-row list
costs the server a chunk of memory, not the whole list (`manage.py benchmark` measures it).
"""

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import Echo, list_to_str
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.coreutils import multigetattr

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows read from the database at a time by a listing export: Django's queryset cache would
# otherwise hold every model instance of a 100,000-row list at once.
EXPORT_CHUNK_ROWS = 2000
# An XLSX smaller than this stays in memory; a larger one goes to a temporary file.
XLSX_IN_MEMORY_BYTES = 4 * 2**20


def export_text(value: str) -> str:
    """`value` without the control characters an XML file cannot hold (tab, line feed and
    carriage return are kept)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def neutralise(value):
    """For CSV: prefix text that a spreadsheet would run as a formula with a quote (OWASP's
    advice), after removing what a file cannot hold."""
    if isinstance(value, str):
        value = export_text(value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def xlsx_cell(sheet, value):
    """An XLSX cell for `value` that is never a formula: text is a string cell whatever it
    starts with. Works in write-only and ordinary sheets (`sheet.append([...])`)."""
    if isinstance(value, str):
        value = export_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    return cell


def attachment(content: bytes, *, filename: str, content_type: str = XLSX) -> HttpResponse:
    """A file to save rather than show, its name quoted safely whatever characters it holds."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"


def local_moment(value: dt.datetime) -> dt.datetime:
    """A moment as the clock in Hong Kong showed it (TIME_ZONE), without a zone: what a
    spreadsheet cell can hold."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None, microsecond=0)


def local_moment_text(value: dt.datetime) -> str:
    return f"{local_moment(value):%Y-%m-%d %H:%M}"


def yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def export_value(item, field: str):
    """`field` of `item` (a dotted path, as in `list_export`), as a reader wants it: the label
    of a choice rather than its code, and nothing where the path meets a missing relation
    (a qualification awarded by no partner)."""
    *path, name = field.split(".")
    owner = item
    for part in path:
        owner = multigetattr(owner, part)
        if owner is None:
            return None
    if isinstance(owner, models.Model):
        try:
            model_field = owner._meta.get_field(name)
        except FieldDoesNotExist:
            model_field = None
        if getattr(model_field, "choices", None):
            return getattr(owner, f"get_{name}_display")()
    return multigetattr(owner, name)


class SafeSpreadsheetExportMixin:
    """For Wagtail's SpreadsheetExportMixin views: CSV values neutralised, XLSX cells written
    by xlsx_cell (a phone number keeps no visible quote); choices as labels, times in Hong
    Kong, ticks as yes or no, dates as dates."""

    custom_value_preprocess = {
        dt.datetime: {"xlsx": local_moment, "csv": local_moment_text},
        (dt.date, dt.time): {"xlsx": None},
        bool: {"xlsx": yes_no, "csv": yes_no},
        list: {"xlsx": list_to_str, "csv": list_to_str},
    }

    def to_row_dict(self, item):
        return {field: export_value(item, field) for field in self.list_export}

    def as_spreadsheet(self, queryset, spreadsheet_format):
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        rows = queryset.count() if isinstance(queryset, models.QuerySet) else len(queryset)
        for hook in hooks.get_hooks("after_spreadsheet_export"):
            hook(
                request=self.request,
                view=self,
                filename=f"{self.get_filename()}.{spreadsheet_format}",
                rows=rows,
            )
        return response

    def export_items(self, queryset):
        if isinstance(queryset, models.QuerySet):
            return queryset.iterator(chunk_size=EXPORT_CHUNK_ROWS)
        return queryset

    # Wagtail's own two writers, reading the rows a chunk at a time (export_items).

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow(
            {field: self.get_heading(queryset, field) for field in self.list_export}
        )
        for item in self.export_items(queryset):
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_xlsx(self, queryset, output):
        workbook = openpyxl.Workbook(write_only=True, iso_dates=True)
        sheet = workbook.create_sheet(title="Sheet1")
        sheet.append(self.get_heading(queryset, field) for field in self.list_export)
        for item in self.export_items(queryset):
            sheet.append(self.generate_xlsx_row(sheet, self.to_row_dict(item)))
        workbook.save(output)

    def write_xlsx_response(self, queryset):
        output = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY_BYTES)
        self.write_xlsx(queryset, output)
        output.seek(0)
        return FileResponse(
            output, as_attachment=True, content_type=XLSX, filename=f"{self.get_filename()}.xlsx"
        )

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise(value)
        return value

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            cell = xlsx_cell(worksheet, self.preprocess_field_value(field, value, self.FORMAT_XLSX))
            # Wagtail's date format follows the admin language's SHORT_DATETIME_FORMAT
            # ("m/d/Y P"), which reads the wrong way round in Hong Kong: ISO for every cell.
            if isinstance(value, dt.datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            yield cell


class SafeExportIndexView(SafeSpreadsheetExportMixin, IndexView):
    """An admin listing whose CSV and XLSX exports are safe to open."""

    def get(self, request, *args, **kwargs):
        if not self.is_export:
            return super().get(request, *args, **kwargs)
        # Straight to the file: the listing's page context would load the whole list into
        # memory first (Wagtail counts an unpaginated list with len()), 100,000 rows of it.
        return self.as_spreadsheet(self.get_queryset(), request.GET.get("export"))


class SafeLogEntriesView(SafeSpreadsheetExportMixin, LogEntriesView):
    """Wagtail's site history, whose exports carry the titles of logged objects (a learner's
    name as they typed it)."""


# --- one-sheet tables as XLSX -----------------------------------------------------------------


@dataclass(frozen=True)
class Percent:
    """A share (0.85) to show as a percentage (85%); None leaves the cell empty."""

    value: float | None


@dataclass(frozen=True)
class Money:
    """An amount in Hong Kong dollars, kept a number so that the sheet can add it up."""

    value: Decimal | int | None


HKD_FORMAT = '"HK$"#,##0.00'


def table_workbook(
    title: str, headings: list[str], lines: Iterable[list], *, widths: list[int]
) -> bytes:
    """One sheet: a bold heading row, then the lines; text neutralised, dates as dates, and
    Percent and Money cells as numbers in their format."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(title)[:31])
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for heading in headings:
        cell = xlsx_cell(sheet, str(heading))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for line in lines:
        sheet.append([_cell(sheet, value) for value in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value):
    formats = {Percent: "0%", Money: HKD_FORMAT}
    if type(value) in formats:
        cell = WriteOnlyCell(sheet, value=value.value)
        cell.number_format = formats[type(value)]
        return cell
    if isinstance(value, dt.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return xlsx_cell(sheet, value)
