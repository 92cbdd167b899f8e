"""The sponsorship arithmetic: when sponsorships pay, and how well each child's school year
is funded."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from enrolment.models import Frequency, Sponsorship
from enrolment.services.funding import (
    FundingStatus,
    funding_for_year,
    funding_needs,
    funding_workbook,
    sponsorship_payment_dates,
)
from tests.enrolment.services.sponsorship.conftest import YEAR, D
from tests.exports import xlsx_formulas
from tests.factories import (
    ChildFactory,
    SchoolPlacementFactory,
    SponsorshipFactory,
    SponsorshipPaymentFactory,
)


def pays(starts_on, frequency, ends_on=None, year=YEAR) -> list[dt.date]:
    sponsorship = Sponsorship(
        starts_on=starts_on, ends_on=ends_on, amount=Decimal(100), frequency=frequency
    )
    return sponsorship_payment_dates(sponsorship, school_year=year)


# --- when a sponsorship pays ------------------------------------------------------------------


def test_monthly_from_the_31st_pays_on_each_months_last_day():
    assert pays(D(2027, 1, 31), Frequency.MONTHLY) == [
        D(2027, 1, 31),
        D(2027, 2, 28),
        D(2027, 3, 31),
        D(2027, 4, 30),
        D(2027, 5, 31),
        D(2027, 6, 30),
        D(2027, 7, 31),
        D(2027, 8, 31),
    ]


def test_termly_pays_every_four_months():
    assert pays(D(2026, 9, 1), Frequency.TERMLY) == [D(2026, 9, 1), D(2027, 1, 1), D(2027, 5, 1)]


def test_yearly_pays_on_the_anniversary_inside_the_year():
    assert pays(D(2025, 10, 15), Frequency.YEARLY) == [D(2026, 10, 15)]
    assert pays(D(2026, 9, 1), Frequency.YEARLY) == [D(2026, 9, 1)]


def test_a_one_off_pays_once_in_its_year_and_never_in_another():
    assert pays(D(2026, 11, 1), Frequency.ONE_OFF) == [D(2026, 11, 1)]
    assert pays(D(2025, 11, 1), Frequency.ONE_OFF) == []
    assert pays(D(2027, 9, 1), Frequency.ONE_OFF) == []


def test_the_end_date_cuts_payments_off():
    assert pays(D(2026, 9, 1), Frequency.MONTHLY, ends_on=D(2026, 12, 15)) == [
        D(2026, 9, 1),
        D(2026, 10, 1),
        D(2026, 11, 1),
        D(2026, 12, 1),
    ]
    assert pays(D(2026, 9, 1), Frequency.ONE_OFF, ends_on=D(2026, 8, 31)) == []


def test_a_sponsorship_started_before_the_year_pays_its_months_inside_it():
    dates = pays(D(2026, 6, 10), Frequency.MONTHLY)
    assert len(dates) == 12
    assert dates[0] == D(2026, 9, 10) and dates[-1] == D(2027, 8, 10)


def test_a_sponsorship_that_ended_before_the_year_pays_nothing_in_it():
    assert pays(D(2025, 9, 1), Frequency.MONTHLY, ends_on=D(2026, 8, 31)) == []


# --- how well each child's year is funded -----------------------------------------------------


@pytest.fixture
def placed(db):
    """A child at school in 2026/27, whose year costs HK$6,000 (3000 + 800 + 1200 + 1000)."""
    return SchoolPlacementFactory(school_year=YEAR)


def _row(child):
    return next(row for row in funding_for_year(school_year=YEAR) if row.child == child)


def test_a_placed_child_without_a_sponsor_waits(placed):
    row = _row(placed.child)
    assert row.status == FundingStatus.WAITING
    assert row.costs == Decimal(6000) and row.sponsored == 0 and row.gap == Decimal(6000)
    assert row.sponsor_count == 0
    assert row.status_label == "Waiting for a sponsor"


def test_a_child_sponsored_for_less_than_the_costs_is_under_funded(placed):
    SponsorshipFactory(child=placed.child, starts_on=D(YEAR, 9, 1), amount=100)
    row = _row(placed.child)
    assert row.status == FundingStatus.UNDER_FUNDED
    assert row.sponsored == Decimal(1200) and row.gap == Decimal(4800)
    assert row.percent_funded == 20


def test_two_sponsors_are_summed_and_can_fund_the_year(placed):
    SponsorshipFactory(child=placed.child, starts_on=D(YEAR, 9, 1), amount=250)
    SponsorshipFactory(child=placed.child, starts_on=D(YEAR, 9, 1), amount=250)
    row = _row(placed.child)
    assert row.sponsored == Decimal(6000)
    assert row.sponsor_count == 2
    assert row.status == FundingStatus.FUNDED and row.gap == 0
    assert placed.child not in [r.child for r in funding_needs(school_year=YEAR)]


def test_the_gap_is_never_negative(placed):
    SponsorshipFactory(child=placed.child, starts_on=D(YEAR, 9, 1), amount=1000)
    row = _row(placed.child)
    assert row.sponsored == Decimal(12000)
    assert row.gap == 0 and row.status == FundingStatus.FUNDED and row.percent_funded == 100


def test_a_sponsored_child_without_a_school_place_is_flagged(db):
    sponsorship = SponsorshipFactory(starts_on=D(YEAR, 9, 1))
    row = _row(sponsorship.child)
    assert row.status == FundingStatus.NO_PLACEMENT
    assert row.placement is None and row.costs == 0 and row.gap == 0


def test_a_sponsorship_paying_nothing_in_the_year_does_not_count(placed):
    SponsorshipFactory(
        child=placed.child, starts_on=D(YEAR - 1, 9, 1), ends_on=D(YEAR, 8, 31), amount=500
    )
    row = _row(placed.child)
    assert row.status == FundingStatus.WAITING and row.sponsor_count == 0


def test_the_worklist_puts_waiting_first_then_the_largest_gap(db):
    small_gap = SchoolPlacementFactory(school_year=YEAR, child=ChildFactory(preferred_name="Abe"))
    SponsorshipFactory(child=small_gap.child, starts_on=D(YEAR, 9, 1), amount=400)
    big_gap = SchoolPlacementFactory(school_year=YEAR, child=ChildFactory(preferred_name="Bea"))
    SponsorshipFactory(child=big_gap.child, starts_on=D(YEAR, 9, 1), amount=100)
    waiting = SchoolPlacementFactory(school_year=YEAR, child=ChildFactory(preferred_name="Cy"))
    unplaced = SponsorshipFactory(starts_on=D(YEAR, 9, 1), child=ChildFactory(preferred_name="Di"))
    assert [row.child for row in funding_needs(school_year=YEAR)] == [
        waiting.child,
        big_gap.child,
        small_gap.child,
        unplaced.child,
    ]


def test_funding_costs_three_queries_however_many_children(db, django_assert_num_queries):
    for _ in range(5):
        placement = SchoolPlacementFactory(school_year=YEAR)
        sponsorship = SponsorshipFactory(child=placement.child, starts_on=D(YEAR, 9, 1))
        SponsorshipPaymentFactory(sponsorship=sponsorship, received_on=D(YEAR, 9, 2))
    with django_assert_num_queries(3):
        rows = funding_for_year(school_year=YEAR)
        [(row.placement.school.name, row.sponsor_count, row.status) for row in rows]


def test_the_workbook_has_money_as_numbers_and_no_formulas(db):
    child = ChildFactory(preferred_name='=HYPERLINK("http://evil.example","x")')
    SchoolPlacementFactory(school_year=YEAR, child=child)
    data = funding_workbook(funding_needs(school_year=YEAR))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Child", "Learner number", "School year")
    assert rows[1][0] == '=HYPERLINK("http://evil.example","x")'
    assert xlsx_formulas(data) == []
    assert rows[1][5:9] == (6000, 0, 0, 6000)  # costs, sponsored, received, gap
    assert sheet.cell(row=2, column=6).number_format == '"HK$"#,##0.00'
    assert rows[1][10] == "Waiting for a sponsor"
