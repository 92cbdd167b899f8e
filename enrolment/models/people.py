import datetime as dt
import uuid
from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.validators import single_line
from courses.choices import Level
from enrolment.models.scoping import OwnedQuerySet

ADULT_AGE = 18


# A number typed without a country code is a Hong Kong one.
PHONE_REGION = "HK"
# What a typed phone number may contain besides digits: "+852 9123-4567", "(852) 9123.4567".
_PHONE_PUNCTUATION = set(" +-().")
# Longer than any number a person types, short enough to refuse before parsing.
_PHONE_MAX_LENGTH = 40

PHONE_INVALID = _(
    "This is not a phone number that can be called. Type it as 9123 4567, or with its "
    "country code, e.g. +44 20 7946 0958."
)


def normalise_phone(raw: str, *, strict: bool = True) -> str:
    """The number typed in `raw` in E.164 form ("+85291234567"), or "" if it is not one.

    "9123 4567" is Hong Kong's; "+44 20 7946 0958", "0044 20 7946 0958" and "852 9123 4567"
    keep their country. Anything with a letter or an "@" is not a phone number, so that
    usernames and emails are never mistaken for one.

    `strict` (for every number we store) asks phonenumbers whether the number can exist: a
    real prefix and length for its country, which catches mistyped digits before a message
    goes nowhere. Without it, a number of a possible length is enough: for finding a number
    already on file, which an older, looser check may have let in.
    """
    raw = (raw or "").strip()
    if not raw or len(raw) > _PHONE_MAX_LENGTH:
        return ""
    if any(not ch.isdigit() and ch not in _PHONE_PUNCTUATION for ch in raw):
        return ""
    if raw.startswith("00"):  # the international prefix of most countries, Hong Kong's too
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    exists = phonenumbers.is_valid_number if strict else phonenumbers.is_possible_number
    if not exists(number):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    """Age in whole years on `day`; None without a date of birth."""
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _adult_cutoff(today: dt.date | None) -> dt.date:
    """The latest birthday that makes someone an adult on `today`."""
    return years_before(today or timezone.localdate(), ADULT_AGE)


OLDEST_AGE = 120


def date_of_birth_check(value: dt.date | None) -> None:
    """Sign-up's rule, for every way a date of birth comes in (the admin, an import): no one
    is born after today, nor more than OLDEST_AGE years ago (0001 or 2999 is a slip)."""
    if value is None:
        return
    today = timezone.localdate()
    if value > today:
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    if value.year < today.year - OLDEST_AGE:
        raise ValidationError(_("Check the year of the date of birth."), code="too_old")


@dataclass(frozen=True)
class CallContact:
    """Who answers the phone for a learner (Learner.call_contact)."""

    name: str
    relationship: str
    phone: str
    is_guardian: bool = False


PHOTO_EXTENSIONS = {"jpg", "jpeg", "png", "gif", "webp"}
PHOTO_FOLDER = "learner-photos"  # private: never served from MEDIA_URL (cms.views.public_media)


def learner_photo_path(instance, filename: str) -> str:
    """A random name: the file says nothing about whose photo it is. Photos are served only
    through views that check the viewer and the learner's photo consent."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    extension = extension if extension in PHOTO_EXTENSIONS else "jpg"
    return f"{PHOTO_FOLDER}/{uuid.uuid4().hex}.{extension}"


class Gender(models.TextChoices):
    """Optional, for funders' breakdowns only (the collection notice says so)."""

    UNSAID = "", _("not recorded")
    WOMAN = "woman", _("woman")
    MAN = "man", _("man")
    ANOTHER = "another", _("another gender")


class Region(models.TextChoices):
    """Region of origin in broad bands: a country would identify people in a small centre."""

    UNSAID = "", _("not recorded")
    EAST_AFRICA = "east_africa", _("East Africa")
    WEST_CENTRAL_AFRICA = "west_central_africa", _("West and Central Africa")
    MIDDLE_EAST_NORTH_AFRICA = "mena", _("Middle East and North Africa")
    SOUTH_ASIA = "south_asia", _("South Asia")
    SOUTH_EAST_ASIA = "south_east_asia", _("South-East Asia")
    ELSEWHERE = "elsewhere", _("elsewhere")


