"""The blank enrolment spreadsheet a coordinator fills in, and the instructions that come with
it (on its second sheet and on the upload page)."""

import io

import openpyxl
from django.utils.translation import gettext as _

from enrolment.services.spreadsheets import HEADINGS, MAX_ROWS


def enrolments_import_template() -> bytes:
    """An empty workbook with the two headings, and a second sheet that explains them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = _("Enrolments")[:31]
    sheet.append(list(HEADINGS))
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 28
    help_sheet = workbook.create_sheet(_("How to fill in")[:31])
    for line in import_instructions():
        help_sheet.append([line])
    help_sheet.column_dimensions["A"].width = 100
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def import_instructions() -> list[str]:
    return [
        _("Keep the headings of the first sheet: learner in column A, run in column B."),
        _(
            "learner: the learner's phone number in any format (9123 4567, +852 9123 4567), "
            "their email address, or their learner number such as L123."
        ),
        _("run: the class code exactly as in the timetable, e.g. ENG-A1-2026T3-A."),
        _("One learner and class per row; at most %(rows)d rows; type values, no formulas.")
        % {"rows": MAX_ROWS},
        _("Only the first sheet is read. Nothing is saved unless every row is correct."),
    ]
