"""Spreadsheet exports that cannot smuggle a formula into a coordinator's Excel."""

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from wagtail.admin.views.generic import IndexView

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Prefix text that a spreadsheet would run as a formula with a quote (OWASP's advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def attachment(content: bytes, *, filename: str, content_type: str = XLSX) -> HttpResponse:
    """A file to save rather than show, its name quoted safely whatever characters it holds."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


class SafeExportIndexView(IndexView):
    """An admin listing whose CSV and XLSX exports neutralise formula-looking text."""

    def preprocess_field_value(self, field, value, export_format):
        return neutralise(super().preprocess_field_value(field, value, export_format))


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
        cell = WriteOnlyCell(sheet, value=neutralise(str(heading)))
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
    return neutralise(value)
