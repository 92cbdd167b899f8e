"""The demo's people: staff accounts, and the learners (adults, young people and children) with
their accounts, all signing in with the one demo password."""

import datetime as dt
import functools
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.management.demo.consents import consent_history_seed
from cms.management.demo.sponsorship import SPONSOR_LOGINS, SPONSORED_CHILDREN
from cms.roles import CASEWORKERS
from courses.choices import Level
from enrolment.models import Channel, Learner, normalise_phone
from enrolment.models.people import years_before

DEMO_PASSWORD = "harbour-demo-2026"

TEACHERS = [
    ("teacher.grace", "Grace", "Ho"),
    ("teacher.samuel", "Samuel", "Okafor"),
    ("teacher.lina", "Lina", "Haddad"),
    ("teacher.david", "David", "Lau"),
]


@dataclass(frozen=True)
class LearnerSpec:
    """A demo learner. ``key`` names them in INTAKES and in their email address."""

    key: str
    preferred_name: str
    legal_name: str
    age: int
    languages: str
    english_level: str
    phone: bool = True
    email: bool = False
    account: bool = True  # some learners have none: a coordinator looks after their record
    preferred_language: str = "en"
    guardian: str = ""  # a child's parent, by key
    relationship: str = ""
    consent_photo: bool = False
    consent_share_progress: bool = False


L = Level
# Adults and young people from the countries most of Hong Kong's asylum seekers come from.
# An account's username is the normalised phone number, or the email when there is no phone,
# as at sign-up. Phone numbers are 9123 0001, 9123 0002, ... in list order.
LEARNERS = [
    LearnerSpec("amina", "Amina", "Amina Hassan Abdi", 31, "Somali, Arabic", L.A1),
    LearnerSpec(
        "bilal",
        "Bilal",
        "Muhammad Bilal Qureshi",
        38,
        "Urdu, Punjabi, English",
        L.A2,
        email=True,
        preferred_language="ur",
    ),
    LearnerSpec("tharshini", "Tharshini", "Tharshini Sivakumar", 27, "Tamil", L.A1),
    LearnerSpec(
        "abdulrahman",
        "Abdulrahman",
        "Abdulrahman Saleh Al-Hakimi",
        45,
        "Arabic",
        L.PRE_A1,
        preferred_language="ar",
    ),
    LearnerSpec(
        "grace.mbuyi",
        "Grâce",
        "Grâce Mbuyi Kabongo",
        33,
        "French, Lingala",
        L.A2,
        phone=False,
        email=True,
        preferred_language="fr",
        consent_photo=True,
    ),
    LearnerSpec("rafiq", "Rafiq", "Mohammad Rafiqul Islam", 34, "Bengali", L.A1),
    LearnerSpec("fadumo", "Fadumo", "Fadumo Ali Warsame", 52, "Somali", L.PRE_A1, account=False),
    LearnerSpec("ayesha", "Ayesha", "Ayesha Siddiqui", 26, "Urdu, English", L.B1, email=True),
    LearnerSpec("nimal", "Nimal", "Nimal Perera", 41, "Sinhala, Tamil", L.A2),
    LearnerSpec(
        "khadija", "Khadija", "Khadija Omar Mohammed", 29, "Arabic", L.A1, preferred_language="ar"
    ),
    LearnerSpec(
        "jp.mukendi",
        "Jean-Pierre",
        "Jean-Pierre Mukendi Tshibanda",
        36,
        "French, Swahili, Lingala",
        L.B1,
        phone=False,
        email=True,
        preferred_language="fr",
    ),
    LearnerSpec("shahida", "Shahida", "Shahida Begum", 47, "Bengali", L.PRE_A1, account=False),
    LearnerSpec(
        "yusuf",
        "Yusuf",
        "Yusuf Abdullahi Farah",
        24,
        "Somali, Arabic, English",
        L.B2,
        email=True,
        consent_photo=True,
    ),
    LearnerSpec("imran", "Imran", "Imran Shah", 32, "Pashto, Urdu", L.A1, preferred_language="ur"),
    LearnerSpec("priya", "Priya", "Priya Kanagaratnam", 30, "Tamil, English", L.A2),
    LearnerSpec(
        "nabil", "Nabil", "Nabil Ahmed Al-Sanabani", 44, "Arabic", L.A2, preferred_language="ar"
    ),
    LearnerSpec(
        "esther",
        "Esther",
        "Esther Nsimba Mputu",
        28,
        "French, Lingala",
        L.A1,
        preferred_language="fr",
    ),
    LearnerSpec("tanvir", "Tanvir", "Tanvir Hossain", 22, "Bengali, English", L.A2),
    LearnerSpec("hodan", "Hodan", "Hodan Yusuf Aden", 35, "Somali", L.A1),
    LearnerSpec("zainab", "Zainab", "Zainab Akhtar", 20, "Urdu, Punjabi, English", L.A2),
    LearnerSpec("rukhsana", "Rukhsana", "Rukhsana Bibi", 50, "Urdu", L.PRE_A1),
    LearnerSpec("samira", "Samira", "Samira Abdo Qasim", 27, "Arabic, English", L.B1, email=True),
    LearnerSpec("patrick", "Patrick", "Patrick Ilunga Kasongo", 29, "French, Swahili", L.A2),
    # Children: no phone or account of their own; the centre reaches their parent.
    LearnerSpec(
        "hamza",
        "Hamza",
        "Hamza Mohamed Abdi",
        9,
        "Somali, English, Cantonese",
        L.A1,
        phone=False,
        account=False,
        guardian="amina",
        relationship="Mother",
        consent_share_progress=True,
    ),
    LearnerSpec(
        "sara",
        "Sara",
        "Sara Bilal Qureshi",
        12,
        "Urdu, English, Cantonese",
        L.A2,
        phone=False,
        account=False,
        guardian="bilal",
        relationship="Father",
        consent_photo=True,
        consent_share_progress=True,
    ),
    LearnerSpec(
        "christelle",
        "Christelle",
        "Christelle Kabongo",
        10,
        "French, English",
        L.A1,
        phone=False,
        account=False,
        guardian="grace.mbuyi",
        relationship="Mother",
    ),
    LearnerSpec(
        "mariam",
        "Mariam",
        "Mariam Nabil Al-Sanabani",
        17,
        "Arabic, English",
        L.B1,
        phone=False,
        account=False,
        guardian="nabil",
        relationship="Father",
    ),
]
# More children of these families, whose schooling sponsors pay (sponsorship.py).
LEARNERS += [LearnerSpec(**child) for child in SPONSORED_CHILDREN]

