"""Is a page in the visitor's language? Find the English left on a page in another script.

Used on Arabic, Urdu and Chinese pages, whose own script is not Latin: a run of Latin letters
there is English, unless it is a proper name or a code the allow-list names (GED, IELTS, the
centre's name, people's names). Numbers, dates, class codes, phone numbers and e-mail
addresses are never counted: they read the same in every language.
"""

import re

# Anything holding a digit (a class code, a date, a phone number, a time), an address.
_CODES = re.compile(r"\S*\d\S*")
_ADDRESSES = re.compile(r"\S+@\S+|https?://\S+")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*")
# A sentence ends at a full stop, a question or exclamation mark (Latin, Arabic, Chinese)
# or a line break: a button or a link is a "sentence" of its own.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟۔])\s+|[\n\r]+|(?<=[。！？؟۔])")


def _without(text, phrases):
    for phrase in sorted(phrases, key=len, reverse=True):
        # Bounded by Latin letters only: in Chinese a name sits between characters ("閱讀Amina的").
        text = re.sub(rf"(?<![A-Za-z]){re.escape(phrase)}(?![A-Za-z])", " ", text, flags=re.I)
    return text


def english_sentences(text, *, allow=()):
    """The sentences of ``text`` that still hold English words, in order.

    ``allow`` names proper names and codes that stay in Latin letters in every language
    ("Harbour Learning Centre", "GED", "Amina"); a sentence made only of those, numbers and
    codes is not English.
    """
    found = []
    for sentence in _SENTENCE_END.split(text):
        sentence = " ".join(sentence.split())
        if not sentence:
            continue
        # Allowed phrases first: a name or an address may hold a digit ("English A1: …").
        rest = _CODES.sub(" ", _without(_ADDRESSES.sub(" ", sentence), allow))
        if _LATIN_WORD.search(rest):
            found.append(sentence)
    return found


def demo_allow_list():
    """The names and codes of the demo centre that no translation changes."""
    from cms.management.demo.people import LEARNERS, TEACHERS

    names = {"Harbour Learning Centre", "GED", "IELTS", "CEFR", "British Council", "WhatsApp"}
    names.update(spec.preferred_name for spec in LEARNERS)
    names.update(spec.legal_name for spec in LEARNERS)
    names.update(f"{first} {last}" for _username, first, last in TEACHERS)
    names.update(first for _username, first, _last in TEACHERS)
    names.update(f"{first} {last[:1]}." for _username, first, last in TEACHERS)
    return sorted(names)
