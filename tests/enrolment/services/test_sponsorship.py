"""The sponsorship rules and arithmetic: when sponsorships pay, how well each child's school
year is funded, what a placement, a sponsorship, a sponsor and a report must be, and sharing
reports with sponsors."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from enrolment.models import (
    Frequency,
    Grade,
    ProgressReport,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
    SubjectGrade,
)
from enrolment.services.sponsorship import (
    FundingStatus,
    SponsorshipError,
    funding_for_year,
    funding_needs,
    funding_workbook,
    placement_check,
    placement_save,
    report_save,
    report_share,
    report_unshare,
    school_check,
    sponsor_create,
    sponsor_delete,
    sponsorship_check,
    sponsorship_payment_dates,
    sponsorship_save,
)
from tests.conftest import logged
from tests.factories import (
    ChildFactory,
    LearnerFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SponsorFactory,
    SponsorshipFactory,
    SubjectGradeFactory,
)

YEAR = 2026  # the school year 2026/27: 1 September 2026 to 31 August 2027
D = dt.date


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


def test_funding_costs_two_queries_however_many_children(db, django_assert_num_queries):
    for _ in range(5):
        placement = SchoolPlacementFactory(school_year=YEAR)
        SponsorshipFactory(child=placement.child, starts_on=D(YEAR, 9, 1))
    with django_assert_num_queries(2):
        rows = funding_for_year(school_year=YEAR)
        [(row.placement.school.name, row.sponsor_count, row.status) for row in rows]


def test_the_workbook_has_money_as_numbers_and_no_formulas(db):
    child = ChildFactory(preferred_name='=HYPERLINK("http://evil.example","x")')
    SchoolPlacementFactory(school_year=YEAR, child=child)
    data = funding_workbook(funding_needs(school_year=YEAR))
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Child", "Learner number", "School year")
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][5:8] == (6000, 0, 6000)
    assert sheet.cell(row=2, column=6).number_format == '"HK$"#,##0.00'
    assert rows[1][9] == "Waiting for a sponsor"


# --- schools ----------------------------------------------------------------------------------


def test_a_schools_empty_grades_take_its_types_usual_range():
    assert school_check(school_type=SchoolType.PRIMARY, lowest_grade=None, highest_grade=None) == (
        Grade.P1,
        Grade.P6,
    )
    assert school_check(
        school_type=SchoolType.SECONDARY, lowest_grade=Grade.S4, highest_grade=None
    ) == (Grade.S4, Grade.S6)


def test_a_school_cannot_teach_from_a_higher_grade_to_a_lower():
    with pytest.raises(SponsorshipError) as refused:
        school_check(school_type=SchoolType.PRIMARY, lowest_grade=Grade.P6, highest_grade=Grade.P1)
    assert refused.value.field == "lowest_grade"
    assert "P6" in refused.value.message and "P1" in refused.value.message


def test_a_school_needs_a_known_type():
    with pytest.raises(SponsorshipError) as refused:
        school_check(school_type="castle", lowest_grade=None, highest_grade=None)
    assert refused.value.field == "school_type"


# --- placements -------------------------------------------------------------------------------


def test_a_placement_at_a_grade_the_school_does_not_teach_is_refused(db):
    school = SchoolFactory(lowest_grade=Grade.P1, highest_grade=Grade.P6)
    with pytest.raises(SponsorshipError) as refused:
        placement_check(child=ChildFactory(), school=school, grade=Grade.S1, school_year=YEAR)
    assert refused.value.field == "grade"
    assert "P1–P6" in refused.value.message
    placement_check(child=ChildFactory(), school=school, grade=Grade.P6, school_year=YEAR)


def test_a_placement_is_for_a_child(db):
    adult = LearnerFactory(date_of_birth=D(2008, 8, 31))  # 18 on 1 September 2026
    with pytest.raises(SponsorshipError) as refused:
        placement_check(child=adult, school=SchoolFactory(), grade=Grade.P4, school_year=YEAR)
    assert refused.value.field == "child"
    young = LearnerFactory(date_of_birth=D(2008, 9, 2))  # still 17 that day
    placement_check(child=young, school=SchoolFactory(), grade=Grade.P4, school_year=YEAR)


def test_placement_save_logs_and_refuses_a_second_place_in_a_year(db, cast):
    placement = SchoolPlacementFactory.build(
        child=ChildFactory(), school=SchoolFactory(), school_year=YEAR
    )
    placement_save(placement=placement, by=cast.coordinator)
    assert logged(placement, "wagtail.create") == 1
    second = SchoolPlacementFactory.build(
        child=placement.child, school=SchoolFactory(), school_year=YEAR
    )
    with pytest.raises(SponsorshipError) as refused:
        placement_save(placement=second, by=cast.coordinator)
    assert refused.value.field == "school_year"
    assert SchoolPlacement.objects.count() == 1
    with pytest.raises(SponsorshipError):
        placement_save(placement=placement, by=cast.teacher)


# --- sponsorships -----------------------------------------------------------------------------


def check(**overrides):
    values = {
        "child": overrides.pop("child", None) or ChildFactory(),
        "starts_on": D(YEAR, 9, 1),
        "ends_on": None,
        "amount": Decimal(500),
        "frequency": Frequency.MONTHLY,
        "covers": ["fees"],
        **overrides,
    }
    sponsorship_check(**values)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": Decimal("-10")}, "amount"),
        ({"amount": Decimal(1_000_000)}, "amount"),
        ({"ends_on": D(YEAR, 8, 31)}, "ends_on"),
        ({"frequency": "fortnightly"}, "frequency"),
        ({"covers": ["fees", "pocket money"]}, "covers"),
    ],
)
def test_a_sponsorship_with_bad_terms_is_refused_on_its_field(db, overrides, field):
    with pytest.raises(SponsorshipError) as refused:
        check(**overrides)
    assert refused.value.field == field
    assert refused.value.message


def test_a_child_18_on_the_start_date_cannot_be_sponsored(db):
    child = ChildFactory(date_of_birth=D(2010, 3, 15))
    with pytest.raises(SponsorshipError) as refused:
        check(child=child, starts_on=D(2028, 3, 15))
    assert refused.value.field == "child" and "18" in refused.value.message


def test_a_child_17_the_day_before_the_18th_birthday_can_be_sponsored(db):
    check(child=ChildFactory(date_of_birth=D(2010, 3, 15)), starts_on=D(2028, 3, 14))


def test_a_child_without_a_guardian_or_a_birthday_cannot_be_sponsored(db):
    with pytest.raises(SponsorshipError) as refused:
        check(child=ChildFactory(guardian_name="  "))
    assert refused.value.field == "child" and "guardian" in refused.value.message
    with pytest.raises(SponsorshipError) as refused:
        check(child=ChildFactory(date_of_birth=None))
    assert refused.value.field == "child" and "date of birth" in refused.value.message


def test_sponsorship_save_records_who_and_logs_once(db, cast):
    sponsorship = SponsorshipFactory.build(sponsor=SponsorFactory(), child=ChildFactory())
    sponsorship_save(sponsorship=sponsorship, by=cast.coordinator)
    assert sponsorship.created_by == cast.coordinator
    assert logged(sponsorship, "wagtail.create") == 1
    sponsorship.amount = Decimal(0)
    with pytest.raises(SponsorshipError):
        sponsorship_save(sponsorship=sponsorship, by=cast.coordinator)
    sponsorship.refresh_from_db()
    assert sponsorship.amount == Decimal(500)
    with pytest.raises(SponsorshipError):
        sponsorship_save(sponsorship=sponsorship, by=cast.sponsor)


# --- sponsors ---------------------------------------------------------------------------------


def test_a_new_sponsor_gets_an_account_without_a_password(db, cast):
    sponsor = sponsor_create(
        display_name=" St Andrew's Church ", email=" Giving@Example.org ", by=cast.coordinator
    )
    assert sponsor.display_name == "St Andrew's Church"
    assert sponsor.user.email == "giving@example.org"
    assert not sponsor.user.has_usable_password()
    assert list(sponsor.user.groups.values_list("name", flat=True)) == ["Sponsors"]
    assert logged(sponsor, "wagtail.create") == 1


def test_a_second_sponsor_with_the_same_email_is_refused(db, cast):
    sponsor_create(display_name="First", email="giving@example.org", by=cast.coordinator)
    with pytest.raises(SponsorshipError) as refused:
        sponsor_create(display_name="Second", email="GIVING@example.org", by=cast.coordinator)
    assert refused.value.field == "email"
    assert Sponsor.objects.count() == 1


@pytest.mark.parametrize(
    ("display_name", "email", "field"), [("", "a@example.org", "display_name"), ("A", " ", "email")]
)
def test_a_sponsor_needs_a_name_and_an_email(db, cast, display_name, email, field):
    with pytest.raises(SponsorshipError) as refused:
        sponsor_create(display_name=display_name, email=email, by=cast.coordinator)
    assert refused.value.field == field
    assert not Sponsor.objects.exists()


def test_deleting_a_sponsor_frees_their_email(db, cast):
    sponsor = sponsor_create(display_name="Mistake", email="oops@example.org", by=cast.coordinator)
    sponsor_delete(sponsor=sponsor, by=cast.coordinator)
    assert not Sponsor.objects.exists()
    assert not get_user_model().objects.filter(email="oops@example.org").exists()
    sponsor_create(display_name="Again", email="oops@example.org", by=cast.coordinator)


def test_a_sponsor_with_sponsorships_cannot_be_deleted(db, cast):
    sponsorship = SponsorshipFactory()
    with pytest.raises(SponsorshipError):
        sponsor_delete(sponsor=sponsorship.sponsor, by=cast.coordinator)
    assert Sponsor.objects.filter(pk=sponsorship.sponsor_id).exists()


def test_deleting_a_sponsor_keeps_an_account_with_other_roles(db, cast):
    sponsor = SponsorFactory(user=cast.teacher)
    sponsor_delete(sponsor=sponsor, by=cast.coordinator)
    cast.teacher.refresh_from_db()
    assert list(cast.teacher.groups.values_list("name", flat=True)) == ["Teachers"]


# --- progress reports -------------------------------------------------------------------------


def test_sharing_needs_the_familys_consent(db, cast):
    report = ProgressReportFactory(child=ChildFactory(consent_share_progress=False))
    with pytest.raises(SponsorshipError) as refused:
        report_share(report=report, by=cast.coordinator)
    assert "not agreed" in refused.value.message
    report.refresh_from_db()
    assert not report.shared_with_sponsors


def test_sharing_needs_a_coordinator(db, cast):
    report = ProgressReportFactory()
    for who in (cast.teacher, cast.sponsor, cast.learner):
        with pytest.raises(SponsorshipError):
            report_share(report=report, by=who)
    report.refresh_from_db()
    assert not report.shared_with_sponsors


def test_sharing_records_who_and_when_and_logs(db, cast):
    report = ProgressReportFactory()
    report_share(report=report, by=cast.coordinator)
    report.refresh_from_db()
    assert report.shared_with_sponsors
    assert report.shared_by == cast.coordinator and report.shared_at is not None
    assert logged(report, "enrolment.report.share") == 1
    report_share(report=report, by=cast.coordinator)  # twice: no second entry
    assert logged(report, "enrolment.report.share") == 1


def test_unsharing_hides_the_report_and_logs(db, cast):
    report = ProgressReportFactory()
    report_unshare(report=report, by=cast.coordinator)  # not shared: nothing to do
    assert logged(report, "enrolment.report.unshare") == 0
    report_share(report=report, by=cast.coordinator)
    report_unshare(report=report, by=cast.coordinator, reason="stopped")
    report.refresh_from_db()
    assert not report.shared_with_sponsors and report.shared_by is None
    assert report.shared_at is None
    assert logged(report, "enrolment.report.unshare") == 1
    with pytest.raises(SponsorshipError):
        report_unshare(report=report, by=cast.teacher)


def _shared_report(cast) -> ProgressReport:
    report = ProgressReportFactory()
    SubjectGradeFactory(report=report, subject="English", grade="B+")
    report_share(report=report, by=cast.coordinator)
    return ProgressReport.objects.get(pk=report.pk)


@pytest.mark.parametrize(
    "change",
    [
        {"teacher_comment": "Now names her classmate Joy."},
        {"school_attendance_percent": 60},
        {"term": 2},
        {"school_year": YEAR - 1},
    ],
)
def test_changing_what_sponsors_see_unshares_a_report(db, cast, change):
    report = _shared_report(cast)
    for name, value in change.items():
        setattr(report, name, value)
    saved = report_save(report=report, by=cast.coordinator)
    assert saved.unshared and not saved.created
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert logged(report, "enrolment.report.unshare") == 1
    assert logged(report, "wagtail.edit") == 1


def test_changing_a_grade_unshares_a_report(db, cast):
    report = _shared_report(cast)
    report.grades = [SubjectGrade(subject="English", grade="C")]
    assert report_save(report=report, by=cast.coordinator).unshared
    report.refresh_from_db()
    assert not report.shared_with_sponsors
    assert list(report.grades.values_list("grade", flat=True)) == ["C"]


def test_changing_only_the_caseworker_note_keeps_it_shared(db, cast):
    report = _shared_report(cast)
    report.caseworker_note = "Rent paid in November."
    saved = report_save(report=report, by=cast.coordinator)
    assert not saved.unshared
    report.refresh_from_db()
    assert report.shared_with_sponsors
    assert logged(report, "enrolment.report.unshare") == 0


def test_a_stale_form_copy_cannot_unshare_or_reshare(db, cast):
    stale = ProgressReport.objects.get(pk=ProgressReportFactory().pk)  # loaded while not shared
    report_share(report=stale, by=cast.coordinator)
    stale.shared_with_sponsors = False  # as the edit form loaded it
    stale.caseworker_note = "Called the family."
    report_save(report=stale, by=cast.coordinator)
    stale.refresh_from_db()
    assert stale.shared_with_sponsors


def test_report_save_is_for_coordinators(db, cast):
    with pytest.raises(SponsorshipError):
        report_save(report=ProgressReportFactory.build(child=ChildFactory()), by=cast.teacher)
    assert not ProgressReport.objects.exists()