# Gender and region of origin, optional and asked for funders' statistics only: most adults
# answered, some did not (Fadumo, Shahida, Nimal), and only one child's family did.
W, M = "woman", "man"
EA, WCA, MENA, SA = "east_africa", "west_central_africa", "mena", "south_asia"
DEMOGRAPHICS = {
    "amina": (W, EA),
    "bilal": (M, SA),
    "tharshini": (W, SA),
    "abdulrahman": (M, MENA),
    "grace.mbuyi": (W, WCA),
    "rafiq": (M, SA),
    "ayesha": (W, SA),
    "nimal": (M, ""),
    "khadija": (W, MENA),
    "jp.mukendi": (M, WCA),
    "yusuf": (M, EA),
    "imran": (M, SA),
    "priya": (W, SA),
    "nabil": (M, MENA),
    "esther": (W, WCA),
    "tanvir": (M, SA),
    "hodan": (W, EA),
    "zainab": (W, SA),
    "rukhsana": (W, SA),
    "samira": (W, MENA),
    "patrick": (M, WCA),
    "hamza": (M, EA),
}

# The learners whose logins are printed: one signs in with a phone number, one with an email.
PHONE_LOGIN = "amina"
EMAIL_LOGIN = "grace.mbuyi"


@functools.cache
def demo_password_hash() -> str:
    # Hashing is deliberately slow; every demo account shares the one published password.
    return make_password(DEMO_PASSWORD)


def demo_user(username, first, last, group, *, superuser=False, email=""):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": email}
    )
    if created:
        user.password = demo_password_hash()
        user.is_superuser = user.is_staff = superuser
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def build_staff(*, scale: int) -> tuple:
    """The coordinator, the superuser, the translator, the caseworker, data protection and the
    teachers (one set per copy); returns the coordinator and the teachers."""
    coordinator = demo_user("coordinator", "Mei", "Chan", "Coordinators")
    demo_user("admin", "Site", "Admin", None, superuser=True)
    # A volunteer who translates the pages and, on a staging copy, the interface (/translate/).
    demo_user("translator", "Hodan", "Warsame", "Translators")
    # A coordinator who also holds the case files: only she reads the case references and the
    # caseworker notes the demo records (the coordinator sees that they are recorded).
    demo_user("caseworker", "Farah", "Siddiqui", "Coordinators").groups.add(
        Group.objects.get(name=CASEWORKERS)
    )
    # Who answers for personal data: reads the access log, nothing else.
    demo_user("dataprotection", "Nadia", "Rahman", "Data protection")
    teachers = [demo_user(u, f, last, "Teachers") for u, f, last in TEACHERS]
    for k in range(2, scale + 1):
        teachers += [demo_user(f"{u}{k}", f, last, "Teachers") for u, f, last in TEACHERS]
    return coordinator, teachers


def _phone(spec: LearnerSpec, copy: int, number: int) -> str:
    if not spec.phone:
        return ""
    # 9123 xxxx is a Hong Kong mobile range, so every demo number can be called (stored).
    phone = normalise_phone(f"9123{(copy - 1) * 100 + number:04d}")
    if not phone:
        raise ValueError(f"demo learner {number} of copy {copy} has no valid phone number")
    return phone