class AgeBand(models.TextChoices):
    """The impact report's age bands (enrolment.services.impact.breakdowns.AGE_BANDS), kept
    for a learner whose date of birth was removed when they were forgotten."""

    UNSAID = "", _("not recorded")
    UNDER_12 = "0-11", _("under 12")
    TEEN = "12-17", _("12 to 17")
    YOUNG_ADULT = "18-24", _("18 to 24")
    ADULT = "25-39", _("25 to 39")
    MIDDLE = "40-59", _("40 to 59")
    OLDER = "60+", _("60 and over")


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("Email")
    NONE = "none", _("No messages")


class LearnerQuerySet(OwnedQuerySet):
    """`for_user`: coordinators see every learner; a learner only themself."""

    owner = "user"

    def children(self, today: dt.date | None = None):
        """Learners under 18 on `today`."""
        return self.filter(date_of_birth__gt=_adult_cutoff(today))

    def adults(self, today: dt.date | None = None):
        """Learners 18 or over on `today` (those with no date of birth are neither)."""
        return self.filter(date_of_birth__lte=_adult_cutoff(today))


class Learner(models.Model):
    """A person the centre teaches, adult or child. Many have no email and no account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learner",
        verbose_name=_("account"),
    )
    preferred_name = models.CharField(
        _("preferred name"),
        max_length=80,
        help_text=_("The name the learner wants to be called."),
        validators=[single_line],
    )
    legal_name = models.CharField(
        _("legal name"),
        max_length=160,
        blank=True,
        help_text=_("As on the learner's papers; printed on certificates only."),
        validators=[single_line],
    )
    date_of_birth = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[date_of_birth_check]
    )
    languages = models.CharField(
        _("languages spoken"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Somali, Arabic"),
        validators=[single_line],
    )
    preferred_language = models.CharField(
        _("language for messages"),
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Messages from the centre are written in this language."),
    )
    english_level = models.CharField(
        _("English level"), max_length=10, choices=Level.choices, default=Level.NONE
    )
    # Optional, and asked only for funders' statistics in broad bands (the collection notice
    # gives the reason); never shown outside the admin.
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True, default=""
    )
    region_of_origin = models.CharField(
        _("region of origin"), max_length=20, choices=Region.choices, blank=True, default=""
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    guardian_name = models.CharField(
        _("parent or guardian"), max_length=160, blank=True, validators=[single_line]
    )
    guardian_phone = models.CharField(_("guardian's phone"), max_length=30, blank=True)
    guardian_relationship = models.CharField(
        _("relationship to the child"),
        max_length=60,
        blank=True,
        validators=[single_line],
    )
    # How the centre writes to the learner (for a child, to the guardian's phone), and the
    # consent that allows it: who recorded it and when. Replying STOP sets messages_stopped_at,
    # which is honoured at once, whatever the channel.
    message_channel = models.CharField(
        _("messages by"),
        max_length=10,
        choices=Channel.choices,
        default=Channel.NONE,
    )
    messages_consent_at = models.DateTimeField(_("agreed to messages"), null=True, blank=True)
    messages_consent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    messages_stopped_at = models.DateTimeField(
        _("asked for no more messages"), null=True, blank=True
    )
    consent_photo = models.BooleanField(
        _("agrees to appear in photos"),
        default=False,
        help_text=_("Photos that show the learner may be taken and used by the centre."),
    )
    consent_share_progress = models.BooleanField(
        _("agrees to share progress with sponsors"),
        default=False,
        help_text=_("Sponsors may see the school's name, reports and certificates."),
    )
    consent_story = models.BooleanField(
        _("agrees to a story about them being published"),
        default=False,
        help_text=_("A story on the centre's website may tell about the learner."),
    )
    photo = models.ImageField(
        _("photo"),
        upload_to=learner_photo_path,
        blank=True,
        help_text=_("Shown to the child's sponsors only while photo consent is recorded."),
    )
    case_reference = models.CharField(
        _("case reference"),
        max_length=60,
        blank=True,
        help_text=_("Restricted: caseworkers only. Never shown to anyone else, nor exported."),
        validators=[single_line],
    )
    # Set when the person is forgotten (enrolment.services.forgetting): the date of birth
    # goes, the band it put them in stays for the impact figures.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    age_band = models.CharField(
        _("age band"), max_length=5, choices=AgeBand.choices, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LearnerQuerySet.as_manager()

    class Meta:
        ordering = ["preferred_name", "pk"]
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        # Held by the Caseworkers group (enrolment/migrations, "caseworkers"): the admin's
        # forms leave these fields out for anyone without it (enrolment/admin/sensitive.py).
        permissions = [
            (
                "change_sensitive_fields",
                _("Can see and change case references and caseworker notes"),
            )
        ]
        indexes = [
            models.Index(fields=["phone"]),
            models.Index(fields=["email"]),
            # The learners list's order: its first page read from the index, not a sort of all.
            models.Index(fields=["preferred_name", "id"], name="learner_list_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="unique_learner_phone"
            ),
        ]

    def __str__(self):
        # Staff lists, choosers and selects name a learner by list_name: two "Yusuf"s are two
        # people. Learners, sponsors and messages use preferred_name, never this.
        return self.list_name

    def save(self, *args, **kwargs):
        # Forms refuse what is not a phone number (clean, below); what reaches here without
        # a form is put in the stored form if it can be, and never silently blanked.
        for name in ("phone", "guardian_phone"):
            typed = getattr(self, name).strip()
            setattr(self, name, normalise_phone(typed, strict=False) or typed)
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        for name in ("phone", "guardian_phone"):
            typed = getattr(self, name).strip()
            phone = normalise_phone(typed) if typed else ""
            if typed and not phone:
                errors[name] = PHONE_INVALID
            else:
                setattr(self, name, phone)
        if errors:
            raise ValidationError(errors)

    @property
    def learner_number(self) -> str:
        """How the import, the enrolments filter and staff lists number a learner: "L123"."""
        return f"L{self.pk}" if self.pk else ""

    @property
    @admin.display(description=_("Learner"))
    def list_name(self) -> str:
        """The preferred name, the initial of the family name and the learner number:
        "Yusuf A. (L12)". Enough for staff to tell two Yusufs apart, on screen or on the
        phone ("the one whose family name starts with A"), and no more: no full family name,
        no phone digits, nothing that locates them. Sponsors never see it."""
        return " ".join(part for part in (self.preferred_name, self.family_initial) if part) + (
            f" ({self.learner_number})" if self.pk else ""
        )

    @property
    def family_initial(self) -> str:
        """The first letter of the legal name's last word ("A." for "Hodan Yusuf Aden"), where
        the legal name says more than the preferred name."""
        words = self.legal_name.split()
        if not words or words[-1] in self.preferred_name.split():
            return ""
        return f"{words[-1][0].upper()}."

    @property
    def call_contact(self) -> CallContact:
        """Whom to call about this learner: for a child, the parent or guardian (name,
        relationship and phone); for an adult, the learner."""
        guardian = CallContact(
            name=self.guardian_name,
            relationship=self.guardian_relationship,
            phone=self.guardian_phone,
            is_guardian=True,
        )
        if self.is_child() and (self.guardian_phone or self.guardian_name):
            return guardian
        if not self.phone and self.guardian_phone:  # no date of birth, but a guardian on file
            return guardian
        return CallContact(name=self.preferred_name, relationship="", phone=self.phone)

    def is_child(self, day: dt.date | None = None) -> bool:
        age = self.age_on(day)
        return age is not None and age < ADULT_AGE

    def age_on(self, day: dt.date | None = None) -> int | None:
        return age_on(self.date_of_birth, day or timezone.localdate())
