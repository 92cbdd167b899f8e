"""/ar/teach/: a teacher's classes under their Arabic titles and at venues named in Arabic where
translated, else as written; as many queries for two classes as for eight."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import html_of
from tests.factories import SessionFactory, translate_page, translate_snippet
from tests.worlds.registers import build_class, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(site, english):
    translate_page(site.home, "ar", title="أهلا")
    translate_page(site.catalogue, "ar", title="الدورات")
    translate_page(english.run.course, "ar", title="الإنجليزية A1")
    translate_snippet(english.run.venue, "ar", name="المركز الرئيسي", district="شام شوي بو")
    english.today = SessionFactory(
        run=english.run, date=days(0), start_time=dt.time(0), end_time=dt.time(0, 1)
    )
    return english


def test_the_teachers_classes_read_in_arabic(client, cast, site, world):
    untranslated = build_class(site, cast, names=["Omar"], code="PC-01", title="Computers")
    SessionFactory(run=untranslated.run, date=days(1))
    client.force_login(cast.teacher)

    html = html_of(client.get("/ar/teach/"))

    assert ">الإنجليزية A1</a></h3>" in html  # today's class
    assert '<h3 dir="auto">الإنجليزية A1</h3>' in html  # its paper register
    assert "English A1" not in html
    assert "المركز الرئيسي" in html and world.run.venue.name not in html
    assert ">Computers</a></h3>" in html  # not translated: as written


def test_the_register_and_results_pages_read_in_arabic(client, cast, world):
    client.force_login(cast.teacher)
    register = html_of(client.get(f"/ar/teach/sessions/{world.today.pk}/"))
    assert "الإنجليزية A1" in register and "المركز الرئيسي" in register
    assert "English A1" not in register
    for page in ("register/print", "results", "register/upload", "message"):
        html = html_of(client.get(f"/ar/teach/runs/{world.run.pk}/{page}/"))
        assert "الإنجليزية A1" in html and "English A1" not in html, page


def test_arabic_titles_cost_the_same_queries_for_two_classes_or_eight(client, site, cast, world):
    def cost() -> int:
        client.get("/ar/teach/")  # the site root and settings, cached like any later visit
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/ar/teach/").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(cast.teacher)
    two = cost()
    for n in range(6):
        more = build_class(site, cast, names=[f"L{n}"], code=f"MORE-{n}", title=f"More {n}")
        translate_page(more.run.course, "ar", title=f"المزيد {n}")
        translate_snippet(more.run.venue, "ar", name=f"قاعة {n}")
        SessionFactory(run=more.run, date=days(0), start_time=dt.time(0), end_time=dt.time(0, 1))
    assert cost() == two
