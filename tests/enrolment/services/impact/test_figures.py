"""The impact report's figures over a seeded quarter (tests/worlds/impact.py), each worked
out by hand from the world's description, not by the service's rules."""

import datetime as dt
from decimal import Decimal

import pytest

from enrolment.services.impact import impact_report_compile
from enrolment.services.impact.figures import figures_compute
from enrolment.services.impact.scope import ImpactScope, period_of_dates, period_of_quarter

pytestmark = pytest.mark.django_db

Q1_2025 = period_of_quarter(year=2025, quarter=1)


def figures(**filters):
    return figures_compute(scope=ImpactScope(period=Q1_2025, **filters))


def test_the_quarter_is_january_to_march():
    assert (Q1_2025.start, Q1_2025.end) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def test_learners_served_are_each_person_who_held_a_seat_in_the_quarter(impact_world):
    f = figures()
    # Amina, Bilal, Chloe, Dawit (left on 1 Feb, after the quarter began). Not Esther
    # (waiting), Farah (left in December), Gul (starts in April), Hana (autumn only).
    assert f.learners_served == 4
    # Amina took a seat in the autumn: returning. Bilal, Chloe, Dawit are new.
    assert (f.new_learners, f.returning_learners) == (3, 1)


def test_sessions_hours_and_attendance_come_from_the_registers(impact_world):
    f = figures()
    # 6 Jan, 8 Jan, 3 Feb have marks; 10 Jan has none; 13 Jan was cancelled.
    assert f.sessions_held == 3
    # Present or late: Amina 6 and 8 Jan, Chloe 6 Jan, Dawit 8 Jan (2 h each) + Bilal (4 h).
    assert f.contact_hours == Decimal(4 * 2 + 4)
    # 5 attended of 6 counted (Chloe's excused absence counts neither way).
    assert f.attendance_rate == pytest.approx(5 / 6)


def test_outcomes_count_the_quarter_only(impact_world):
    f = figures()
    assert f.completions == 2  # Amina in A, Bilal in B (Amina's autumn course ended in 2024)
    assert f.placements_completed == 1  # Bilal's warehouse training
    assert f.certificates_issued == 1  # Amina's for A; Bilal's was revoked
    assert f.ged_subjects_passed == 3 + 4  # Bilal's three, Amina's four (Chloe's: 2024)
    assert f.ged_diplomas == 1


def test_children_sponsored_their_school_attendance_and_the_funding_gap(impact_world):
    f = figures()
    assert f.children_sponsored == 1  # Kofi; Lina's sponsorship starts in April
    assert f.school_attendance_percent == pytest.approx((90 + 80) / 2)
    # School year 2024/25: Kofi 10,000 - 12 x 500 = 4,000; Lina 3,000 - 5 x 100 = 2,500.
    assert f.funding_school_year == 2024
    assert f.funding_gap == Decimal(4_000 + 2_500)


def test_support_to_attend(impact_world):
    f = figures()
    assert f.interpreter_learners == 1
    assert (f.childcare_learners, f.childcare_places) == (1, 2)
    assert f.transport_learners == 1
    assert f.transport_amount == Decimal(2 * 20)  # Amina attended two sessions of A


def test_a_programme_narrows_the_learning_figures(impact_world):
    f = figures(category=impact_world.vocational)
    assert (f.learners_served, f.new_learners) == (1, 1)  # Bilal
    assert f.sessions_held == 1 and f.contact_hours == Decimal(4)
    assert (f.completions, f.placements_completed, f.certificates_issued) == (1, 1, 0)
    assert f.ged_subjects_passed == 3  # Bilal's own results only
    assert f.children_sponsored == 1  # sponsorships belong to no course


def test_a_funder_narrows_everything_to_their_children(impact_world):
    f = figures(sponsor=impact_world.funder)
    assert f.learners_served == 0  # Kofi takes no class
    assert f.children_sponsored == 1
    assert f.funding_gap == Decimal(4_000)  # Kofi's alone


def test_a_period_of_dates_counts_within_them(impact_world):
    period = period_of_dates(start=dt.date(2025, 2, 2), end=dt.date(2025, 3, 31))
    f = figures_compute(scope=ImpactScope(period=period))
    # Dawit left on 1 Feb; everyone else still held a seat.
    assert f.learners_served == 3
    assert f.sessions_held == 1  # 3 Feb only


def test_breakdowns_count_each_learner_served_in_their_band(impact_world):
    report = impact_report_compile(scope=ImpactScope(period=Q1_2025))
    raw = {b.key: {cell.label: cell.count for cell in b.cells} for b in report.breakdowns}
    # Ages on 31 March 2025: Amina 34, Bilal 65, Chloe 14, Dawit unknown.
    assert raw["age"] == {
        "under 12": 0,
        "12 to 17": 1,
        "18 to 24": 0,
        "25 to 39": 1,
        "40 to 59": 0,
        "60 and over": 1,
        "not recorded": 1,
    }
    assert raw["gender"] == {"woman": 2, "man": 1, "another gender": 0, "not recorded": 1}
    assert raw["region"]["East Africa"] == 1 and raw["region"]["not recorded"] == 3
    assert raw["audience"]["Adults"] == 4
    assert raw["ielts"] == {"band 6.5": 2, "band 5.0": 1}
