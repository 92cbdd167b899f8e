"""The translation catalogues in locale/ hold every string of the code, translated, and the
compiled .mo files the site reads say what the .po files say.

A string left unextracted never reaches a translator, a placeholder misspelt in a translation
breaks the page in that language, and a .mo not compiled again shows last month's words.
"""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
SHIPPED = ["zh_Hant", "ar", "fr", "ur"]
# What the Makefile's `make messages` leaves out (locale/ is copied, not linked).
IGNORE = [".venv", "tests", "staticfiles", "locale"]

# The merger sets this to True once every shipped catalogue is fully translated.
CATALOGUES_COMPLETE = True

# %(name)s, %s, %d ... as Python and Django's {% blocktranslate %} write them.
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifFeEgGxXorc%]")
BRACE = re.compile(r"\{[^{}]*\}")


def catalogue(lang):
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def msgids(po):
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural)
        for entry in po
        if not entry.obsolete and entry.msgid
    }


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    """The catalogues as `make messages` would leave them, made in a copy of locale/.

    makemessages writes into the `locale` folder nearest to each source file, so it runs in a
    temporary folder holding links to the sources and a copy of the catalogues. The templates
    are copied, not linked: makemessages writes a temporary `.py` beside each template it
    reads, and two test workers doing so in one folder delete each other's files.
    """
    work = tmp_path_factory.mktemp("makemessages")
    for source in ROOT.iterdir():
        if source.name == "templates":
            shutil.copytree(source, work / source.name)
        elif source.name not in IGNORE and not source.name.startswith("."):
            (work / source.name).symlink_to(source)
    shutil.copytree(LOCALE, work / "locale")
    mp = pytest.MonkeyPatch()
    mp.chdir(work)
    try:
        with override_settings(LOCALE_PATHS=[str(work / "locale")]):
            call_command(
                "makemessages",
                locale=SHIPPED,
                ignore_patterns=IGNORE,
                symlinks=True,
                verbosity=0,
            )
    finally:
        mp.undo()
    return work / "locale"


@pytest.mark.parametrize("lang", SHIPPED)
def test_makemessages_would_not_change_the_catalogue(regenerated, lang):
    shipped = msgids(polib.pofile(str(catalogue(lang))))
    fresh = msgids(polib.pofile(str(regenerated / lang / "LC_MESSAGES" / "django.po")))
    missing = sorted(msgid for _ctx, msgid, _plural in fresh - shipped)
    stale = sorted(msgid for _ctx, msgid, _plural in shipped - fresh)
    assert not missing and not stale, (
        f"locale/{lang} is not up to date: run `make messages` and commit.\n"
        f"Strings in the code but not in the catalogue: {missing[:10]}\n"
        f"Strings in the catalogue no longer in the code: {stale[:10]}"
    )


def placeholders(text, entry):
    found = PERCENT.findall(text)
    if "python-brace-format" in entry.flags:
        found += BRACE.findall(text)
    return {p for p in found if p != "%%"}


def wrong_placeholders(entry):
    """What is wrong with the placeholders of one translated entry, or "" when nothing is."""
    if entry.msgid_plural:
        expected = placeholders(entry.msgid, entry) | placeholders(entry.msgid_plural, entry)
        # A plural form may leave out the number ("one session") but never invent a name.
        for form, text in sorted(entry.msgstr_plural.items()):
            extra = placeholders(text, entry) - expected
            if text and extra:
                return f"msgstr[{form}] has {sorted(extra)}, not in {sorted(expected)}"
        return ""
    if entry.msgstr and placeholders(entry.msgstr, entry) != placeholders(entry.msgid, entry):
        return (
            f"has {sorted(placeholders(entry.msgstr, entry))}, "
            f"msgid has {sorted(placeholders(entry.msgid, entry))}"
        )
    return ""


@pytest.mark.parametrize("lang", SHIPPED)
def test_every_translation_keeps_the_placeholders_of_its_msgid(lang):
    po = polib.pofile(str(catalogue(lang)))
    wrong = {
        entry.msgid: problem
        for entry in po
        # A fuzzy entry is a guess the site never shows; the completeness test reports it.
        if not entry.obsolete
        and "fuzzy" not in entry.flags
        and (problem := wrong_placeholders(entry))
    }
    assert not wrong, f"locale/{lang}: placeholders differ from the English: {wrong}"


def test_the_placeholder_check_catches_a_misspelt_or_lost_name():
    entry = polib.POEntry(msgid="Hello %(name)s, class %(code)s", msgstr="مرحبا %(nom)s")
    assert wrong_placeholders(entry)
    entry.msgstr = "%(code)s مرحبا %(name)s"
    assert wrong_placeholders(entry) == ""
    plural = polib.POEntry(
        msgid="%(counter)s session",
        msgid_plural="%(counter)s sessions",
        msgstr_plural={0: "جلسة واحدة", 1: "%(count)s جلسات"},
    )
    assert "count" in wrong_placeholders(plural)


@pytest.mark.skipif(not CATALOGUES_COMPLETE, reason="flipped at merge, once translated")
@pytest.mark.parametrize("lang", SHIPPED)
def test_every_shipped_catalogue_is_fully_translated(lang):
    po = polib.pofile(str(catalogue(lang)))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated and not fuzzy, (
        f"locale/{lang}: {len(untranslated)} untranslated, {len(fuzzy)} fuzzy, "
        f"e.g. {(untranslated + fuzzy)[:5]}"
    )


def translations(entries):
    """(context, msgid) -> what the site shows, for the entries a .mo file holds."""
    shown = {}
    for entry in entries:
        if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            forms = tuple(v for _k, v in sorted(entry.msgstr_plural.items()))
            if any(forms):
                shown[(entry.msgctxt, entry.msgid)] = forms
        elif entry.msgstr:
            shown[(entry.msgctxt, entry.msgid)] = entry.msgstr
    return shown


@pytest.mark.parametrize("lang", SHIPPED)
def test_the_compiled_catalogue_says_what_the_po_file_says(lang, tmp_path):
    po = polib.pofile(str(catalogue(lang)))
    mo_path = catalogue(lang).with_suffix(".mo")
    assert mo_path.exists(), f"locale/{lang} has no django.mo: run `make messages`"
    compiled = tmp_path / "django.mo"
    po.save_as_mofile(str(compiled))
    shipped = translations(polib.mofile(str(mo_path)))
    assert shipped == translations(polib.mofile(str(compiled))), (
        f"locale/{lang}/LC_MESSAGES/django.mo is older than or differs from django.po: "
        "run `make messages` (it compiles them) and commit both."
    )
