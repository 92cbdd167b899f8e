"""A report whose free text names or locates its child is not shared: each kind of private
value is found however it is spelled, and what sponsors may know passes."""

import datetime as dt

import pytest

from enrolment.errors import ReportIdentityError
from enrolment.models import ProgressReport
from enrolment.services.identity_check import (
    Kind,
    child_private_values,
    report_identity_matches,
    text_identity_matches,
)
from enrolment.services.sponsor_portal import shared_report, shared_reports
from enrolment.services.sponsorship import report_share
from tests.conftest import logged
from tests.factories import (
    ChildFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SponsorFactory,
    SponsorshipFactory,
    SubjectGradeFactory,
)

BORN = dt.date(dt.date.today().year - 10, 3, 4)
Y = BORN.year


@pytest.fixture
def child(db):
    return ChildFactory(
        preferred_name="Amani Joseph",
        legal_name="Amani Joseph Mwangi",
        date_of_birth=BORN,
        guardian_name="Wanjiru Kamau",
        guardian_phone="+85291234567",
        case_reference="UNHCR-HK-7731-Q",
    )


@pytest.fixture
def sponsored(cast, child):
    SponsorshipFactory(sponsor=SponsorFactory(user=cast.sponsor), child=child)
    return child


def share_refused(report, cast) -> ReportIdentityError:
    with pytest.raises(ReportIdentityError) as refused:
        report_share(report=report, by=cast.coordinator)
    report.refresh_from_db()
    assert not report.shared_with_sponsors and report.shared_at is None
    assert logged(report, "enrolment.report.share") == 0
    return refused.value


@pytest.mark.parametrize(
    ("comment", "found", "kind"),
    [
        ("Mwangi reads well.", "Mwangi", Kind.NAME),
        ("MWÁNGI reads well.", "MWÁNGI", Kind.NAME),  # case and accents
        ("Amani Mwangi's reading is good.", "Mwangi", Kind.NAME),
        ("Joseph reads well.", "Joseph", Kind.NAME),  # the preferred name's second word
        ("Her mother Wanjiru came to the meeting.", "Wanjiru", Kind.GUARDIAN),
        ("Mrs kamau came to the meeting.", "kamau", Kind.GUARDIAN),
        ("Call home on 9123 4567.", "9123 4567", Kind.PHONE),
        ("Call home on 9123-4567.", "9123-4567", Kind.PHONE),
        ("Call home on +852 91234567.", "+852 91234567", Kind.PHONE),
        ("Call home on ９１２３４５６７.", "９１２３４５６７", Kind.PHONE),  # full-width digits
        ("Call her aunt on 6123 0000.", "6123 0000", Kind.PHONE),  # any mobile number
        ("Write to wanjiru.k@example.org.", "wanjiru.k@example.org", Kind.EMAIL),
        (f"Born 4/3/{Y}.", f"4/3/{Y}", Kind.BIRTH),
        (f"Born {Y}-03-04.", f"{Y}-03-04", Kind.BIRTH),
        (f"Born on 4th March {Y}.", f"4th March {Y}", Kind.BIRTH),
        (f"Born on March 4, {Y}.", f"March 4, {Y}", Kind.BIRTH),
        (f"生於{Y}年3月4日。", f"{Y}年3月4日", Kind.BIRTH),
        ("File UNHCR HK 7731 Q.", "UNHCR HK 7731 Q", Kind.CASE),
        ("Walks to school along Lai Kok Street.", "Lai Kok Street", Kind.PLACE),
        ("Lives in Pak Tin Estate.", "Pak Tin Estate", Kind.PLACE),
        ("Plays football in sham shui po.", "sham shui po", Kind.PLACE),
        ("住在麗閣邨。", "住在麗閣邨", Kind.PLACE),
    ],
)
def test_each_kind_of_private_value_is_refused_and_nothing_is_shared(
    cast, sponsored, comment, found, kind
):
    report = ProgressReportFactory(child=sponsored, teacher_comment=comment)
    error = share_refused(report, cast)
    assert [(m.field, m.text, m.kind) for m in error.matches] == [("teacher_comment", found, kind)]
    assert comment[error.matches[0].start : error.matches[0].end] == found
    assert f"“{found}”" in error.message and "not shared" in error.message
    assert shared_report(user=cast.sponsor, child_id=sponsored.pk, report_id=report.pk) is None
    assert shared_reports(user=cast.sponsor, child_id=sponsored.pk) == ()


