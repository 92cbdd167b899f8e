from types import SimpleNamespace

import pytest
from django.contrib.auth import authenticate
from django.utils import timezone

from cms.management.demo import (
    DEMO_PASSWORD,
    build_demo,
    build_learners,
    demo_password_hash,
    demo_user,
)
from cms.management.demo.sponsorship import PLACEMENTS, SPONSOR_LOGINS, SPONSORS, build_sponsorships
from enrolment.models import (
    Learner,
    ProgressReport,
    School,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
    SponsorshipPayment,
    SubjectGrade,
)
from enrolment.models.people import ADULT_AGE
from enrolment.models.schools import school_year_of
from enrolment.services.funding import FundingStatus, funding_for_year, funding_needs
from enrolment.services.sponsor_portal import (
    child_photo_name,
    shared_report,
    shared_reports,
    sponsor_children,
    sponsor_upcoming,
    sponsorship_years,
)
from enrolment.services.sponsorship import placement_check


def counts() -> dict[str, int]:
    return {
        "schools": School.objects.count(),
        "placements": SchoolPlacement.objects.count(),
        "sponsors": Sponsor.objects.count(),
        "sponsorships": Sponsorship.objects.count(),
        "reports": ProgressReport.objects.count(),
        "shared": ProgressReport.objects.filter(shared_with_sponsors=True).count(),
        "grades": SubjectGrade.objects.count(),
        "photos": Learner.objects.exclude(photo="").count(),
    }


def build(copy: int = 1):
    """One copy's learners and sponsorships, without the rest of the demo (courses, runs)."""
    today = timezone.localdate()
    coordinator = demo_user("coordinator", "Mei", "Chan", "Coordinators")
    learners = build_learners(copy=copy, today=today)
    sponsored = build_sponsorships(
        copy=copy,
        learners=learners,
        coordinator=coordinator,
        today=today,
        password_hash=demo_password_hash(),
    )
    return SimpleNamespace(learners=learners, sponsored=sponsored, today=today)


@pytest.fixture
def world(db):
    return build()


def sponsor_user(key: str):
    return Sponsor.objects.get(user__username=f"{key}@example.org").user


def test_seeding_the_demo_twice_adds_no_sponsorship_data(db):
    first = build_demo(scale=1)
    before = counts()

    second = build_demo(scale=1)

    assert counts() == before
    assert first.sponsored_children == second.sponsored_children == 7
    assert before["schools"] == 6 and before["sponsors"] == 3 and before["shared"] > 0
    usernames = [username for username, _password, role in second.logins if "Sponsor" in role]
    assert usernames == [username for username, _role in SPONSOR_LOGINS]
    for username in usernames:
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None and user.groups.filter(name="Sponsors").exists()


def test_there_is_a_sponsor_of_one_child_and_one_of_several(world):
    one = sponsor_children(user=sponsor_user("sponsor.one"))
    several = sponsor_children(user=sponsor_user("sponsor.church"))

    assert [card.first_name for card in one] == ["Hamza"]
    assert len(several) == 4
    assert Sponsor.objects.get(user__username="sponsor.one@example.org").display_name == (
        "The Lam Family"
    )


def test_a_child_has_two_sponsors(world):
    rows = funding_for_year(school_year=school_year_of(world.today))

    shared = [row.child.preferred_name for row in rows if row.sponsor_count >= 2]
    assert shared == ["Ikram"]


def test_the_funding_list_has_waiting_and_under_funded_children(world):
    needs = funding_needs(school_year=school_year_of(world.today))

    by_status = {}
    for row in needs:
        by_status.setdefault(row.status, []).append(row.child.preferred_name)
    assert sorted(by_status[FundingStatus.WAITING]) == ["Aisha", "Yasmin"]
    assert len(by_status[FundingStatus.UNDER_FUNDED]) >= 2
    assert FundingStatus.NO_PLACEMENT not in by_status
    funded = funding_for_year(school_year=school_year_of(world.today))
    assert any(row.status == FundingStatus.FUNDED for row in funded)


