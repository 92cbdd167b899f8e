"""A screen reader's list of headings never skips a level (Lighthouse's heading-order audit),
on the demo's home page and catalogue in every language."""

from html.parser import HTMLParser

import pytest

from cms.management.demo import build_demo
from tests.conftest import html_of

PREFIXES = ["", "/zh-hant", "/ar", "/fr", "/ur"]


class _Headings(HTMLParser):
    def __init__(self):
        super().__init__()
        self.levels: list[int] = []

    def handle_starttag(self, tag, attrs):
        if len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.levels.append(int(tag[1]))


def heading_levels(html: str) -> list[int]:
    parser = _Headings()
    parser.feed(html)
    return parser.levels


def skipped_levels(levels: list[int]) -> list[tuple[int, int]]:
    """Each (from, to) where a heading goes down more than one level from the one before."""
    return [(a, b) for a, b in zip([0, *levels], levels, strict=False) if b > a + 1]


def test_skipped_levels_finds_an_h3_straight_after_the_h1():
    assert skipped_levels([1, 3, 3]) == [(1, 3)]
    assert skipped_levels([1, 2, 3, 2, 2]) == []
    assert skipped_levels([2]) == [(0, 2)]


@pytest.mark.django_db
def test_home_and_catalogue_headings_descend_one_level_at_a_time(client):
    build_demo(scale=1)
    for prefix in PREFIXES:
        for path in ("/", "/courses/"):
            levels = heading_levels(html_of(client.get(f"{prefix}{path}")))
            assert levels[:1] == [1], (prefix + path, levels)
            assert skipped_levels(levels) == [], (prefix + path, levels)
        # The catalogue's courses are headings right under its title.
        catalogue = heading_levels(html_of(client.get(f"{prefix}/courses/")))
        assert catalogue.count(2) >= 10, (prefix, catalogue)
