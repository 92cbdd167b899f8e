"""The demo's school sponsorships: schools, the children's school places and costs, sponsors,
their sponsorships and the schools' term reports (``school_reports``), built idempotently for
each copy of the demo centre.

The children are demo learners (``people.LEARNERS``: Hamza, Sara, Christelle and Mariam, and
the SPONSORED_CHILDREN below), each with a parent among the centre's adult learners as
guardian. This module imports nothing from ``people``, which imports it.

What a coordinator and the sponsors find: the Lam Family sponsors one child (Hamza, fully
funded, with shared reports); St Andrew's Outreach Group four; the Harbour Logistics Staff
Fund three, one of them (Ikram) with the church group too. Four children are under-funded
this school year, two wait for a sponsor; Christelle's and Mariam's families have not agreed
to share progress; Kavin's newest report awaits a coordinator's review, and his photo is on
file without photo consent. Payments received follow each sponsorship's due dates, except that
the church group is two payments behind for Joël (received short of promised); the Lam Family
has a second sponsorship, Aisha's, starting next school year (upcoming on their page).
"""

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from cms.management.demo.school_reports import build_reports
from courses.choices import Level
from enrolment.models import (
    District,
    Frequency,
    Grade,
    Learner,
    PaymentMethod,
    School,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
)
from enrolment.models.schools import TYPE_GRADES, school_year_bounds, school_year_of
from enrolment.services.funding import sponsorship_payment_dates
from enrolment.services.sponsor_payments import payment_record
from enrolment.services.sponsorship import (
    placement_save,
    sponsor_create,
    sponsorship_save,
)


def _child(
    key, preferred_name, legal_name, age, languages, english_level, guardian, relation, **consents
) -> dict:
    """A people.LearnerSpec's fields: a child has no phone or account of their own; the
    centre reaches their parent, an adult learner of the demo."""
    return {
        "key": key,
        "preferred_name": preferred_name,
        "legal_name": legal_name,
        "age": age,
        "languages": languages,
        "english_level": english_level,
        "phone": False,
        "account": False,
        "guardian": guardian,
        "relationship": relation,
        **consents,
    }


SHARE = {"consent_share_progress": True}
# Children of the centre's Somali, Congolese, Sri Lankan, Pakistani and Yemeni families.
SPONSORED_CHILDREN = [
    _child(
        "ikram",
        "Ikram",
        "Ikram Abdirahman Mohamed",
        14,
        "Somali, English, Cantonese",
        Level.A2,
        "hodan",
        "Mother",
        consent_photo=True,
        **SHARE,
    ),
    _child(
        "joel",
        "Joël",
        "Joël Kasongo Ilunga",
        7,
        "French, Swahili, English",
        Level.PRE_A1,
        "patrick",
        "Father",
        consent_photo=True,
        **SHARE,
    ),
    _child(
        "kavin",
        "Kavin",
        "Kavindu Nimal Perera",
        15,
        "Sinhala, Tamil, English",
        Level.B1,
        "nimal",
        "Father",
        **SHARE,
    ),
    _child(
        "aisha",
        "Aisha",
        "Aisha Imran Shah",
        11,
        "Pashto, Urdu, English",
        Level.A1,
        "imran",
        "Father",
        **SHARE,
    ),
    _child(
        "yasmin",
        "Yasmin",
        "Yasmin Abdulrahman Saleh Al-Hakimi",
        5,
        "Arabic",
        Level.NONE,
        "abdulrahman",
        "Father",
        consent_photo=True,
        **SHARE,
    ),
]

# Fictional schools. Government and aided schools charge no fees; a DSS through-train school
# and a whole-day kindergarten do.
SCHOOLS = {
    "lanterns": ("Little Lanterns Kindergarten", District.SHAM_SHUI_PO, SchoolType.KINDERGARTEN),
    "harbour": ("Harbour View Primary School", District.SHAM_SHUI_PO, SchoolType.PRIMARY),
    "bauhinia": ("Bauhinia Grove Primary School", District.KOWLOON_CITY, SchoolType.PRIMARY),
    "star": ("Morning Star Secondary College", District.KWAI_TSING, SchoolType.SECONDARY),
    "crest": ("Ocean Crest Secondary School", District.TUEN_MUN, SchoolType.SECONDARY),
    "harmony": ("Kowloon Harmony Academy", District.YAU_TSIM_MONG, SchoolType.THROUGH_TRAIN),
}


@dataclass(frozen=True)
class PlacementSpec:
    """This school year's place and its costs in HK$; `last_school`, if any, adds last year's
    place there, one grade lower, at the same costs."""

    school: str
    grade: int
    costs: tuple[int, int, int, int, int]  # fees, uniform, books, transport, other
    other_note: str
    last_school: str


