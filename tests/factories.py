"""Factories that build consistent worlds: a run's course, venue and sessions belong together."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory
from wagtail.models import Page

from courses.choices import Audience, Level, RunMode, RunStatus
from courses.models import Category, CourseIndexPage, CoursePage, CourseRun, Partner, Session, Venue
from enrolment.models import (
    Enrolment,
    EnrolmentStatus,
    Frequency,
    Grade,
    Learner,
    PaymentMethod,
    ProgressReport,
    School,
    SchoolPlacement,
    SchoolType,
    Sponsor,
    Sponsorship,
    SponsorshipPayment,
    SubjectGrade,
)
from enrolment.models.schools import school_year_of

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Subject {n}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))


class PartnerFactory(DjangoModelFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")


class VenueFactory(DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"Room {n}")
    address = "3/F, 128 Un Chau Street, Sham Shui Po"
    district = "Sham Shui Po"


class PageFactory(DjangoModelFactory):
    """Adds the page under `parent` in the Wagtail tree and publishes it."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.LazyAttribute(lambda p: slugify(p.title))

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        page = model_class(**kwargs)
        parent = parent or Page.get_first_root_node()
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page


class CourseIndexPageFactory(PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Courses"
    slug = "courses"


class CoursePageFactory(PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Course {n}")
    category = factory.SubFactory(CategoryFactory)
    audience = Audience.ADULTS
    level = Level.NONE
    summary = "A short plain summary of the course."
    parent = factory.LazyFunction(lambda: CourseIndexPage.objects.first())


class CourseRunFactory(DjangoModelFactory):
    class Meta:
        model = CourseRun
        skip_postgeneration_save = True

    course = factory.SubFactory(CoursePageFactory)
    code = factory.Sequence(lambda n: f"RUN-{n:04d}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    end_date = factory.LazyAttribute(lambda r: r.start_date + dt.timedelta(weeks=8))
    weekdays = "02"
    start_time = dt.time(18, 30)
    end_time = dt.time(20, 30)
    venue = factory.SubFactory(VenueFactory)
    capacity = 20
    mode = RunMode.OPEN
    status = RunStatus.PUBLISHED

    @factory.post_generation
    def teachers(self, create, extracted, **kwargs):
        if create and extracted:
            self.teachers.add(*extracted)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    run = factory.SubFactory(CourseRunFactory)
    date = factory.LazyAttribute(lambda s: s.run.start_date)
    scheduled_date = factory.LazyAttribute(lambda s: s.date)
    start_time = factory.LazyAttribute(lambda s: s.run.start_time)
    end_time = factory.LazyAttribute(lambda s: s.run.end_time)


class LearnerFactory(DjangoModelFactory):
    class Meta:
        model = Learner

    preferred_name = factory.Faker("first_name")
    legal_name = factory.LazyAttribute(lambda learner: f"{learner.preferred_name} Example")
    date_of_birth = dt.date(1995, 5, 17)

    class Params:
        # Agreed to messages by text, WhatsApp or email, with the address to reach them.
        by_sms = factory.Trait(
            message_channel="sms",
            phone=factory.Sequence(lambda n: f"+8529123{n % 10_000:04d}"),
            messages_consent_at=factory.LazyFunction(timezone.now),
        )
        by_whatsapp = factory.Trait(
            message_channel="whatsapp",
            phone=factory.Sequence(lambda n: f"+8529133{n % 10_000:04d}"),
            messages_consent_at=factory.LazyFunction(timezone.now),
        )
        by_email = factory.Trait(
            message_channel="email",
            email=factory.Sequence(lambda n: f"learner{n}@example.org"),
            messages_consent_at=factory.LazyFunction(timezone.now),
        )


class EnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    learner = factory.SubFactory(LearnerFactory)
    run = factory.SubFactory(CourseRunFactory)
    status = EnrolmentStatus.ENROLLED


# --- children's schooling and sponsors --------------------------------------------------------


def years_ago(years: int, *, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - dt.timedelta(days=days)


class ChildFactory(LearnerFactory):
    """A child of ten with a guardian and both consents, the usual sponsored child."""

    preferred_name = factory.Faker("first_name")
    legal_name = factory.LazyAttribute(lambda c: f"{c.preferred_name} Nkurunziza-Example")
    date_of_birth = factory.LazyFunction(lambda: years_ago(10, days=40))
    guardian_name = "Marie Example-Guardian"
    guardian_phone = "+85291110000"
    guardian_relationship = "Mother"
    consent_photo = True
    consent_share_progress = True


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Harbour Primary School {n}")
    district = "sham_shui_po"
    school_type = SchoolType.PRIMARY
    lowest_grade = Grade.P1
    highest_grade = Grade.P6


class SchoolPlacementFactory(DjangoModelFactory):
    class Meta:
        model = SchoolPlacement

    child = factory.SubFactory(ChildFactory)
    school = factory.SubFactory(SchoolFactory)
    school_year = factory.LazyFunction(lambda: school_year_of(timezone.localdate()))
    grade = Grade.P4
    fees = 3000
    uniform = 800
    books = 1200
    transport = 1000
    other_costs = 0


class SponsorFactory(DjangoModelFactory):
    class Meta:
        model = Sponsor
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory, groups=["Sponsors"])
    display_name = factory.Sequence(lambda n: f"Friends of the Centre {n}")


class SponsorshipFactory(DjangoModelFactory):
    """HK$500 a month since the start of this school year, open-ended."""

    class Meta:
        model = Sponsorship

    sponsor = factory.SubFactory(SponsorFactory)
    child = factory.SubFactory(ChildFactory)
    starts_on = factory.LazyFunction(lambda: dt.date(school_year_of(timezone.localdate()), 9, 1))
    ends_on = None
    amount = 500
    frequency = Frequency.MONTHLY
    covers = factory.LazyFunction(lambda: ["fees", "books"])


class SponsorshipPaymentFactory(DjangoModelFactory):
    """HK$500 received by bank transfer on the sponsorship's first day."""

    class Meta:
        model = SponsorshipPayment

    sponsorship = factory.SubFactory(SponsorshipFactory)
    received_on = factory.LazyAttribute(lambda payment: payment.sponsorship.starts_on)
    amount = 500
    method = PaymentMethod.BANK_TRANSFER
    reference = "HSBC 0042"


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    child = factory.SubFactory(ChildFactory)
    school_year = factory.LazyFunction(lambda: school_year_of(timezone.localdate()))
    term = 1
    school_attendance_percent = 94
    teacher_comment = "Reads with confidence and helps classmates."
    caseworker_note = "Family moved shelter in October; follow up on the rent."
    shared_with_sponsors = False


class SubjectGradeFactory(DjangoModelFactory):
    class Meta:
        model = SubjectGrade

    report = factory.SubFactory(ProgressReportFactory)
    subject = "English"
    grade = "B+"


def translate_page(page, language_code: str, **fields):
    """A published translation of `page` in another locale, as the admin's Translate action
    makes it (its parent must be translated first), with `fields` translated."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language_code)
    translation = page.specific.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation


def translate_snippet(snippet, language_code: str, **fields):
    """A translation of a category, partner or venue in another locale, with `fields`
    translated (the rest copied from the original)."""
    from wagtail.models import Locale

    translation = snippet.copy_for_translation(Locale.objects.get(language_code=language_code))
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save()
    return translation
