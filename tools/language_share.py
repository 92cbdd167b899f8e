"""How much of each page a visitor sees is in the page's language (``make language-share``).

Serves a fresh demo centre (tools/demo_server.py) and opens each page below in each shown
language in Debian's Chromium (Playwright, headless, a 360x740 phone screen); the learner's,
teacher's and sponsor's pages signed in as the demo's Amina, teacher.grace and
sponsor.church (through the real sign-in form).

What is counted: the visible text nodes of the page, i.e. text inside an element that is
rendered (not ``display: none``, ``visibility: hidden``, ``hidden``, transparent, inside a
closed ``<details>``, or clipped to a pixel as the skip link and ``.visually-hidden`` text
are), never in ``<script>``, ``<style>``, ``<noscript>`` or ``<template>``; plus the chosen
option a ``<select>`` shows and the words on ``<input>`` buttons. Whitespace is collapsed.
Attributes (alt, aria-label, title, placeholder) and the ``<title>`` are not visible text.

Two measures, both over letters (Unicode category L*: digits, punctuation and spaces do not
count, so dates, times, phone numbers and class codes weigh nothing):

- **script share** (Arabic, Urdu, Chinese): letters in the language's script (Arabic script
  for ar and ur, CJK ideographs for zh-hant) over all letters of the page.
- **differs from English** (every language; French's own measure, since French and English
  share the Latin script): each visible text node is compared with the text nodes of the
  same page in English. A node whose text is identical to some English node's text and that
  holds letters counts as English; every other node counts as the page's language. The
  share is the letters of the nodes that differ over all letters.

Proper names and codes ("IELTS", "GED", "British Council", the centre's name, people's
names) and the language switcher's names of the other languages count as not in the page's
language: that is honest, and what is left is listed, the biggest first, for each page.
English itself is reported for reference (its Latin-script share).

Writes the tables and the lists to test-artifacts/language-share.md and prints them.
"""

import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass

from tools.demo_server import (
    DEMO_LEARNER,
    DEMO_SPONSOR,
    DEMO_TEACHER,
    LANGUAGES,
    ROOT,
    served_demo,
    session_cookie,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}
OUTPUT = ROOT / "test-artifacts" / "language-share.md"
LEFT_SHOWN = 6  # the biggest nodes left in another language, listed per page
# (page name, path after the language prefix, who is signed in)
PAGES = [
    ("home", "/", None),
    ("catalogue", "/courses/", None),
    ("course", "/courses/english-a1/", None),
    ("sign-up", "/accounts/signup/", None),
    ("sign-in", "/accounts/login/", None),
    ("learn", "/learn/", DEMO_LEARNER),
    ("teach", "/teach/", DEMO_TEACHER),
    ("sponsor", "/sponsor/", DEMO_SPONSOR),
]

# The page's visible text, one string per text node, and whether it sits in <main>.
VISIBLE_TEXT = """
() => {
  const hidden = new Map();
  const clipped = (element) => {
    if (hidden.has(element)) return hidden.get(element);
    let answer = false;
    if (element !== document.body) {
      const box = element.getBoundingClientRect();
      const clip = getComputedStyle(element).clipPath;
      answer = (box.width <= 1 && box.height <= 1) || clip.startsWith('inset(50%')
        || clipped(element.parentElement);
    }
    hidden.set(element, answer);
    return answer;
  };
  const shown = (element) => element.checkVisibility({
    opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true,
  }) && !clipped(element);
  const nodes = [];
  const add = (text, element) => {
    text = text.replace(/\\s+/g, ' ').trim();
    if (text) nodes.push({text, main: !!element.closest('main')});
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || element.closest('script, style, noscript, template, select, textarea')) {
      continue;
    }
    if (shown(element)) add(node.data, element);
  }
  for (const select of document.querySelectorAll('select')) {
    if (shown(select) && select.selectedOptions.length) add(select.selectedOptions[0].text, select);
  }
  const buttons = 'input[type=submit], input[type=button], input[type=reset]';
  for (const input of document.querySelectorAll(buttons)) {
    if (shown(input)) add(input.value, input);
  }
  return {lang: document.documentElement.lang, url: location.href, nodes};
}
"""


def letters(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c).startswith("L")]