P, G = PlacementSpec, Grade
PLACEMENTS = {
    "hamza": P("harbour", G.P4, (0, 900, 1800, 2400, 900), "Lunches and school trips", "harbour"),
    "sara": P("star", G.S1, (0, 1600, 2800, 3600, 1200), "Tablet for e-learning", "harbour"),
    "christelle": P("harbour", G.P5, (0, 850, 1700, 0, 500), "School trips", "harbour"),
    "mariam": P("star", G.S6, (0, 0, 3400, 3600, 1950), "HKDSE examination fees", ""),
    "ikram": P("harmony", G.S3, (12000, 1400, 2600, 2400, 0), "", "harmony"),
    "joel": P("bauhinia", G.P2, (0, 750, 1500, 0, 400), "Lunches", ""),
    "kavin": P("crest", G.S4, (0, 1300, 3200, 4800, 0), "", "crest"),
    "aisha": P("bauhinia", G.P6, (0, 850, 1900, 0, 600), "Graduation trip", ""),
    "yasmin": P("lanterns", G.K3, (4800, 600, 900, 0, 1200), "Meals (whole-day class)", ""),
}

# (email's local part, display name, what the login shows). Copy k's sponsors are
# sponsor.one.k@example.org ... and "The Lam Family (group k)".
SPONSORS = [
    ("sponsor.one", "The Lam Family", "one child, fully funded, with shared reports"),
    ("sponsor.church", "St Andrew's Outreach Group", "four children"),
    ("sponsor.giving", "Harbour Logistics Staff Fund", "three children, one shared with others"),
]


@dataclass(frozen=True)
class SponsorshipSpec:
    sponsor: str
    child: str
    amount: int  # HK$ each payment
    frequency: str
    covers: str  # CostItem values, space-separated
    since_last_year: bool  # else since the first day of this school year


S, F = SponsorshipSpec, Frequency
# This school year: Hamza, Joël and Christelle are funded; Sara, Ikram (two sponsors), Kavin
# and Mariam under-funded; Aisha and Yasmin wait for a sponsor.
SPONSORSHIPS = [
    S("sponsor.one", "hamza", 500, F.MONTHLY, "uniform books transport other", True),
    S("sponsor.church", "sara", 2000, F.TERMLY, "books transport other", True),
    S("sponsor.church", "ikram", 5000, F.YEARLY, "fees", True),
    S("sponsor.church", "joel", 250, F.MONTHLY, "uniform books other", False),
    S("sponsor.church", "kavin", 3000, F.ONE_OFF, "uniform books", False),
    S("sponsor.giving", "ikram", 300, F.MONTHLY, "books transport", False),
    S("sponsor.giving", "christelle", 3500, F.YEARLY, "fees uniform books transport other", True),
    S("sponsor.giving", "mariam", 1500, F.TERMLY, "books transport other", False),
]

# (sponsor, child): a sponsorship that starts next school year, shown to its sponsor as upcoming.
UPCOMING = ("sponsor.one", "aisha")
# The child whose sponsor is behind with payments.
BEHIND = "joel"

# Photos on file (the first copy only: the files land in MEDIA_ROOT, which a benchmark's
# throwaway database does not clean up). Kavin's family has not agreed to photos.
PHOTOS = {"sara": "#2f6f73", "ikram": "#7a4b94", "kavin": "#b5651d"}


def sponsor_email(key: str, copy: int) -> str:
    return f"{key}@example.org" if copy == 1 else f"{key}.{copy}@example.org"


# The logins seed_demo prints: the first copy's sponsors.
SPONSOR_LOGINS = [
    (sponsor_email(key, 1), f"Sponsor {name}: {what} (/sponsor/)") for key, name, what in SPONSORS
]


def build_schools() -> dict[str, School]:
    schools = {}
    for key, (name, district, school_type) in SCHOOLS.items():
        lowest, highest = TYPE_GRADES[school_type]
        schools[key] = School.objects.get_or_create(
            name=name,
            defaults={
                "district": district,
                "school_type": school_type,
                "lowest_grade": lowest,
                "highest_grade": highest,
            },
        )[0]
    return schools


def _place(spec: PlacementSpec, *, child: Learner, school: School, year: int, grade: int, by):
    if SchoolPlacement.objects.filter(child=child, school_year=year).exists():
        return
    fees, uniform, books, transport, other = (Decimal(amount) for amount in spec.costs)
    placement = SchoolPlacement(
        child=child,
        school=school,
        school_year=year,
        grade=grade,
        fees=fees,
        uniform=uniform,
        books=books,
        transport=transport,
        other_costs=other,
        other_costs_note=spec.other_note if other else "",
    )
    placement_save(placement=placement, by=by)


