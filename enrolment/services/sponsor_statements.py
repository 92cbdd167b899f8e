"""A sponsor's yearly statement as a spreadsheet and a PDF, from `sponsor_portal.Statement`.

Both are built from the statement record alone, which holds the sponsor's name and each of
their sponsorships' payments with the child's first name: nothing else about a child can
reach the file. Every text cell is neutralised (a display name such as "=Friends" stays text
in Excel), money is a number with a HK$ format, so the sponsor's own sums work.
"""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from cms.centre import centre_name, centre_settings
from cms.exports import HKD_FORMAT, xlsx_cell
from cms.formats import local_date
from enrolment import access
from enrolment.models import Sponsorship
from enrolment.models.schools import school_year_label, school_year_of
from enrolment.services.sponsor_portal import SponsorshipYear, sponsorship_years

PDF_TEMPLATE = "enrolment/sponsor/statement_pdf.html"
DATE_FORMAT = "yyyy-mm-dd"
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Statement:
    sponsor_name: str
    school_year: str
    lines: tuple[SponsorshipYear, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), Decimal(0))

    @property
    def due_so_far(self) -> Decimal:
        return sum((line.due_so_far for line in self.lines), Decimal(0))

    @property
    def received(self) -> Decimal:
        return sum((line.received for line in self.lines), Decimal(0))


def sponsor_statement(*, user: AbstractBaseUser, school_year: int) -> Statement | None:
    """The sponsor's yearly statement: each sponsorship's payments in the school year."""
    sponsor = access.sponsor_for_user(user)
    if sponsor is None:
        return None
    return Statement(
        sponsor_name=sponsor.display_name,
        school_year=school_year_label(school_year),
        lines=sponsorship_years(user=user, school_year=school_year),
    )


def statement_years(*, user: AbstractBaseUser, today: dt.date | None = None) -> list[int]:
    """The school years, newest first, in which the sponsor had a sponsorship: from the
    year each starts in to the year it ends in (this year for one that goes on). One query."""
    this_year = school_year_of(today or timezone.localdate())
    years: set[int] = set()
    periods = Sponsorship.objects.filter(sponsor__user=user).values_list("starts_on", "ends_on")
    for starts_on, ends_on in periods:
        first = school_year_of(starts_on)
        last = school_year_of(ends_on) if ends_on else max(first, this_year)
        years.update(range(first, min(last, this_year + 1) + 1))  # none beyond next year
    return sorted(years, reverse=True)


def hkd(amount: Decimal | int | None) -> str:
    """Money as a sponsor reads it: "HK$1,200", or "HK$1,200.50" when there are cents."""
    if amount is None:
        return ""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"HK${amount:,.0f}"
    return f"HK${amount:,.2f}"


def statement_centre_name(*, request: HttpRequest | None = None) -> str:
    """The centre's name from its settings, else the site's name."""
    return centre_name(centre_settings(request=request))


def statement_filename(*, statement: Statement, extension: str) -> str:
    """ "sponsorship-statement-2025-26.xlsx": the year only, no names."""
    year = statement.school_year.replace("/", "-")
    return f"sponsorship-statement-{year}.{extension}"


def _payment_dates_text(line: SponsorshipYear) -> str:
    return ", ".join(day.isoformat() for day in line.payments)


def statement_workbook(
    *,
    statement: Statement,
    centre_name: str = "",
    generated_on: dt.date | None = None,
) -> bytes:
    """The statement as one XLSX sheet: a heading block, a line per sponsorship, the total."""
    generated_on = generated_on or timezone.localdate()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Statement")[:31]

    def text(value: str):
        return xlsx_cell(sheet, str(value))

    sheet.append([text(_("Sponsorship statement"))])
    sheet["A1"].font = TITLE
    if centre_name:
        sheet.append([text(_("Centre")), text(centre_name)])
    sheet.append([text(_("Sponsor")), text(statement.sponsor_name)])
    sheet.append([text(_("School year")), text(statement.school_year)])
    sheet.append([text(_("Generated on")), generated_on])
    sheet.cell(row=sheet.max_row, column=2).number_format = DATE_FORMAT
    sheet.append([])

    headings = [
        _("Child"),
        _("What it covers"),
        _("Frequency"),
        _("Amount each time"),
        _("Payments"),
        _("First payment"),
        _("Last payment"),
        _("Payment dates"),
        _("Due so far"),
        pgettext("money received", "Received"),
        _("Total for the year"),
    ]
    sheet.append([text(heading) for heading in headings])
    heading_row = sheet.max_row
    for cell in sheet[heading_row]:
        cell.font = BOLD
        cell.alignment = WRAP
    sheet.freeze_panes = f"A{heading_row + 1}"  # a coordinate: sheet.cell() would add a row

    for line in statement.lines:
        sheet.append(
            [
                text(line.child_first_name),
                text(", ".join(line.covers)),
                text(line.frequency),
                line.amount,
                len(line.payments),
                line.payments[0] if line.payments else None,
                line.payments[-1] if line.payments else None,
                text(_payment_dates_text(line)),
                line.due_so_far,
                line.received,
                line.total,
            ]
        )
        row = sheet.max_row
        for column in (4, 9, 10, 11):
            sheet.cell(row=row, column=column).number_format = HKD_FORMAT
        for column in (6, 7):
            sheet.cell(row=row, column=column).number_format = DATE_FORMAT
        sheet.cell(row=row, column=8).alignment = WRAP

    if not statement.lines:
        sheet.append([text(_("No payments in this school year."))])
    sheet.append([])
    totals = [statement.due_so_far, statement.received, statement.total]
    sheet.append([text(_("Total")), *[None] * 7, *totals])
    total_row = sheet.max_row
    sheet.cell(row=total_row, column=1).font = BOLD
    for column in (9, 10, 11):
        total = sheet.cell(row=total_row, column=column)
        total.font, total.number_format = BOLD, HKD_FORMAT

    for column, width in enumerate((16, 28, 14, 16, 10, 14, 14, 40, 16, 16, 18), start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.page_setup.orientation = "landscape"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def statement_html(
    *,
    statement: Statement,
    centre_name: str = "",
    generated_on: dt.date | None = None,
) -> str:
    """The printable statement the PDF is made from."""
    generated_on = generated_on or timezone.localdate()
    return render_to_string(
        PDF_TEMPLATE,
        {
            "statement": statement,
            "centre_name": centre_name,
            "generated_on": local_date(generated_on, "LONG_DATE_FORMAT"),
        },
    )


def statement_pdf(
    *,
    statement: Statement,
    centre_name: str = "",
    generated_on: dt.date | None = None,
) -> bytes:
    """The statement as an A4 PDF. The template's CSS is inline and it links to nothing, so
    rendering fetches nothing (the same approach as certificate_documents)."""
    from weasyprint import HTML  # loads Pango: only when a PDF is wanted

    html = statement_html(statement=statement, centre_name=centre_name, generated_on=generated_on)
    return HTML(string=html, base_url=settings.WAGTAILADMIN_BASE_URL).write_pdf()