def in_script(language: str, letter: str) -> bool:
    name = unicodedata.name(letter, "")
    if language in ("ar", "ur"):
        return name.startswith("ARABIC")
    if language == "zh-hant":
        return name.startswith("CJK")
    return name.startswith("LATIN")


@dataclass
class Measure:
    script: float | None  # letters in the language's script / all letters; None for French
    script_main: float | None  # the same inside <main> only
    differs: float | None  # letters of nodes not found on the English page / all letters
    left: list[tuple[int, str]]  # (letters, text) not in the language, the biggest first


def share(part: int, whole: int) -> float | None:
    return None if whole == 0 else 100 * part / whole


def measure(language: str, nodes: list[dict], english: set[str]) -> Measure:
    total = in_language = total_main = in_language_main = differing = 0
    left: Counter[str] = Counter()
    for node in nodes:
        text = node["text"]
        found = letters(text)
        if not found:
            continue
        same_as_english = text in english
        if not same_as_english:
            differing += len(found)
        own = sum(in_script(language, letter) for letter in found)
        total += len(found)
        in_language += own
        if node["main"]:
            total_main += len(found)
            in_language_main += own
        if language == "fr":
            if same_as_english:
                left[text] += len(found)
        elif own < len(found):
            left[text] += len(found) - own
    latin_only = language == "fr"
    return Measure(
        script=None if latin_only else share(in_language, total),
        script_main=None if latin_only else share(in_language_main, total_main),
        differs=None if language == "en" else share(differing, total),
        left=[(count, text) for text, count in left.most_common(LEFT_SHOWN)],
    )


def collect(base: str) -> dict[tuple[str, str], dict]:
    """Each (language, page)'s visible text, read in a phone-sized Chromium."""
    from playwright.sync_api import sync_playwright

    sessions = {person: session_cookie(base, person) for _n, _p, person in PAGES if person}
    found = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        for page_name, path, person in PAGES:
            for language, prefix in LANGUAGES.items():
                context = browser.new_context(viewport=PHONE, locale="en-GB")
                if person:
                    cookies = sessions[person].items()
                    context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies])
                page = context.new_page()
                url = f"{base}{prefix}{path}"
                response = page.goto(url, wait_until="load")
                seen = page.evaluate(VISIBLE_TEXT)
                context.close()
                if response is None or response.status != 200 or seen["url"] != url:
                    sys.exit(f"{url} did not answer 200 as itself (ended at {seen['url']})")
                if seen["lang"] != language:
                    sys.exit(f"{url} says lang={seen['lang']!r}, not {language!r}")
                found[language, page_name] = seen
    return found


def report(found: dict[tuple[str, str], dict]) -> str:
    measures = {}
    for (language, page_name), seen in found.items():
        english = {node["text"] for node in found["en", page_name]["nodes"]}
        measures[language, page_name] = measure(language, seen["nodes"], english)
    pages = [name for name, _path, _person in PAGES]

    def table(title: str, cell) -> list[str]:
        lines = [f"### {title}", "", "| language | " + " | ".join(pages) + " |"]
        lines.append("|---|" + "---:|" * len(pages))
        for language in LANGUAGES:
            values = [cell(language, measures[language, page]) for page in pages]
            lines.append(f"| {language} | " + " | ".join(values) + " |")
        return [*lines, ""]

    def percent(value: float | None) -> str:
        return "–" if value is None else f"{value:.1f}%"

    def headline(language: str, m: Measure) -> str:
        return percent(m.differs if language == "fr" else m.script)

    out = ["# Share of visible text in the page's language", ""]
    out += table(
        "In the page's language (ar, ur: Arabic script; zh-hant: CJK; fr: differs from "
        "English; en: Latin script)",
        headline,
    )
    out += table("Script share inside `<main>` only", lambda _l, m: percent(m.script_main))
    out += table("Differs from English (every node)", lambda _l, m: percent(m.differs))
    out += ["### The biggest text left in another language, per page", ""]
    for language in LANGUAGES:
        if language == "en":
            continue
        for page in pages:
            m = measures[language, page]
            if not m.left:
                continue
            shown = "; ".join(f"{text[:70]!r} ({count})" for count, text in m.left)
            out.append(f"- {language} {page}: {shown}")
    return "\n".join(out) + "\n"


def main() -> int:
    with served_demo() as base:
        found = collect(base)
    text = report(found)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text)
    print(text)
    print(f"Written to {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
