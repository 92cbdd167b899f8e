"""The readable copy: the collected data as an A4 PDF, a heading per section and a table per
record. Its CSS is inline and it links to nothing, so rendering fetches nothing (as the
certificates and sponsor statements do); the font stack names the Noto families `.ci/run`
installs, so a name in Arabic, Urdu or Chinese prints as itself."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

TEMPLATE = "enrolment/admin/learners/data_pdf.html"


@dataclass(frozen=True)
class Row:
    label: str
    text: str = ""
    # A list of records inside this one (a class's attendance): each a list of rows.
    records: tuple = ()


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_text(item)}" for key, item in value.items())
    return str(value)


def _rows(record: dict, labels: dict[str, str]) -> list[Row]:
    rows = []
    for key, value in record.items():
        label = labels.get(key, key)
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            rows.append(Row(label, records=tuple(_rows(item, labels) for item in value)))
        else:
            rows.append(Row(label, text=_text(value)))
    return rows


def learner_data_html(*, data: dict) -> str:
    sections = [
        {
            "title": section["title"],
            "records": [_rows(record, section["labels"]) for record in section["records"]],
        }
        for section in data["sections"]
    ]
    return render_to_string(TEMPLATE, {"data": data, "sections": sections})


def learner_data_pdf(*, data: dict) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a PDF is wanted

    return HTML(
        string=learner_data_html(data=data), base_url=settings.WAGTAILADMIN_BASE_URL
    ).write_pdf()
