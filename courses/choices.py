from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    ADULTS = "adults", _("Adults")
    YOUTH = "youth", _("Youth (15-24)")
    CHILDREN = "children", _("Children")


class Level(models.TextChoices):
    """CEFR levels, in order; NONE marks courses that do not teach English."""

    NONE = "none", _("No level")
    PRE_A1 = "pre_a1", _("Pre-A1 (starter)")
    A1 = "a1", _("A1 (beginner)")
    A2 = "a2", _("A2 (elementary)")
    B1 = "b1", _("B1 (intermediate)")
    B2 = "b2", _("B2 (upper intermediate)")
    C1 = "c1", _("C1 (advanced)")

    @classmethod
    def rank(cls, value: str) -> int:
        """Position on the CEFR scale, so that levels can be compared (NONE ranks lowest)."""
        return list(cls.values).index(value) if value in cls.values else 0


class Outcome(models.TextChoices):
    CENTRE_CERTIFICATE = "centre_certificate", _("Centre certificate")
    GED = "ged", _("GED")
    IELTS = "ielts", _("IELTS")
    NONE = "none", _("No certificate")


class Weekday(models.TextChoices):
    # Python's date.weekday() numbering, stored as digits in CourseRun.weekdays.
    MONDAY = "0", _("Monday")
    TUESDAY = "1", _("Tuesday")
    WEDNESDAY = "2", _("Wednesday")
    THURSDAY = "3", _("Thursday")
    FRIDAY = "4", _("Friday")
    SATURDAY = "5", _("Saturday")
    SUNDAY = "6", _("Sunday")


WEEKDAY_SHORT = {
    "0": _("Mon"),
    "1": _("Tue"),
    "2": _("Wed"),
    "3": _("Thu"),
    "4": _("Fri"),
    "5": _("Sat"),
    "6": _("Sun"),
}


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Morning (before 12:00)")
    AFTERNOON = "afternoon", _("Afternoon (12:00-17:00)")
    EVENING = "evening", _("Evening (after 17:00)")


class RunMode(models.TextChoices):
    OPEN = "open", _("Open: first come, first served")
    REVIEW = "review", _("Review: staff approve each application")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not shown)")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Closed")


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
