"""Whether the free text of a progress report names or locates the child, before sponsors read
it.

Sponsors may know a child's first name, age and grade (sponsor_portal). A teacher's comment that
also holds the family name, a parent's name, a phone number, the street or the date of birth
hands them the rest. ``report_identity_matches`` compares every piece of free text a sponsor
would read (the comment, each subject and grade) with the child's own private values and says
where each one appears, so that a coordinator can change the words and share again.

How text is compared, and why:

- Case, accents and Arabic vowel marks never matter: both sides are folded (NFKD without
  combining marks, casefolded, Arabic letter variants unified, any script's digits read as
  0-9). "Joël", "JOEL" and "joel" are one name.
- In scripts written with spaces (Latin, Arabic, Cyrillic...) names are compared word by word:
  "Ali" is found in "Ali's", never in "Alice" or "quality". A word needs 3 letters or more and
  particles (bin, abu, van, del...) are skipped: alone they name no one. An Arabic word may
  carry a joined prefix: "ومحمد" is "and Mohammed".
- Chinese, Japanese, Korean and Thai are written without spaces, so a name there is found as a
  substring. A single character (a family name such as 陳 alone) is an ordinary word too often
  to count; two or more are a name.
- The first word of the preferred name is what sponsors see on every page: it is never a match.
- Phones: the number's last 8 digits inside any run of digits and separators, so "9123 4567",
  "9123-4567" and "+852 91234567" all match. Any other Hong Kong mobile number matches too: a
  number in a report is never for sponsors, nor is any email address.
- The date of birth in numbers (4/3/2015, 2015-03-04, 20150304), with an English month name
  or in Chinese (2015年3月4日). A day and month without the year is left alone: it is a date of
  the term as often as a birthday.
- The case reference, ignoring spaces and punctuation; the school's name while the family has
  not agreed to share it; street, estate and district names (the centre holds no home
  address, so places are recognised by their shape and the district names).
"""

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from enrolment.models import Learner, ProgressReport, School
from enrolment.services.sponsor_portal import first_name
from enrolment.services.text_search import (
    NO_SPACE_RUN,
    Folded,
    Kind,
    Value,
    anyones,
    find,
    fold,
)

MIN_LETTERS = 3  # in a name word of a script written with spaces
MIN_UNSPACED = 2  # characters of a name in Chinese, Japanese, Korean or Thai
PHONE_DIGITS = 8  # a Hong Kong number; the last 8 digits of a longer one
MIN_CASE_REFERENCE = 5  # letters and digits; shorter ones turn up in any text

# Name particles and titles: alone they name no one. Folded, 3 letters or more.
STOP_WORDS = frozenset(
    "abu bin ibn bint binti umm abd ابن ابو بنت عبد "
    "van von der den del della dos das ter ten "
    "mrs miss the and".split()
)
# Words of a school's name that say what kind of school, not which.
SCHOOL_WORDS = frozenset(
    "school primary secondary college kindergarten academy international the of and "
    "government aided subsidised subsidized".split()
)


@dataclass(frozen=True)
class Match:
    """Private text found in one of the report's fields, at text[start:end]."""

    field: str  # "teacher_comment", "grades.0.subject", "grades.0.grade"
    start: int
    end: int
    text: str  # as written
    kind: str

    @property
    def kind_label(self) -> Promise:
        return Kind.LABELS[self.kind]


# --- the child's private values ---------------------------------------------------------------


def _letters(word: str) -> int:
    return sum(ch.isalpha() for ch in word)


def _name_values(kind: str, name: str, allowed: str) -> Iterator[Value]:
    folded = Folded(name)
    for word, _start, _end in folded.words:
        if _letters(word) >= MIN_LETTERS and word not in STOP_WORDS and word != allowed:
            yield Value(kind, words=(word,))
    for run in NO_SPACE_RUN.findall(folded.text):
        if len(run) >= MIN_UNSPACED and run != allowed:
            yield Value(kind, chunk=run)


def _phrase_values(kind: str, phrase: str, *, generic: frozenset = frozenset()) -> list[Value]:
    """A multi-word place or school name, found whole, and also without its generic words
    ("Harbour Primary School" is also "Harbour")."""
    folded = Folded(phrase)
    words = tuple(word for word, _s, _e in folded.words)
    core = tuple(word for word in words if word not in generic and not word.isdigit())
    values = [Value(kind, chunk=run) for run in NO_SPACE_RUN.findall(folded.text)]
    values = [value for value in values if len(value.chunk) >= MIN_UNSPACED]
    for candidate in {words, core}:
        if candidate and sum(map(_letters, candidate)) >= MIN_LETTERS:
            values.append(Value(kind, words=candidate))
    return values