def _email(spec: LearnerSpec, copy: int) -> str:
    if not spec.email:
        return ""
    return f"{spec.key}@example.org" if copy == 1 else f"{spec.key}.{copy}@example.org"


def _username(spec: LearnerSpec, copy: int, number: int) -> str:
    return _phone(spec, copy, number) or _email(spec, copy)


def build_learners(*, copy: int, today: dt.date) -> dict[str, Learner]:
    """The demo's learners for one copy of the centre, by key; those that exist are kept.

    The case reference (caseworkers only) identifies a demo learner across runs: names are
    not unique, and a child has neither phone nor email. A demo learner whose phone number or
    username someone else took meanwhile (signing up by hand, say) is left out.
    """
    learners: dict[str, Learner] = {}
    for number, spec in enumerate(LEARNERS, start=1):
        reference = f"DEMO-{copy:03d}-{number:02d}"
        phone, email = _phone(spec, copy, number), _email(spec, copy)
        username = _username(spec, copy, number) if spec.account else ""
        learner = Learner.objects.filter(case_reference=reference).first()
        if learner is None and _taken(phone=phone, username=username):
            continue
        if learner is None:
            user = None
            if username:
                user = demo_user(username, spec.preferred_name, "", "Learners", email=email)
            guardian = learners.get(spec.guardian)
            learner = Learner.objects.create(
                user=user,
                preferred_name=spec.preferred_name,
                legal_name=spec.legal_name,
                # Birthdays spread over the year, always `age` years old on the seeding day.
                date_of_birth=years_before(today, spec.age) - dt.timedelta(days=37 * number % 300),
                languages=spec.languages,
                preferred_language=spec.preferred_language,
                english_level=spec.english_level,
                phone=phone,
                email=email,
                guardian_name=guardian.legal_name if guardian else "",
                guardian_phone=guardian.phone if guardian else "",
                guardian_relationship=spec.relationship,
                consent_photo=spec.consent_photo,
                consent_share_progress=spec.consent_share_progress,
                case_reference=reference,
                **_messages(spec, number, has_guardian=guardian is not None),
            )
            consent_history_seed(learner)
        gender, region = DEMOGRAPHICS.get(spec.key, ("", ""))
        if (gender or region) and not (learner.gender or learner.region_of_origin):
            learner.gender, learner.region_of_origin = gender, region
            learner.save(update_fields=["gender", "region_of_origin"])
        learners[spec.key] = learner
    return learners


# Imran replied STOP to a text: he keeps his classes and gets no messages until he says START.
STOPPED = {"imran"}


def _messages(spec: LearnerSpec, number: int, *, has_guardian: bool) -> dict:
    """How the centre writes to a demo learner, agreed at the desk when they first came: most
    phones on WhatsApp, some by text, email for those without a phone, a child's parent by
    text."""
    if spec.phone and not has_guardian:
        channel = Channel.WHATSAPP if number % 3 else Channel.SMS
    elif has_guardian:
        channel = Channel.SMS
    else:
        channel = Channel.EMAIL if spec.email else Channel.NONE
    now = timezone.now()
    return {
        "message_channel": channel,
        "messages_consent_at": now if channel != Channel.NONE else None,
        "messages_stopped_at": now if spec.key in STOPPED else None,
    }


def _login(key: str) -> str:
    """The username of the first copy's learner ``key``."""
    number, spec = next((n, spec) for n, spec in enumerate(LEARNERS, start=1) if spec.key == key)
    return _username(spec, 1, number)


def _taken(*, phone: str, username: str) -> bool:
    if phone and Learner.objects.filter(phone=phone).exists():
        return True
    return bool(username) and get_user_model().objects.filter(username=username).exists()


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, password, who) of the accounts seed_demo prints: the first copy's."""
    return [
        ("coordinator", DEMO_PASSWORD, "Coordinator (Wagtail admin at /admin/)"),
        ("admin", DEMO_PASSWORD, "Superuser"),
        (
            "translator",
            DEMO_PASSWORD,
            "Translator: pages in the admin's other-language trees; /translate/ "
            "with TRANSLATION_EDITING=1",
        ),
        (
            "caseworker",
            DEMO_PASSWORD,
            "Caseworker and coordinator: the only one who reads case references and notes",
        ),
        ("dataprotection", DEMO_PASSWORD, "Data protection: the access log at /admin/"),
        *((u, DEMO_PASSWORD, "Teacher") for u, _f, _l in TEACHERS),
        (_login(PHONE_LOGIN), DEMO_PASSWORD, "Learner Amina: signs in with her phone, 9123 0001"),
        (
            _login(EMAIL_LOGIN),
            DEMO_PASSWORD,
            "Learner Grâce: signs in with her email; on two waitlists",
        ),
        *((username, DEMO_PASSWORD, role) for username, role in SPONSOR_LOGINS),
    ]
