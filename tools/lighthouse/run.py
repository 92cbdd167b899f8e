"""Lighthouse accessibility scores of the demo centre, on a phone, in every language.

Run with ``make lighthouse`` (which installs the pinned Lighthouse of package-lock.json into
tools/lighthouse/node_modules first). It serves a fresh demo (tools/demo_server.py), runs
Lighthouse's mobile audit, accessibility category only, in Debian's Chromium on each page
below, writes each JSON report to test-artifacts/lighthouse/, prints a table of scores and
every audit that is not passed, and exits 1 if any page scores under 98 (or fails to load).

Pages: home and catalogue in every language (the issue's promise), and in Arabic, the
right-to-left case, a course page, sign-up, and the pages of the demo learner, teacher and
sponsor (signed in through the real form; Lighthouse sends their session cookie).
``--all`` audits all those pages in every language.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tools.demo_server import (
    DEMO_LEARNER,
    DEMO_SPONSOR,
    DEMO_TEACHER,
    LANGUAGES,
    ROOT,
    served_demo,
    session_cookie,
)

HERE = ROOT / "tools" / "lighthouse"
LIGHTHOUSE = HERE / "node_modules" / "lighthouse"
REPORTS = ROOT / "test-artifacts" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
MINIMUM = 98
COURSE = "/courses/english-a1/"
# (page name, path after the language prefix, who is signed in, languages)
EVERY_LANGUAGE = tuple(LANGUAGES)
PAGES = [
    ("home", "/", None, EVERY_LANGUAGE),
    ("catalogue", "/courses/", None, EVERY_LANGUAGE),
    ("course", COURSE, None, ("ar",)),
    ("sign-up", "/accounts/signup/", None, ("ar",)),
    ("learn", "/learn/", DEMO_LEARNER, ("ar",)),
    ("teach", "/teach/", DEMO_TEACHER, ("ar",)),
    ("sponsor", "/sponsor/", DEMO_SPONSOR, ("ar",)),
]


def audit(jobs: list[dict]) -> None:
    """Run tools/lighthouse/audit.mjs, which audits every job in one Chromium."""
    env = {**os.environ, "CHROME_PATH": CHROMIUM, "CHROME_FLAGS": CHROME_FLAGS}
    subprocess.run(
        ["node", str(HERE / "audit.mjs")], input=json.dumps(jobs), text=True, check=True, env=env
    )


def score_of(result: dict) -> int | None:
    score = result["categories"]["accessibility"]["score"]
    return None if score is None or result.get("runtimeError") else round(score * 100)


def not_passed(result: dict) -> list[str]:
    return [
        f"{key} ({check['title']})"
        for key, check in result["audits"].items()
        if check.get("scoreDisplayMode") == "binary" and check.get("score") == 0
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--all", action="store_true", help="every page in every language (about 3 times longer)"
    )
    every = parser.parse_args().all
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `make lighthouse` (it installs it first)")
    REPORTS.mkdir(parents=True, exist_ok=True)
    for old in REPORTS.glob("*.json"):
        old.unlink()
    started = time.monotonic()
    scores: dict[tuple[str, str], int | None] = {}
    problems: list[str] = []
    jobs = []
    with served_demo() as base:
        sessions: dict[str, dict[str, str]] = {}
        for page, path, person, languages in PAGES:
            if person and person not in sessions:
                sessions[person] = session_cookie(base, person)
            for language in EVERY_LANGUAGE if every else languages:
                jobs.append(
                    {
                        "name": f"{language} {page}",
                        "url": f"{base}{LANGUAGES[language]}{path}",
                        "report": str(REPORTS / f"{language}-{page}.json"),
                        "cookies": sessions.get(person, {}),
                        "key": (page, language),
                    }
                )
        audit(jobs)
    for job in jobs:
        result = json.loads(Path(job["report"]).read_text())
        scores[job["key"]] = score_of(result)
        name, url = job["name"], job["url"]
        final = result.get("finalDisplayedUrl", url)
        if final != url:
            # Not the page meant (a sign-in that did not hold, a redirect): not a score.
            scores[job["key"]] = None
            problems.append(f"{name}: {url} ended at {final}")
        if result.get("runtimeError"):
            problems.append(f"{name}: {result['runtimeError']['message']}")
        problems += [f"{name}: {check}" for check in not_passed(result)]
    table = _table(scores)
    print(table)
    summary = REPORTS / "scores.md"
    summary.write_text(table + "\n")
    if problems:
        print("Audits not passed:\n" + "\n".join(f"- {problem}" for problem in problems))
    low = [key for key, score in scores.items() if score is None or score < MINIMUM]
    print(f"\n{len(scores)} pages in {time.monotonic() - started:.0f}s; reports in {REPORTS}")
    if low:
        print(f"FAILED: under {MINIMUM}: " + ", ".join(f"{lang} {page}" for page, lang in low))
        return 1
    print(f"Every page scores {MINIMUM} or more.")
    return 0


def _table(scores: dict[tuple[str, str], int | None]) -> str:
    languages = list(LANGUAGES)
    lines = [
        "| page | " + " | ".join(languages) + " |",
        "|---|" + "---:|" * len(languages),
    ]
    for page, *_rest in PAGES:
        cells = []
        for language in languages:
            if (page, language) not in scores:
                cells.append("")
            else:
                score = scores[page, language]
                cells.append("error" if score is None else str(score))
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