def test_reports_are_shared_only_where_the_family_agreed(world):
    reports = ProgressReport.objects.select_related("child")

    assert reports.filter(shared_with_sponsors=True).exists()
    # One report of a family that agreed to share awaits a coordinator's review.
    assert reports.filter(shared_with_sponsors=False, child__consent_share_progress=True).exists()
    assert not reports.filter(
        shared_with_sponsors=True, child__consent_share_progress=False
    ).exists()
    assert all(report.grades.count() >= 3 for report in reports)
    assert all(report.caseworker_note and report.teacher_comment for report in reports)
    # A sponsored child whose family did not agree to share progress.
    assert Learner.objects.filter(sponsorships__isnull=False, consent_share_progress=False)


def test_the_sponsor_of_one_child_reads_a_shared_report(world):
    user = sponsor_user("sponsor.one")
    hamza = world.learners["hamza"]

    summaries = shared_reports(user=user, child_id=hamza.pk)

    assert summaries
    report = shared_report(user=user, child_id=hamza.pk, report_id=summaries[0].pk)
    assert report is not None and report.grades and report.teacher_comment


def test_teacher_comments_name_no_one(world):
    names = {
        word
        for learner in Learner.objects.all()
        for word in f"{learner.preferred_name} {learner.legal_name}".split()
    }

    for comment in ProgressReport.objects.values_list("teacher_comment", flat=True):
        assert not names & set(comment.replace(",", " ").replace(".", " ").split())


def test_every_sponsored_child_is_under_18_with_a_guardian(world):
    children = Learner.objects.filter(sponsorships__isnull=False).distinct()

    assert world.sponsored == 7
    assert children.count() == 8  # and Aisha, whose sponsorship starts next school year
    for child in children:
        assert child.age_on(world.today) < ADULT_AGE
        assert child.guardian_name and child.guardian_relationship
        assert child.user is None
        assert child.legal_name != child.preferred_name
    # Christelle's mother has an email but no phone; every other guardian has a phone.
    assert children.exclude(guardian_phone="").count() == 7


def test_school_places_fit_their_schools(world):
    placements = SchoolPlacement.objects.select_related("child", "school")

    assert placements.filter(school_year=school_year_of(world.today)).count() == len(PLACEMENTS)
    assert placements.filter(school_year=school_year_of(world.today) - 1).count() >= 3
    for placement in placements:
        placement_check(
            child=placement.child,
            school=placement.school,
            grade=placement.grade,
            school_year=placement.school_year,
        )
    types = set(School.objects.values_list("school_type", flat=True))
    assert types >= {
        SchoolType.KINDERGARTEN,
        SchoolType.PRIMARY,
        SchoolType.SECONDARY,
        SchoolType.THROUGH_TRAIN,
    }
    assert School.objects.values("district").distinct().count() >= 4


def test_photos_are_shown_only_with_consent(world):
    church = sponsor_user("sponsor.church")
    with_photo = Learner.objects.exclude(photo="")

    assert with_photo.filter(consent_photo=True).count() == 2
    kavin = with_photo.get(consent_photo=False)
    assert child_photo_name(user=church, child_id=kavin.pk) is None
    sara = world.learners["sara"]
    assert child_photo_name(user=church, child_id=sara.pk)


def test_a_second_copy_has_sponsors_of_its_own(world):
    build(copy=2)

    assert Sponsor.objects.count() == 2 * len(SPONSORS)
    second = Sponsor.objects.get(user__username="sponsor.one.2@example.org")
    assert second.display_name == "The Lam Family (group 2)"
    assert [card.first_name for card in sponsor_children(user=second.user)] == ["Hamza"]
    assert School.objects.count() == 6  # schools are shared


def test_payments_received_show_one_sponsor_behind_and_an_upcoming_sponsorship(world):
    year = school_year_of(world.today)
    rows = {row.child.preferred_name: row for row in funding_for_year(school_year=year)}
    assert SponsorshipPayment.objects.exists()
    lines = sponsorship_years(user=sponsor_user("sponsor.church"), school_year=year)
    joel = next(line for line in lines if line.child_first_name.startswith("Jo"))
    if joel.due_so_far >= 3 * joel.amount:  # two payments held back need two fallen due
        assert joel.received < joel.due_so_far
    assert rows["Hamza"].received > 0

    upcoming = sponsor_upcoming(user=sponsor_user("sponsor.one"), today=world.today)
    assert [line.child_first_name for line in upcoming] == ["Aisha"]
    assert [card.first_name for card in sponsor_children(user=sponsor_user("sponsor.one"))] == [
        "Hamza"
    ]
