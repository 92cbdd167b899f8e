"""What the sponsor-portal services let a sponsor know, at the edges: names, ages on a
birthday, which sponsorships count this school year, reports and consent."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from enrolment.models import Frequency
from enrolment.models.schools import school_year_of
from enrolment.services.sponsor_portal import (
    child_photo_name,
    first_name,
    shared_report,
    shared_reports,
    sponsor_child,
    sponsor_child_page,
    sponsor_children,
    sponsorship_years,
)
from enrolment.services.sponsor_statements import sponsor_statement
from tests.factories import (
    ChildFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SponsorFactory,
    SponsorshipFactory,
    SubjectGradeFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)  # in the 2026/27 school year
YEAR = 2026


@pytest.fixture
def sponsor(cast):
    return SponsorFactory(user=cast.sponsor, display_name="Harbour Rotary Club")


def sponsored(sponsor, **child_fields):
    child = ChildFactory(**child_fields)
    SponsorshipFactory(sponsor=sponsor, child=child, starts_on=dt.date(2025, 9, 1))
    return child


# --- names and ages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("preferred", "shown"),
    [("Amani", "Amani"), ("Amani Joseph Okello", "Amani"), ("  Amani  ", "Amani"), ("", "")],
)
def test_first_name_is_the_first_word_only(preferred, shown):
    assert first_name(preferred) == shown


def test_the_card_shows_the_first_word_of_the_preferred_name(cast, sponsor):
    child = sponsored(sponsor, preferred_name="Amani Nkurunziza")

    card = sponsor_child(user=cast.sponsor, child_id=child.pk, today=TODAY)

    assert card.first_name == "Amani"


@pytest.mark.parametrize(
    ("today", "age"),
    [
        (dt.date(2026, 3, 11), 10),  # the day before the birthday
        (dt.date(2026, 3, 12), 11),  # the birthday
        (dt.date(2026, 3, 13), 11),
    ],
)
def test_age_turns_on_the_birthday(cast, sponsor, today, age):
    child = sponsored(sponsor, date_of_birth=dt.date(2015, 3, 12))

    card = sponsor_child(user=cast.sponsor, child_id=child.pk, today=today)

    assert card.age == age


def test_a_leap_day_birthday_turns_on_the_first_of_march(cast, sponsor):
    child = sponsored(sponsor, date_of_birth=dt.date(2016, 2, 29))

    before = sponsor_child(user=cast.sponsor, child_id=child.pk, today=dt.date(2026, 2, 28))
    after = sponsor_child(user=cast.sponsor, child_id=child.pk, today=dt.date(2026, 3, 1))

    assert (before.age, after.age) == (9, 10)


def test_a_child_without_a_date_of_birth_has_no_age(cast, sponsor):
    child = sponsored(sponsor, date_of_birth=None)

    assert sponsor_child(user=cast.sponsor, child_id=child.pk, today=TODAY).age is None


# --- which children are the sponsor's now -----------------------------------------------------


def test_children_are_those_with_a_sponsorship_running_today(cast, sponsor):
    current = ChildFactory(preferred_name="Current")
    SponsorshipFactory(sponsor=sponsor, child=current, starts_on=dt.date(2025, 9, 1))
    ended_last_year = ChildFactory(preferred_name="Ended")
    SponsorshipFactory(
        sponsor=sponsor,
        child=ended_last_year,
        starts_on=dt.date(2024, 9, 1),
        ends_on=dt.date(2026, 8, 31),  # the last day of 2025/26
    )
    ended_this_year = ChildFactory(preferred_name="Finished")
    SponsorshipFactory(
        sponsor=sponsor,
        child=ended_this_year,
        starts_on=dt.date(2025, 9, 1),
        ends_on=dt.date(2026, 9, 30),  # this school year, but before today: access has ended
    )
    not_started = ChildFactory(preferred_name="Later")
    SponsorshipFactory(sponsor=sponsor, child=not_started, starts_on=TODAY + dt.timedelta(days=1))
    someone_elses = ChildFactory(preferred_name="Other")
    SponsorshipFactory(child=someone_elses, starts_on=dt.date(2025, 9, 1))

    names = [card.first_name for card in sponsor_children(user=cast.sponsor, today=TODAY)]

    assert names == ["Current"]
    for child in (not_started, ended_last_year, ended_this_year, someone_elses):
        assert sponsor_child(user=cast.sponsor, child_id=child.pk, today=TODAY) is None


def test_a_former_sponsor_sees_no_report_shared_after_the_sponsorship_ended(cast, sponsor):
    child = ChildFactory(consent_share_progress=True)
    SponsorshipFactory(
        sponsor=sponsor, child=child, starts_on=dt.date(2025, 9, 1), ends_on=dt.date(2026, 9, 30)
    )
    # Shared today, two months after the sponsorship ended (the real today: these read no date).
    report = ProgressReportFactory(child=child, shared_with_sponsors=True)

    assert shared_report(user=cast.sponsor, child_id=child.pk, report_id=report.pk) is None
    assert shared_reports(user=cast.sponsor, child_id=child.pk) == ()
    on_its_last_day = dt.date(2026, 9, 30)
    assert sponsor_child(user=cast.sponsor, child_id=child.pk, today=on_its_last_day) is not None


def test_a_sponsorship_starting_today_counts(cast, sponsor):
    child = ChildFactory()
    SponsorshipFactory(sponsor=sponsor, child=child, starts_on=TODAY)

    assert sponsor_child(user=cast.sponsor, child_id=child.pk, today=TODAY) is not None


def test_anyone_but_a_sponsor_has_no_children(cast, sponsor):
    sponsored(sponsor)

    for user in (cast.anonymous, cast.learner, cast.teacher, cast.coordinator):
        assert sponsor_children(user=user, today=TODAY) == []


def test_two_sponsorships_of_one_child_give_one_card(cast, sponsor):
    child = sponsored(sponsor)
    SponsorshipFactory(sponsor=sponsor, child=child, starts_on=dt.date(2026, 9, 1))

    assert [card.pk for card in sponsor_children(user=cast.sponsor, today=TODAY)] == [child.pk]


# --- grade and school -------------------------------------------------------------------------


def test_the_grade_and_school_are_this_school_years(cast, sponsor):
    child = sponsored(sponsor)
    SchoolPlacementFactory(
        child=child, school=SchoolFactory(name="Old School"), school_year=YEAR - 1, grade=5
    )
    SchoolPlacementFactory(
        child=child, school=SchoolFactory(name="New School"), school_year=YEAR, grade=6
    )

    card = sponsor_child(user=cast.sponsor, child_id=child.pk, today=TODAY)

    assert (card.grade, card.school_name) == ("P3", "New School")


def test_without_a_placement_this_year_there_is_no_grade(cast, sponsor):
    child = sponsored(sponsor)
    SchoolPlacementFactory(child=child, school_year=YEAR - 1)

    card = sponsor_child(user=cast.sponsor, child_id=child.pk, today=TODAY)

    assert (card.grade, card.school_name) == (None, None)


def test_the_school_name_needs_consent_to_share_progress(cast, sponsor):
    child = sponsored(sponsor, consent_share_progress=False)
    SchoolPlacementFactory(child=child, school=SchoolFactory(name="Lantern Bay Primary"))

    card = sponsor_child(user=cast.sponsor, child_id=child.pk)

    assert card.grade == "P4"
    assert card.school_name is None
    assert card.shares_progress is False


# --- photos -----------------------------------------------------------------------------------


def test_the_photo_needs_photo_consent(cast, sponsor):
    with_consent = sponsored(sponsor, consent_photo=True, photo="learner-photos/a.jpg")
    without = sponsored(sponsor, consent_photo=False, photo="learner-photos/b.jpg")
    no_photo = sponsored(sponsor, consent_photo=True, photo="")

    cards = {card.pk: card for card in sponsor_children(user=cast.sponsor)}

    assert cards[with_consent.pk].has_photo is True
    assert cards[without.pk].has_photo is False
    assert cards[no_photo.pk].has_photo is False
    assert child_photo_name(user=cast.sponsor, child_id=with_consent.pk) == "learner-photos/a.jpg"
    assert child_photo_name(user=cast.sponsor, child_id=without.pk) is None
    assert child_photo_name(user=cast.sponsor, child_id=no_photo.pk) is None


def test_another_sponsors_child_photo_is_not_given(cast, sponsor):
    child = ChildFactory(consent_photo=True, photo="learner-photos/c.jpg")
    SponsorshipFactory(child=child, sponsor=SponsorFactory(user=cast.other_sponsor))

    assert child_photo_name(user=cast.sponsor, child_id=child.pk) is None
    assert child_photo_name(user=cast.other_sponsor, child_id=child.pk) == "learner-photos/c.jpg"


# --- reports ----------------------------------------------------------------------------------


def test_shared_reports_come_newest_first_with_that_years_grade(cast, sponsor):
    child = sponsored(sponsor)
    SchoolPlacementFactory(child=child, school_year=YEAR - 1, grade=7)
    SchoolPlacementFactory(child=child, school_year=YEAR, grade=8)
    for year, term in [(YEAR - 1, 3), (YEAR, 1), (YEAR - 1, 1), (YEAR - 1, 2)]:
        ProgressReportFactory(child=child, school_year=year, term=term, shared_with_sponsors=True)
    ProgressReportFactory(child=child, school_year=YEAR, term=2, shared_with_sponsors=False)

    reports = shared_reports(user=cast.sponsor, child_id=child.pk)

    assert [(r.school_year, r.term, r.grade) for r in reports] == [
        ("2026/27", "First term", "P5"),
        ("2025/26", "Third term", "P4"),
        ("2025/26", "Second term", "P4"),
        ("2025/26", "First term", "P4"),
    ]


def test_an_unshared_report_is_not_given(cast, sponsor):
    child = sponsored(sponsor)
    report = ProgressReportFactory(child=child, shared_with_sponsors=False)

    assert shared_report(user=cast.sponsor, child_id=child.pk, report_id=report.pk) is None


def test_a_shared_report_gives_the_comment_and_grades_but_not_the_caseworker_note(cast, sponsor):
    child = sponsored(sponsor)
    report = ProgressReportFactory(
        child=child,
        shared_with_sponsors=True,
        teacher_comment="Works hard.",
        caseworker_note="Moved shelter.",
    )
    SubjectGradeFactory(report=report, subject="Maths", grade="A", sort_order=1)
    SubjectGradeFactory(report=report, subject="English", grade="B+", sort_order=0)

    found = shared_report(user=cast.sponsor, child_id=child.pk, report_id=report.pk)

    assert found.teacher_comment == "Works hard."
    assert found.grades == (("English", "B+"), ("Maths", "A"))
    assert "Moved shelter." not in repr(found)


def test_a_report_under_another_childs_id_is_not_given(cast, sponsor):
    child = sponsored(sponsor)
    sibling = sponsored(sponsor)
    report = ProgressReportFactory(child=sibling, shared_with_sponsors=True)

    assert shared_report(user=cast.sponsor, child_id=child.pk, report_id=report.pk) is None
    assert shared_report(user=cast.sponsor, child_id=sibling.pk, report_id=report.pk)


def test_withdrawing_consent_hides_reports_certificates_and_school_again(cast, sponsor):
    child = sponsored(sponsor)
    SchoolPlacementFactory(child=child, school=SchoolFactory(name="Harbour View Primary"))
    report = ProgressReportFactory(child=child, shared_with_sponsors=True)
    assert sponsor_child_page(user=cast.sponsor, child_id=child.pk).reports

    child.consent_share_progress = False
    child.save()

    page = sponsor_child_page(user=cast.sponsor, child_id=child.pk)
    assert page.card.school_name is None
    assert page.reports == ()
    assert page.certificates == ()
    assert shared_reports(user=cast.sponsor, child_id=child.pk) == ()
    assert shared_report(user=cast.sponsor, child_id=child.pk, report_id=report.pk) is None


# --- what the sponsor's money covers ----------------------------------------------------------


def test_a_monthly_sponsorship_pays_twelve_times_a_school_year(cast, sponsor):
    child = ChildFactory()
    SponsorshipFactory(
        sponsor=sponsor,
        child=child,
        starts_on=dt.date(YEAR, 9, 1),
        amount=500,
        frequency=Frequency.MONTHLY,
        covers=["fees", "books"],
    )

    (line,) = sponsorship_years(user=cast.sponsor, school_year=YEAR, today=TODAY)

    assert len(line.payments) == 12
    assert line.total == Decimal(6000)
    assert line.due_so_far == Decimal(1500)  # 1 September, October and November
    assert line.covers == ("School fees", "Books")
    assert line.frequency == "Monthly"


def test_a_sponsorship_ending_mid_year_pays_until_it_ends(cast, sponsor):
    SponsorshipFactory(
        sponsor=sponsor,
        starts_on=dt.date(YEAR - 1, 9, 15),
        ends_on=dt.date(YEAR, 12, 31),
        amount=400,
        frequency=Frequency.MONTHLY,
    )

    (line,) = sponsorship_years(user=cast.sponsor, school_year=YEAR, today=TODAY)

    assert line.payments[0] == dt.date(YEAR, 9, 15)
    assert line.payments[-1] == dt.date(YEAR, 12, 15)
    assert line.total == Decimal(1600)


def test_a_sponsorship_paying_nothing_that_year_is_left_out(cast, sponsor):
    SponsorshipFactory(sponsor=sponsor, starts_on=dt.date(YEAR + 1, 9, 1))

    assert sponsorship_years(user=cast.sponsor, school_year=YEAR, today=TODAY) == ()


def test_the_page_funding_counts_every_sponsor_but_names_none(cast, sponsor):
    child = ChildFactory()
    SchoolPlacementFactory(child=child, fees=9000, uniform=1000, books=1000, transport=1000)
    year = school_year_of(timezone.localdate())
    SponsorshipFactory(sponsor=sponsor, child=child, starts_on=dt.date(year, 9, 1), amount=500)
    SponsorshipFactory(
        child=child,
        starts_on=dt.date(year, 9, 1),
        amount=1000,
        frequency=Frequency.ONE_OFF,
        sponsor=SponsorFactory(user=cast.other_sponsor, display_name="Secret Donor"),
    )

    page = sponsor_child_page(user=cast.sponsor, child_id=child.pk)

    assert page.year_costs == Decimal(12000)
    assert page.year_percent_funded == 58  # (6,000 + 1,000) of 12,000
    assert [line.total for line in page.this_year] == [Decimal(6000)]  # only their own
    assert "Secret Donor" not in repr(page)


def test_the_statement_lists_only_the_sponsors_own_sponsorships(cast, sponsor):
    mine = ChildFactory(preferred_name="Amani Okello")
    SponsorshipFactory(sponsor=sponsor, child=mine, starts_on=dt.date(YEAR, 9, 1))
    SponsorshipFactory(
        sponsor=SponsorFactory(user=cast.other_sponsor),
        child=mine,
        starts_on=dt.date(YEAR, 9, 1),
    )

    statement = sponsor_statement(user=cast.sponsor, school_year=YEAR)

    assert statement.sponsor_name == "Harbour Rotary Club"
    assert statement.school_year == "2026/27"
    assert [line.child_first_name for line in statement.lines] == ["Amani"]
    assert statement.total == Decimal(6000)


def test_anyone_without_a_sponsor_record_has_no_statement(cast):
    assert sponsor_statement(user=cast.learner, school_year=YEAR) is None
    assert sponsor_statement(user=cast.sponsor, school_year=YEAR) is None  # group, no record
