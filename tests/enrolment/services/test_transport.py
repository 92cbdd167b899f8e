"""Transport fares paid back: sessions attended (present or late) in a period times the run's
amount per session, for enrolments that say so. The amounts are worked out by hand below."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from enrolment.models import Attendance, AttendanceStatus
from enrolment.services.transport import (
    TransportTotals,
    transport_reimbursements,
    transport_totals,
    transport_workbook,
)
from tests.exports import xlsx_formulas
from tests.factories import CourseRunFactory, EnrolmentFactory, LearnerFactory, SessionFactory

pytestmark = pytest.mark.django_db
A = AttendanceStatus
START, END = dt.date(2026, 9, 1), dt.date(2026, 9, 30)


def mark(enrolment, session, status):
    Attendance.objects.create(
        enrolment=enrolment, session=session, status=status, marked_at=timezone.now()
    )


def learner_in(run, name, *, transport=True):
    return EnrolmentFactory(
        run=run, learner=LearnerFactory(preferred_name=name), transport_reimbursed=transport
    )


@pytest.fixture
def world(site):
    english = CourseRunFactory(
        code="ENG-A1",
        start_date=dt.date(2026, 8, 20),
        end_date=dt.date(2026, 10, 20),
        transport_per_session=Decimal("12.50"),
    )
    sessions = [
        SessionFactory(run=english, date=day)
        for day in (
            dt.date(2026, 8, 27),  # before the period
            dt.date(2026, 9, 3),
            dt.date(2026, 9, 10),
            dt.date(2026, 9, 17),
            dt.date(2026, 9, 24),
            dt.date(2026, 10, 1),  # after it
        )
    ]
    before, first, second, third, fourth, after = sessions
    amina = learner_in(english, "Amina")
    for session, status in [(first, A.PRESENT), (second, A.LATE), (third, A.ABSENT)]:
        mark(amina, session, status)
    mark(amina, fourth, A.EXCUSED)
    bilal = learner_in(english, "Bilal")
    for session in (before, first, second, third, after):
        mark(bilal, session, A.PRESENT)
    chloe = learner_in(english, "Chloe", transport=False)  # walks to class
    mark(chloe, first, A.PRESENT)
    dawit = learner_in(english, "Dawit")  # never came in September
    mark(dawit, first, A.ABSENT)

    computers = CourseRunFactory(
        code="PC-01",
        start_date=dt.date(2026, 9, 1),
        end_date=dt.date(2026, 9, 30),
        transport_per_session=Decimal("20"),
    )
    omar = learner_in(computers, "Omar")
    mark(omar, SessionFactory(run=computers, date=dt.date(2026, 9, 5)), A.PRESENT)

    unpaid = CourseRunFactory(code="ART-01", start_date=dt.date(2026, 9, 1))  # pays no fares
    yusuf = learner_in(unpaid, "Yusuf")  # flagged before the amount went back to 0
    mark(yusuf, SessionFactory(run=unpaid, date=dt.date(2026, 9, 5)), A.PRESENT)
    return english


def test_it_pays_each_attended_session_at_the_runs_amount(world):
    rows = transport_reimbursements(start=START, end=END)

    # Amina: present + late = 2 x 12.50 = 25.00 (absent and excused are not paid);
    # Bilal: 3 in September x 12.50 = 37.50 (August and October are outside the period);
    # Omar: 1 x 20.00. Chloe asked for nothing, Dawit attended nothing, Yusuf's class pays 0.
    assert [(r.learner.preferred_name, r.sessions_attended, r.amount) for r in rows] == [
        ("Amina", 2, Decimal("25.00")),
        ("Bilal", 3, Decimal("37.50")),
        ("Omar", 1, Decimal("20.00")),
    ]
    assert transport_totals(start=START, end=END) == TransportTotals(
        learners=3, sessions=6, amount=Decimal("82.50")
    )


def test_it_narrows_to_one_class(world):
    rows = transport_reimbursements(start=START, end=END, run=world)

    assert [r.learner.preferred_name for r in rows] == ["Amina", "Bilal"]
    assert transport_totals(start=START, end=END, run=world).amount == Decimal("62.50")


def test_a_period_with_nothing_attended_totals_zero(world):
    january = {"start": dt.date(2026, 1, 1), "end": dt.date(2026, 1, 31)}

    assert not transport_reimbursements(**january).exists()
    assert transport_totals(**january) == TransportTotals(learners=0, sessions=0, amount=Decimal(0))


def test_the_workbook_has_the_amounts_as_numbers_and_the_total(world):
    data = transport_workbook(start=START, end=END)

    assert xlsx_formulas(data) == []
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Learner",
        "Learner number",
        "Class",
        "Course",
        "Sessions attended",
        "Per session",
        "Amount",
    ]
    # Names as staff lists show them: "Amina H. (L12)".
    assert [(r[0].split()[0], r[2], r[4], r[5], r[6]) for r in rows[1:4]] == [
        ("Amina", "ENG-A1", 2, 12.5, 25),
        ("Bilal", "ENG-A1", 3, 12.5, 37.5),
        ("Omar", "PC-01", 1, 20, 20),
    ]
    assert rows[4][0] == "Total" and rows[4][4] == 6 and rows[4][6] == 82.5
    assert rows[1][1].startswith("L") and rows[1][1] in rows[1][0]


def test_a_name_that_looks_like_a_formula_stays_text(world):
    enrolment = learner_in(world, "=HYPERLINK(1)")
    mark(enrolment, world.sessions.get(date=dt.date(2026, 9, 3)), A.PRESENT)

    data = transport_workbook(start=START, end=END)

    assert xlsx_formulas(data) == []
