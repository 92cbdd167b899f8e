"""Is a page in the visitor's language? Find the English left on a page in another script.

Used on Arabic, Urdu and Chinese pages, whose own script is not Latin: a run of Latin letters
there is English, unless it is a proper name or a code the allow-list names (GED, IELTS, the
centre's name, people's names). Numbers, dates, class codes, phone numbers and e-mail
addresses are never counted: they read the same in every language.
"""

import re

# Anything holding a digit (a class code, a date, a phone number, a time), an address.
_CODES = re.compile(r"\S*\d\S*|\S+@\S+|https?://\S+")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’-]*")
# A sentence ends at a full stop, a question or exclamation mark (Latin, Arabic, Chinese)
# or a line break: a button or a link is a "sentence" of its own.
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟۔])\s+|[\n\r]+|(?<=[。！？؟۔])")


def _without(text, phrases):
    for phrase in sorted(phrases, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", " ", text, flags=re.IGNORECASE)
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
        rest = _without(_CODES.sub(" ", sentence), allow)
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
    return sorted(names)