def _sponsor(key: str, name: str, *, copy: int, coordinator, password_hash: str):
    """The copy's sponsor, created with an account that signs in with the demo password;
    None if someone else took the email meanwhile."""
    email = sponsor_email(key, copy)
    sponsor = Sponsor.objects.filter(user__username=email).first()
    if sponsor is not None:
        return sponsor
    User = get_user_model()
    if User.objects.filter(username__iexact=email).exists():
        return None
    display_name = name if copy == 1 else f"{name} (group {copy})"
    sponsor = sponsor_create(display_name=display_name, email=email, by=coordinator)
    sponsor.user.password = password_hash
    sponsor.user.save(update_fields=["password"])
    return sponsor


def _photo(initials: str, colour: str) -> bytes:
    """A plain square in the child's colour with their initials: a stand-in for a photo."""
    image = Image.new("RGB", (160, 160), colour)
    font = ImageFont.load_default(size=64)
    ImageDraw.Draw(image).text((80, 80), initials, fill="white", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def build_sponsorships(
    *,
    copy: int,
    learners: dict[str, Learner],
    coordinator,
    today: dt.date,
    password_hash: str,
) -> int:
    """One copy's school places, sponsors, sponsorships and reports; returns how many of the
    copy's children have a sponsor. What exists is kept; a child whose guardian is missing
    (their parent was left out of the demo) gets neither a school place nor a sponsor."""
    this_year = school_year_of(today)
    schools = build_schools()
    children = {
        key: child
        for key, child in learners.items()
        if child.guardian_name and (child.age_on(today) or 99) < 18
    }
    for key, spec in PLACEMENTS.items():
        child = children.get(key)
        if child is None:
            continue
        years = [(this_year, spec.school, spec.grade)]
        if spec.last_school:
            years.append((this_year - 1, spec.last_school, spec.grade - 1))
        for year, school, grade in years:
            _place(
                spec, child=child, school=schools[school], year=year, grade=grade, by=coordinator
            )

    sponsors = {
        key: _sponsor(key, name, copy=copy, coordinator=coordinator, password_hash=password_hash)
        for key, name, _what in SPONSORS
    }
    sponsored = set()
    for spec in SPONSORSHIPS:
        child, sponsor = children.get(spec.child), sponsors[spec.sponsor]
        if child is None or sponsor is None:
            continue
        starts_on, _end = school_year_bounds(this_year - 1 if spec.since_last_year else this_year)
        if not Sponsorship.objects.filter(
            sponsor=sponsor, child=child, starts_on=starts_on
        ).exists():
            sponsorship = Sponsorship(
                sponsor=sponsor,
                child=child,
                starts_on=starts_on,
                amount=Decimal(spec.amount),
                frequency=spec.frequency,
                covers=spec.covers.split(),
            )
            sponsorship_save(sponsorship=sponsorship, by=coordinator)
        sponsored.add(spec.child)

    upcoming = children.get(UPCOMING[1])
    if upcoming is not None and sponsors[UPCOMING[0]] is not None:
        starts_on, _end = school_year_bounds(this_year + 1)
        if not Sponsorship.objects.filter(child=upcoming, starts_on=starts_on).exists():
            sponsorship = Sponsorship(
                sponsor=sponsors[UPCOMING[0]],
                child=upcoming,
                starts_on=starts_on,
                amount=Decimal(400),
                frequency=Frequency.MONTHLY,
                covers=["uniform", "books"],
            )
            sponsorship_save(sponsorship=sponsorship, by=coordinator)
    key_of = {child.pk: key for key, child in children.items()}
    for sponsorship in Sponsorship.objects.filter(sponsor__in=[s for s in sponsors.values() if s]):
        behind = key_of.get(sponsorship.child_id) == BEHIND
        _pay(sponsorship, today=today, behind=behind, by=coordinator)

    for key in sorted(sponsored):
        build_reports(child=children[key], coordinator=coordinator, today=today, key=key)
    if copy == 1:
        for key, colour in PHOTOS.items():
            child = children.get(key)
            if child is not None and not child.photo:
                words = child.legal_name.split()
                initials = words[0][0] + words[-1][0]
                child.photo.save(f"{key}.jpg", ContentFile(_photo(initials, colour)), save=True)
    return len(sponsored)


def _pay(sponsorship: Sponsorship, *, today: dt.date, behind: bool, by) -> None:
    """Payments received a few days after each due date so far, unless some are already
    recorded; one sponsor is two payments ``behind``."""
    if sponsorship.payments.exists():
        return
    this_year = school_year_of(today)
    due = [
        day
        for year in (this_year - 1, this_year)
        for day in sponsorship_payment_dates(sponsorship, school_year=year)
        if day + dt.timedelta(days=3) <= today
    ]
    if behind:
        due = due[:-2]
    methods = list(PaymentMethod.values)
    for n, day in enumerate(due):
        payment_record(
            sponsorship=sponsorship,
            received_on=day + dt.timedelta(days=3),
            amount=sponsorship.amount,
            method=methods[(sponsorship.pk + n) % len(methods)],
            reference=f"DEMO-{sponsorship.pk}-{n + 1:02d}",
            by=by,
        )
