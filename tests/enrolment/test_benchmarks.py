import pytest
from django.db import connection

from cms.benchmarking import BenchmarkError, RaceResult, render_races
from enrolment.benchmarks import seat_race
from tests.factories import CourseRunFactory

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