def test_the_incident_comment_lists_every_match(cast, sponsored):
    report = ProgressReportFactory(
        child=sponsored,
        teacher_comment=(
            "Amani Mwangi is doing well. Her mother Wanjiru Kamau says they moved to "
            "Nam Cheong Street; call 9123 4567 if she is absent."
        ),
    )
    error = share_refused(report, cast)
    assert [m.text for m in error.matches] == [
        "Mwangi",
        "Wanjiru",
        "Kamau",
        "Nam Cheong Street",
        "9123 4567",
    ]


def test_a_subject_or_grade_naming_the_child_is_refused(cast, sponsored):
    report = ProgressReportFactory(child=sponsored)
    SubjectGradeFactory(report=report, subject="English", grade="B+")
    SubjectGradeFactory(report=report, subject="Mwangi's project", grade="A")
    error = share_refused(report, cast)
    assert [(m.field, m.text) for m in error.matches] == [("grades.1.subject", "Mwangi")]
    assert "subject 2" in error.message


def test_a_clean_report_with_the_first_name_shares(cast, sponsored):
    report = ProgressReportFactory(
        child=sponsored,
        teacher_comment=(
            "Amani reads with confidence, Amani's maths is much better since March. "
            "Josephine and Alice, her classmates, say she helps everyone. In 2025 2026 she "
            "walked along the road to school."
        ),
    )
    SubjectGradeFactory(report=report, subject="General Studies", grade="85/100")
    report_share(report=report, by=cast.coordinator)
    report.refresh_from_db()
    assert report.shared_with_sponsors
    shown = shared_report(user=cast.sponsor, child_id=sponsored.pk, report_id=report.pk)
    assert "Amani reads" in shown.teacher_comment


@pytest.mark.parametrize(
    ("legal_name", "comment", "found"),
    [
        ("Amani Ann Mwangi-Okello", "Ann is kind; Anna and the annual fair.", ["Ann"]),
        ("Amani Mwangi-Okello", "okello helps others.", ["okello"]),
        ("Amani Li", "Li is kind.", []),  # two letters: too common a word to count
        ("Amani bin Omari", "The bin is full; Omari helps.", ["Omari"]),  # a particle
        ("陳大文", "大文 helps 陳 and 陳大文.", ["陳大文"]),  # one character is not a name
        ("Amani محمد حسن", "ومحمد جيد وحسن", ["ومحمد", "وحسن"]),  # joined "and"
        ("Amani Ḥasan", "hasan HASAN", ["hasan", "HASAN"]),
    ],
)
def test_names_are_matched_word_by_word_or_by_characters(db, legal_name, comment, found):
    child = ChildFactory(preferred_name="Amani", legal_name=legal_name, guardian_name="")
    matches = text_identity_matches(
        values=child_private_values(child), fields=[("teacher_comment", comment)]
    )
    assert [m.text for m in matches] == found


def test_the_school_is_private_until_the_family_agrees_to_share_it(cast, child):
    school = SchoolFactory(name="Lai Chi Kok Catholic Primary School")
    SchoolPlacementFactory(child=child, school=school)
    report = ProgressReportFactory(
        child=child, teacher_comment="Top of the class at Lai Chi Kok Catholic this year."
    )
    type(child).objects.filter(pk=child.pk).update(consent_share_progress=False)
    matches = report_identity_matches(report=report)
    assert [(m.text, m.kind) for m in matches] == [("Lai Chi Kok Catholic", Kind.SCHOOL)]

    type(child).objects.filter(pk=child.pk).update(consent_share_progress=True)
    assert report_identity_matches(report=report) == []
    report_share(report=report, by=cast.coordinator)
    assert ProgressReport.objects.get(pk=report.pk).shared_with_sponsors


@pytest.mark.parametrize(
    "comment",
    [
        "Mwangi\x00\x01\x1b[31m\u202e\u2066" + "x" * 3000,
        "<script>alert('Mwangi')</script>" * 50,
        "\U0001f600" * 2000 + "Mwangi",
        "9" * 3000,
        "\ufdfd\u0610\u06dd" * 500 + "\r\n\t",
        "".join(chr(c) for c in range(0x20, 0x3000, 7)),
    ],
)
def test_hostile_text_is_checked_without_error(db, child, comment):
    matches = text_identity_matches(
        values=child_private_values(child), fields=[("teacher_comment", comment)]
    )
    for match in matches:
        assert comment[match.start : match.end] == match.text
    if "Mwangi" in comment:
        assert "Mwangi" in [m.text for m in matches]
