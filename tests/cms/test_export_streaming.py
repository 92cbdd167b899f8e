"""Listing exports stream: rows are read from the database a chunk at a time, and every row of
every chunk reaches the file (XLSX and CSV), with the same queries for a longer list."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms import exports
from enrolment.models import EnrolmentStatus
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory

pytestmark = pytest.mark.django_db
LISTING = "/admin/enrolment/enrolments/"


@pytest.fixture
def coordinator_client(client, cast):
    client.force_login(cast.coordinator)
    return client


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK_ROWS", 3)


def enrol(count: int, run) -> None:
    for n in range(count):
        EnrolmentFactory(
            learner=LearnerFactory(preferred_name=f"Streamed {n:02d}", legal_name=""),
            run=run,
            status=EnrolmentStatus.COMPLETED,
        )


def names_in_xlsx(data: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return sorted(row[0].split(" (")[0] for row in sheet.iter_rows(min_row=2, values_only=True))


def test_every_row_of_every_chunk_reaches_the_xlsx_and_the_csv(
    site, coordinator_client, small_chunks
):
    enrol(8, CourseRunFactory())
    expected = [f"Streamed {n:02d}" for n in range(8)]

    xlsx = coordinator_client.get(f"{LISTING}?export=xlsx")
    assert xlsx.streaming
    assert names_in_xlsx(b"".join(xlsx.streaming_content)) == expected

    text = b"".join(coordinator_client.get(f"{LISTING}?export=csv").streaming_content)
    rows = list(csv.reader(io.StringIO(text.decode("utf-8"))))[1:]
    assert sorted(row[0].split(" (")[0] for row in rows) == expected


def test_a_longer_list_costs_no_more_queries(site, coordinator_client):
    run = CourseRunFactory()
    enrol(3, run)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = coordinator_client.get(f"{LISTING}?export=xlsx")
            b"".join(response.streaming_content)
        return len(captured)

    few = queries()
    enrol(12, run)
    assert queries() == few
