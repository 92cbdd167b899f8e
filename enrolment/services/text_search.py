"""Finding a private value in free text however it is spelled: the text folded for comparison,
names word by word or by characters, phone numbers by their digits, dates in several
spellings, and the places and numbers no report should hold, whoever's they are.
identity_check says which values a child has and what the coordinator reads."""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy

# Scripts written without spaces between words.
_NO_SPACE = (
    "\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\u2fdf\u3040-\u30ff"
    "\u3100-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f"
)
NO_SPACE_RUN = re.compile(f"[{_NO_SPACE}]+")
WORD = re.compile(r"[^\W_]+")
ARABIC_FOLD = str.maketrans({"ى": "ي", "ة": "ه", "ـ": None})
ARABIC_LETTER = re.compile("[\u0600-\u06ff]")
ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ل", "ف", "ك")

DIGIT_RUN = re.compile(r"\d(?:[ \t().\-]{0,2}\d)*")
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
HK_MOBILE = re.compile(r"(?<!\d)(?:\+?852[ \-]?)?[4-9]\d{3}[ \-]?\d{4}(?!\d)")
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,4})\s?([./\-])\s?(\d{1,2})\s?\2\s?(\d{1,4})(?!\d)")
CHINESE_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?")
DAY_MONTH_YEAR = re.compile(r"(?<!\d)(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]+)\.?,?\s+(\d{4})")
MONTH_DAY_YEAR = re.compile(r"\b([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# A street, estate or block: capitalised words before the kind of place ("Lai Kok Estate",
# "Nathan Road"); in Chinese an estate (邨), a street (街, not 街市, a market) or a block (大廈).
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*"
PLACE = re.compile(
    rf"\b(?:{_CAPITALISED}\s+){{1,3}}"
    r"(?:Street|St\.|Road|Rd\.?|Estate|Avenue|Lane|Terrace|Mansions?|Village)(?!\w)"
    r"|[\u4e00-\u9fff]{2,4}(?:邨|街(?!市)|大廈)"
)
# Hong Kong's districts (models.District) in English and Chinese, less those whose name is an
# ordinary word too (Eastern, Southern, North, Islands; 東區, 南區, 北區).
DISTRICTS = (
    "Central and Western|Wan Chai|Kowloon City|Kwun Tong|Sham Shui Po|Wong Tai Sin|"
    "Yau Tsim Mong|Kwai Tsing|Sai Kung|Sha Tin|Tai Po|Tsuen Wan|Tuen Mun|Yuen Long"
).split("|")
CHINESE_DISTRICTS = (
    "中西區 灣仔 油尖旺 深水埗 九龍城 黃大仙 觀塘 葵青 荃灣 屯門 元朗 大埔 沙田 西貢 離島".split()
)


class Kind:
    """What a match is, with the label the coordinator reads."""

    NAME = "name"
    GUARDIAN = "guardian"
    PHONE = "phone"
    EMAIL = "email"
    BIRTH = "birth"
    CASE = "case"
    SCHOOL = "school"
    PLACE = "place"

    LABELS = {
        NAME: gettext_lazy("the child's family or other name"),
        GUARDIAN: gettext_lazy("a parent's or guardian's name"),
        PHONE: gettext_lazy("a phone number"),
        EMAIL: gettext_lazy("an email address"),
        BIRTH: gettext_lazy("the date of birth"),
        CASE: gettext_lazy("the case reference"),
        SCHOOL: gettext_lazy("the school"),
        PLACE: gettext_lazy("a street, estate or district"),
    }


# --- folding ----------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) == "Nd":
        return str(unicodedata.decimal(ch))
    kept = "".join(c for c in unicodedata.normalize("NFKD", ch) if unicodedata.category(c) != "Mn")
    return kept.casefold().translate(ARABIC_FOLD)


def fold(text: str) -> str:
    return "".join(_fold_char(ch) for ch in text)


class Folded:
    """A text folded for comparison, with where each folded character came from, so that a
    match found in the folded text is highlighted in the text as written."""

    def __init__(self, text: str):
        chars, origin = [], []
        for index, ch in enumerate(text):
            for out in _fold_char(ch):
                chars.append(out)
                origin.append(index)
        self.text = "".join(chars)
        self.origin = origin
        # Unspaced scripts are blanked out of the words: they are searched as substrings.
        spaced = NO_SPACE_RUN.sub(lambda m: " " * len(m.group()), self.text)
        self.words = [(m.group(), m.start(), m.end()) for m in WORD.finditer(spaced)]
        squashed = [(ch, i) for i, ch in enumerate(self.text) if ch.isalnum()]
        self.squashed = "".join(ch for ch, _i in squashed)
        self.squashed_origin = [i for _ch, i in squashed]

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.origin[start], self.origin[end - 1] + 1


@dataclass(frozen=True)
class Value:
    kind: str
    words: tuple[str, ...] = ()  # folded words, found in a row
    chunk: str = ""  # folded text of an unspaced script, found as a substring
    squashed: str = ""  # letters and digits only, found ignoring everything else
    digits: str = ""  # the last digits of a phone number
    born: dt.date | None = None


# --- finding them -----------------------------------------------------------------------------


def _same_word(word: str, value: str) -> bool:
    if word == value:
        return True
    return bool(ARABIC_LETTER.match(value)) and any(word == p + value for p in ARABIC_PREFIXES)


def find(folded: Folded, value: Value) -> Iterator[tuple[int, int]]:
    """(start, end) of each place the value appears, in the text as written."""
    if value.words:
        n, words = len(value.words), folded.words
        for i in range(len(words) - n + 1):
            if all(_same_word(words[i + k][0], value.words[k]) for k in range(n)):
                yield folded.span(words[i][1], words[i + n - 1][2])
    if value.chunk:
        yield from _substrings(folded.text, value.chunk, folded.origin)
    if value.squashed:
        yield from _substrings(folded.squashed, value.squashed, folded.squashed_origin)
    if value.digits:
        for run in DIGIT_RUN.finditer(folded.text):
            # Only the number's own digits: a run may hold a date or a second number too.
            places = [run.start() + i for i, ch in enumerate(run.group()) if ch.isdigit()]
            digits = "".join(folded.text[i] for i in places)
            at = digits.find(value.digits)
            while at >= 0:
                yield folded.span(places[at], places[at + len(value.digits) - 1] + 1)
                at = digits.find(value.digits, at + 1)
    if value.born:
        yield from _dates(folded, value.born)


def _substrings(text: str, part: str, origin: list[int]) -> Iterator[tuple[int, int]]:
    start = text.find(part)
    while start >= 0:
        yield origin[start], origin[start + len(part) - 1] + 1
        start = text.find(part, start + 1)


def _is_day(born: dt.date, year: str, month: int, day: int) -> bool:
    if len(year) == 2:
        return (int(year), month, day) == (born.year % 100, born.month, born.day)
    return (int(year), month, day) == (born.year, born.month, born.day)


def _dates(folded: Folded, born: dt.date) -> Iterator[tuple[int, int]]:
    text = folded.text
    for m in NUMERIC_DATE.finditer(text):
        a, _sep, b, c = m.groups()
        if len(a) == 4:
            readings = [(a, int(b), int(c))]
        elif len(c) in (2, 4):
            readings = [(c, int(b), int(a)), (c, int(a), int(b))]  # day first, month first
        else:
            readings = []
        if any(_is_day(born, *reading) for reading in readings):
            yield folded.span(m.start(), m.end())
    for m in CHINESE_DATE.finditer(text):
        if _is_day(born, m[1], int(m[2]), int(m[3])):
            yield folded.span(m.start(), m.end())
    for pattern, day, month in ((DAY_MONTH_YEAR, 1, 2), (MONTH_DAY_YEAR, 2, 1)):
        for m in pattern.finditer(text):
            number = MONTHS.get(m[month])
            if number and _is_day(born, m[3], number, int(m[day])):
                yield folded.span(m.start(), m.end())
    squashed = born.strftime("%Y%m%d"), born.strftime("%d%m%Y"), born.strftime("%m%d%Y")
    for m in re.finditer(r"(?<!\d)\d{8}(?!\d)", text):
        if m.group() in squashed:
            yield folded.span(m.start(), m.end())


@lru_cache(maxsize=1)
def district_values() -> tuple[Value, ...]:
    return tuple(Value(Kind.PLACE, words=tuple(fold(name).split())) for name in DISTRICTS) + tuple(
        Value(Kind.PLACE, chunk=name) for name in CHINESE_DISTRICTS
    )


def anyones(text: str, folded: Folded) -> Iterator[tuple[int, int, str]]:
    """Streets, estates, districts, mobile numbers and emails, whoever's they are: the centre
    holds no home address to compare with, a parent may have a second phone, and a report
    names no places and gives no way to reach anyone."""
    for m in PLACE.finditer(text):
        yield m.start(), m.end(), Kind.PLACE
    for value in district_values():
        for start, end in find(folded, value):
            yield start, end, Kind.PLACE
    for m in HK_MOBILE.finditer(folded.text):
        yield *folded.span(m.start(), m.end()), Kind.PHONE
    for m in EMAIL.finditer(text):
        yield m.start(), m.end(), Kind.EMAIL
