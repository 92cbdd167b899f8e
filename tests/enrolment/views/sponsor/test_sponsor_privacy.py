"""/sponsor/: a sponsor sees what their support achieves, never who or where the child is."""

import datetime as dt

import pytest

from tests.enrolment.views.sponsor.conftest import (
    age_today,
    child_url,
    give_photo,
    pdf_text,
    photo_url,
    report_url,
    statement_url,
    text_of,
    this_year,
    xlsx_text,
)
from tests.factories import (
    ChildFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SponsorshipFactory,
    SubjectGradeFactory,
)
from tests.worlds.certificates import certificate_earned

pytestmark = pytest.mark.django_db


AMANI_BORN = dt.date(2015, 3, 12)
BARAKA_BORN = dt.date(2017, 6, 4)


def date_forms(day: dt.date) -> list[str]:
    """The ways a date of birth could leak onto a page or into a file."""
    return [
        day.isoformat(),
        f"{day.day} {day:%B %Y}",  # 12 March 2015
        f"{day.day} {day:%b %Y}",  # 12 Mar 2015
        f"{day:%d/%m/%Y}",  # 12/03/2015
        f"{day:%m/%d/%Y}",  # 03/12/2015
        f"{day:%B} {day.day}, {day.year}",  # March 12, 2015
        f"{day:%b} {day.day}, {day.year}",  # Mar 12, 2015
        f"{day:%d.%m.%Y}",
    ]


@pytest.fixture
def privacy_world(site, cast, sponsor, other_sponsor):
    """Two children of the sponsor whose every forbidden field holds a value we can look for:
    Amani, whose family agreed to photos and sharing progress, and Baraka, whose did not."""
    amani = ChildFactory(
        preferred_name="Amani Nkurunziza-Ibrahimovic",
        legal_name="Amani Grace Nkurunziza-Ibrahimovic",
        date_of_birth=AMANI_BORN,
        guardian_name="Zawadi Mukamana-Okonkwo",
        guardian_phone="+852 6123 9876",
        guardian_relationship="Stepgrandmother",
        phone="+852 9876 5432",
        email="amani.family@example.org",
        case_reference="UNHCR-HK-7731-Q",
        languages="Kinyarwanda",
        consent_photo=True,
        consent_share_progress=True,
    )
    amani_photo = give_photo(amani)
    SchoolPlacementFactory(child=amani, school=SchoolFactory(name="Harbour View Primary School"))
    SponsorshipFactory(
        sponsor=sponsor, child=amani, note="Coordinator note: the Okonkwo household pays rent late"
    )
    SponsorshipFactory(sponsor=other_sponsor, child=amani, amount=300)
    shared = ProgressReportFactory(
        child=amani,
        term=1,
        shared_with_sponsors=True,
        teacher_comment="Amani reads aloud with growing confidence.",
        caseworker_note="Eviction notice pending at the Chungking flat",
    )
    SubjectGradeFactory(report=shared, subject="English", grade="B+")
    SubjectGradeFactory(report=shared, subject="Mathematics", grade="A-")
    unshared = ProgressReportFactory(
        child=amani,
        school_year=this_year() - 1,
        term=3,
        shared_with_sponsors=False,
        teacher_comment="Zebrafinch incident kept private",
        caseworker_note="Caseworker: Tsim Sha Tsui shelter",
    )
    SubjectGradeFactory(report=unshared, subject="Xylophonics", grade="C")
    SubjectGradeFactory(report=unshared, subject="Quantumchemistry", grade="D")
    amani_certificate = certificate_earned(
        learner=amani, by=cast.coordinator, course_title="Homework club"
    )

    baraka = ChildFactory(
        preferred_name="Baraka Nkurunziza-Ibrahimovic",
        legal_name="Baraka Nkurunziza-Ibrahimovic",
        date_of_birth=BARAKA_BORN,
        guardian_name="Zawadi Mukamana-Okonkwo",
        guardian_phone="+852 6123 9876",
        guardian_relationship="Stepgrandmother",
        case_reference="UNHCR-HK-7732-R",
        consent_photo=False,
        consent_share_progress=False,
    )
    give_photo(baraka, "blue")
    SchoolPlacementFactory(
        child=baraka, school=SchoolFactory(name="Lantern Bay Primary School"), grade=5
    )
    SponsorshipFactory(sponsor=sponsor, child=baraka, amount=700)
    # Shared once, before the family withdrew their consent.
    withdrawn = ProgressReportFactory(
        child=baraka,
        shared_with_sponsors=True,
        teacher_comment="Marmalade comment the family keeps to itself",
    )
    SubjectGradeFactory(report=withdrawn, subject="Origamiology", grade="B")
    baraka_certificate = certificate_earned(
        learner=baraka, by=cast.coordinator, course_title="Zither basics for beginners"
    )
    baraka.refresh_from_db()

    forbidden = [
        "Nkurunziza",
        "Ibrahimovic",
        "Amani Grace",
        *date_forms(AMANI_BORN),
        *date_forms(BARAKA_BORN),
        "Zawadi",
        "Mukamana",
        "Okonkwo",
        "6123 9876",
        "61239876",
        "Stepgrandmother",
        "9876 5432",
        "98765432",
        "amani.family",
        "UNHCR-HK-7731-Q",
        "UNHCR-HK-7732-R",
        "Kinyarwanda",
        "Eviction notice",
        "Chungking",
        "Zebrafinch",
        "Tsim Sha Tsui",
        "Xylophonics",
        "Quantumchemistry",
        "Lantern Bay",
        "Marmalade",
        "Origamiology",
        "Zither",
        "Quillfeather",
        "Vandersloot",
        amani_certificate.number,
        amani_certificate.verification_code,
        baraka_certificate.number,
        baraka.photo.name,
        photo_url(baraka),
    ]
    return {
        "amani": amani,
        "baraka": baraka,
        "shared": shared,
        "unshared": unshared,
        "withdrawn": withdrawn,
        "amani_photo": amani_photo,
        "forbidden": forbidden,
    }


