"""`manage.py translation_status`: how far each language is, and whether the site shows it."""

import io

import polib
from django.core.management import call_command

from cms import languages
from tests.cms.test_languages import write_catalogue


def status(settings, tmp_path) -> list[str]:
    settings.SHOWN_LANGUAGES = None
    settings.LOCALE_PATHS = [tmp_path]
    languages._computed_shown.cache_clear()
    out = io.StringIO()
    try:
        call_command("translation_status", stdout=out)
    finally:
        languages._computed_shown.cache_clear()
    return out.getvalue().splitlines()


def row(lines: list[str], code: str) -> list[str]:
    return next(line.split() for line in lines if f" {code} " in f" {line} ")


def test_it_shows_each_language_with_its_count_and_whether_it_is_shown(settings, tmp_path):
    write_catalogue(tmp_path, "sw", total=20, translated=18)
    write_catalogue(tmp_path, "so", total=20, translated=17)
    lines = status(settings, tmp_path)
    assert "90%" in lines[0]
    assert row(lines, "sw") == ["Swahili", "sw", "18", "20", "90%", "yes"]
    assert row(lines, "so") == ["Somali", "so", "17", "20", "85%", "no:", "1", "more", "to", "go"]
    # A configured language without a catalogue is listed, and what to do is said.
    assert row(lines, "bn")[:5] == ["Bengali", "bn", "0", "0", "0%"]
    assert "bn: no catalogue yet: run `make messages`." in lines
    assert not any(line.split()[:2] == ["English", "en"] for line in lines)


def test_it_says_when_translations_wait_to_be_compiled(settings, tmp_path):
    write_catalogue(tmp_path, "so", total=20, translated=17)
    po_path = tmp_path / "so" / "LC_MESSAGES" / "django.po"
    po = polib.pofile(str(po_path))
    po.find("Message 17").msgstr = "Fariin 17"  # saved in Poedit, not compiled
    po.save()
    lines = status(settings, tmp_path)
    assert row(lines, "so")[2] == "17"
    waiting = "so: 1 translated in the .po but not compiled yet"
    assert any(line.startswith(waiting) for line in lines)


def test_the_shipped_languages_are_complete_and_shown(settings):
    settings.SHOWN_LANGUAGES = None
    languages._computed_shown.cache_clear()
    out = io.StringIO()
    try:
        call_command("translation_status", stdout=out)
    finally:
        languages._computed_shown.cache_clear()
    lines = out.getvalue().splitlines()
    for code in ["zh-hant", "ar", "fr", "ur"]:
        cells = row(lines, code)
        assert cells[-2:] == ["100%", "yes"], cells
