"""What text typed by a person may hold, for every model field and form of the project.

A name or any other single-line value holds no control character, no line break and no bidi
override or isolate; a free text (a note, a comment, an address) may hold line breaks and tabs,
nothing else of those. Control characters broke the exports and the register sheet (a name
`a\\x01\\x1b[31mb`), NUL breaks PostgreSQL, and an override (U+202E) turns `gpj.exe` into what
looks like `exe.jpg` in a list of names.

Left alone, on purpose: the left-to-right and right-to-left marks (U+200E, U+200F) and the
Arabic letter mark (U+061C), which keyboards for Arabic, Persian and Urdu type to place
punctuation beside a name, and which reorder nothing; and the zero-width joiner and non-joiner
(U+200D, U+200C), which Persian spelling and emoji need.
"""

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Embeddings and overrides (LRE, RLE, PDF, LRO, RLO) and isolates (LRI, RLI, FSI, PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x85\u2028\u2029")
FREE_TEXT_ALLOWED = frozenset("\n\r\t")
# Every date a person types for the centre's records falls within these years: a date of birth
# of a learner born in 1900 is already absurd, and nothing is booked past 2100.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def refused_character(value: str, *, multiline: bool = False) -> str | None:
    """The first character a field may not hold, or None."""
    for character in value:
        if multiline and character in FREE_TEXT_ALLOWED:
            continue
        if (
            character in BIDI_CONTROLS
            or character in LINE_BREAKS
            or unicodedata.category(character) == "Cc"
        ):
            return character
    return None


def describe(character: str) -> str:
    """U+001B, as a person can look it up; the character itself would be invisible."""
    return f"U+{ord(character):04X}"


@deconstructible
class PlainText:
    """A model or form field's validator: single-line by default, or a free text."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value) -> None:
        if not isinstance(value, str):
            return
        character = refused_character(value, multiline=self.multiline)
        if character is None:
            return
        if not self.multiline and character in LINE_BREAKS:
            message = _("Keep this on one line.")
        else:
            message = _(
                "Remove the invisible control character (%(character)s): it may have come "
                "with a copy and paste."
            )
        raise ValidationError(
            message, code="control_character", params={"character": describe(character)}
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, PlainText) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((PlainText, self.multiline))


single_line = PlainText()
free_text = PlainText(multiline=True)


def text_refusal(value: str, *, multiline: bool = False) -> str | None:
    """For a service that takes text without a form: why `value` is refused, or None."""
    try:
        (free_text if multiline else single_line)(value)
    except ValidationError as error:
        return error.messages[0]
    return None


@deconstructible
class SaneYear:
    """A date within the years any record of the centre can hold."""

    def __call__(self, value) -> None:
        if isinstance(value, dt.date) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise ValidationError(
                _("Give a date between %(earliest)d and %(latest)d."),
                code="year_out_of_range",
                params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, SaneYear)

    def __hash__(self) -> int:
        return hash(SaneYear)


sane_year = SaneYear()


def not_in_future(value) -> None:
    """For what has happened: a test taken, a consent given. Today is the centre's day."""
    if isinstance(value, dt.date) and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future")