def _phone_value(phone: str) -> Value | None:
    digits = re.sub(r"\D", "", fold(phone))
    if len(digits) < 6:  # junk, not a number anyone can ring
        return None
    return Value(Kind.PHONE, digits=digits[-PHONE_DIGITS:])


def _case_value(reference: str) -> Iterator[Value]:
    squashed = "".join(ch for ch in fold(reference) if ch.isalnum())
    if len(squashed) >= MIN_CASE_REFERENCE and any(ch.isdigit() for ch in squashed):
        yield Value(Kind.CASE, squashed=squashed)
    elif squashed:
        yield from _phrase_values(Kind.CASE, reference)


def child_private_values(child: Learner) -> list[Value]:
    """Everything about the child a sponsor may not read, as values to look for."""
    allowed = fold(first_name(child.preferred_name))
    values = []
    names = " ".join((child.preferred_name, child.legal_name))
    values += _name_values(Kind.NAME, names, allowed)
    values += _name_values(Kind.GUARDIAN, child.guardian_name, allowed)
    values += filter(None, (_phone_value(child.phone), _phone_value(child.guardian_phone)))
    if child.date_of_birth:
        values.append(Value(Kind.BIRTH, born=child.date_of_birth))
    values += _case_value(child.case_reference)
    if not child.consent_share_progress:  # the consent that shows sponsors the school's name
        for school in School.objects.filter(placements__child=child).distinct():
            values += _phrase_values(Kind.SCHOOL, school.name, generic=SCHOOL_WORDS)
    return values


def text_identity_matches(
    *, values: Sequence[Value], fields: Iterable[tuple[str, str]]
) -> list[Match]:
    """The matches of ``values`` (and of any place, phone number or email) in each (field,
    text), in the order they are written."""
    matches = []
    for field, text in fields:
        if not text:
            continue
        folded = Folded(text)
        found: list[Match] = []
        for value in values:
            found += (Match(field, s, e, text[s:e], value.kind) for s, e in find(folded, value))
        found += (Match(field, s, e, text[s:e], kind) for s, e, kind in anyones(text, folded))
        # Of overlapping matches the longest is marked (an email holding a name is an email);
        # of equal ones the child's own value, found first, says what it is.
        kept: list[Match] = []
        for match in sorted(found, key=lambda m: (-(m.end - m.start), m.start)):
            if not any(match.start < k.end and k.start < match.end for k in kept):
                kept.append(match)
        matches += sorted(kept, key=lambda m: m.start)
    return matches


def report_fields(report: ProgressReport) -> list[tuple[str, str]]:
    """Every piece of free text of the report a sponsor reads (never the caseworker note)."""
    fields = [("teacher_comment", report.teacher_comment)]
    # In the order sponsor_portal.report_for_sponsors shows them, so "subject 2" is the second.
    for index, line in enumerate(report.grades.order_by("sort_order", "pk")):
        fields += [(f"grades.{index}.subject", line.subject), (f"grades.{index}.grade", line.grade)]
    return fields


def report_identity_matches(*, report: ProgressReport) -> list[Match]:
    """Where the report's shared text names or locates its child; empty if nowhere."""
    child = Learner.objects.get(pk=report.child_id)
    return text_identity_matches(values=child_private_values(child), fields=report_fields(report))


def field_label(field: str) -> str:
    if field == "teacher_comment":
        return _("the teacher's comment")
    _grades, index, part = field.split(".")
    if part == "subject":
        return _("subject %(number)s") % {"number": int(index) + 1}
    return _("the grade of subject %(number)s") % {"number": int(index) + 1}


def matches_summary(matches: Sequence[Match], *, limit: int = 8) -> str:
    """“Mwangi” (the child's family or other name) in the teacher's comment; ..."""
    parts = [
        _("“%(text)s” (%(kind)s) in %(where)s")
        % {"text": m.text, "kind": m.kind_label, "where": field_label(m.field)}
        for m in matches[:limit]
    ]
    if len(matches) > limit:
        parts.append(_("and %(count)s more") % {"count": len(matches) - limit})
    return "; ".join(parts)