def assert_none_of(forbidden: list[str], text: str, where: str) -> None:
    text = text.lower()
    leaks = [value for value in forbidden if value.lower() in text]
    assert not leaks, f"{where} shows {leaks}"


def test_no_page_or_file_shows_what_identifies_or_locates_a_child(client, cast, privacy_world):
    world = privacy_world
    amani, baraka = world["amani"], world["baraka"]
    client.force_login(cast.sponsor)
    year = this_year()

    pages = {
        url: client.get(url)
        for url in [
            "/sponsor/",
            child_url(amani),
            child_url(baraka),
            report_url(amani, world["shared"]),
            statement_url(year),
        ]
    }
    assert {url: r.status_code for url, r in pages.items()} == dict.fromkeys(pages, 200)
    texts = {url: text_of(response) for url, response in pages.items()}
    xlsx = client.get(statement_url(year, ".xlsx"))
    pdf = client.get(statement_url(year, ".pdf"))
    texts["xlsx"] = xlsx_text(xlsx.content)
    texts["pdf"] = pdf_text(pdf.content)

    for where, text in texts.items():
        assert_none_of(world["forbidden"], text, where)

    # What a sponsor may see is there, so the pages above were the real ones.
    home = texts["/sponsor/"]
    for allowed in ["Amani", "Baraka", "P4", "P2", "Harbour View Primary School"]:
        assert allowed in home
    assert f"{age_today(AMANI_BORN)} years old" in home
    assert f"{age_today(BARAKA_BORN)} years old" in home
    assert photo_url(amani) in home
    assert "Homework club" in texts[child_url(amani)]
    assert "Amani reads aloud with growing confidence." in texts[report_url(amani, world["shared"])]
    assert "Mathematics" in texts[report_url(amani, world["shared"])]
    assert "has not agreed to share" in texts[child_url(baraka)]
    for export in ("xlsx", "pdf"):
        assert "Amani" in texts[export]
        assert "Baraka" in texts[export]
        assert "Harbour Rotary Club" in texts[export]


def test_what_other_sponsors_pay_is_not_named_on_the_childs_page(client, cast, privacy_world):
    client.force_login(cast.sponsor)

    text = text_of(client.get(child_url(privacy_world["amani"])))

    assert "HK$300" not in text  # the other sponsor's monthly amount
    assert "HK$500" in text
