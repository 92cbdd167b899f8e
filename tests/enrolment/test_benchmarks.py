import pytest
from django.db import connection
from django.test import Client

from cms.management.benchmark import SCENARIOS
from cms.management.benchmark.certificates import certificate_benchmarks
from cms.management.benchmark.harness import (
    BenchmarkError,
    Options,
    RaceResult,
    pair_rows,
    render_exports,
    render_races,
    render_table,
)
from cms.management.benchmark.races import seat_race
from cms.management.benchmark.registers import register_benchmark, register_export
from cms.management.benchmark.sponsorship import (
    FUNDING_NEEDS,
    SPONSOR_HOME,
    funding_list,
    sponsor_home,
    sponsorships,
)
from enrolment.models import Sponsor
from tests.factories import CourseRunFactory, EnrolmentFactory

on_postgres = connection.vendor == "postgresql"


def test_the_races_table_shows_the_counts():
    race = RaceResult("60 enrol into 20 seats", 60, 20, 20, 40, 0, 612.4)

    header, _rule, row = render_races([race]).splitlines()

    assert header.split()[:3] == ["race", "threads", "seats"]
    assert row.split()[-6:] == ["60", "20", "20", "40", "0", "612"]


@pytest.mark.postgres
@pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL's row locks and real threads")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_seat_race_seats_exactly_the_capacity(site):
    CourseRunFactory()  # the open run the race's run is modelled on

    race = seat_race(threads=12, seats=5)

    assert (race.enrolled, race.waitlisted, race.errors) == (5, 7, 0)
    assert race.elapsed_ms > 0


@pytest.mark.skipif(on_postgres, reason="shows the refusal on SQLite")
def test_the_seat_race_refuses_sqlite(db):
    with pytest.raises(BenchmarkError):
        seat_race(threads=2, seats=1)


@pytest.fixture
def model_run(site):
    return CourseRunFactory()  # the open run the benchmark's classes are modelled on


def test_the_register_rows_compare_a_small_and_a_large_class(model_run):
    rows = register_benchmark(Options(repeat=2, warmup=1), sizes=(3, 12))

    assert [row.scenario for row in rows] == ["register page", "register save"]
    page, save = rows
    assert page.small.median_ms > 0 and save.large.median_ms > 0
    # A save is bulk writes, and the page one query per kind of thing: neither grows.
    assert save.large.queries == save.small.queries
    assert page.large.queries == page.small.queries
    table = render_table(rows, "3", "12")
    assert table.splitlines()[0].split()[:4] == ["scenario", "3", "median", "ms"]
    assert "time 12/3" in table


def test_the_register_export_reports_time_and_peak_memory(model_run):
    export = register_export(learners=4, sessions=5, repeat=1)

    assert (export.rows, export.columns) == (4, 5)
    assert export.median_ms > 0 and export.peak_bytes > 0 and export.file_bytes > 0
    header, _rule, row = render_exports([export]).splitlines()
    assert header.split()[:3] == ["export", "rows", "columns"]
    assert row.startswith("register XLSX (4 learners x 5 classes)")


def test_the_certificate_benchmarks_issue_in_bulk_and_render_each_script(model_run):
    results = certificate_benchmarks(learners=4, repeat=1)
    assert [r.scenario for r in results] == [
        "certificates bulk issue (4 learners)",
        "certificate PDF (Latin name)",
        "certificate PDF (Chinese name)",
        "certificate PDF (Arabic name)",
    ]
    assert results[0].queries > 0
    assert all(r.file_bytes > 1000 for r in results[1:])
    assert len(render_exports(results).splitlines()) == 2 + len(results)


# --- sponsorships -----------------------------------------------------------------------------


def test_the_sponsorship_rows_are_registered_with_the_main_table():
    assert sponsorships in SCENARIOS


def test_the_sponsor_home_runs_as_many_queries_for_ten_children_as_for_one(site):
    options = Options(repeat=2, warmup=1)

    one = sponsor_home(1, options)
    ten = sponsor_home(10, options)

    assert one.scenario == ten.scenario == SPONSOR_HOME
    assert one.median_ms > 0
    assert ten.queries == one.queries > 0


def test_the_funding_list_runs_as_many_queries_for_thirty_children_as_for_three(db):
    options = Options(repeat=1, warmup=0)

    small = funding_list(3, options)
    large = funding_list(30, options)

    assert small.scenario == large.scenario == FUNDING_NEEDS
    assert large.queries == small.queries > 0


def test_the_sponsorship_scenario_sizes_its_data_by_the_demo_scale(site):
    small = sponsorships(Options(repeat=1, warmup=1, scale=1))
    large = sponsorships(Options(repeat=1, warmup=1, scale=2))

    rows = pair_rows(small, large)

    assert [row.scenario for row in rows] == [SPONSOR_HOME, FUNDING_NEEDS]
    assert (
        Sponsor.objects.get(user__username="bench.sponsor.2@example.org").sponsorships.count() == 2
    )
    assert [row.large.queries for row in rows] == [row.small.queries for row in rows]


@pytest.mark.django_db
def test_reminders_cost_the_same_queries_per_message_however_many(model_run):
    from cms.management.benchmark.reminders import reminder_benchmark, render_messages

    counts = {n: reminder_benchmark(messages=n).queries for n in (5, 10, 20)}
    # Each further message costs no more queries than the ones before it: the 20th as the 5th.
    per_message = (counts[10] - counts[5]) / 5
    assert (counts[20] - counts[10]) / 10 <= per_message
    assert counts[20] / 20 <= counts[5] / 5
    assert "queries/message" in render_messages([reminder_benchmark(messages=3)])


def test_the_listing_export_benchmark_measures_each_size(model_run, cast):
    from cms.management.benchmark.listing_exports import LISTING, listing_export_benchmarks

    # Enrolments already in the database (at 100x, five years of them) are not the export's.
    EnrolmentFactory.create_batch(3, run=model_run)
    notes = []
    results = listing_export_benchmarks(sizes=(10, 30), report=notes.append)

    assert [(r.scenario.split(" (")[0], r.rows) for r in results] == [
        ("enrolments XLSX", 10),
        ("enrolments CSV", 10),
        ("enrolments XLSX", 30),
        ("enrolments CSV", 30),
    ]
    assert all(r.peak_bytes > 0 and r.file_bytes > 0 for r in results)
    # Streaming: the same queries for three times the rows.
    assert results[0].queries == results[2].queries
    assert "30 enrolments bulk inserted" in notes[0]
    # The list it downloads holds the export's 30 and nobody else.
    client = Client()
    client.force_login(cast.coordinator)
    response = client.get(f"{LISTING}&export=csv")
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1 + 30
