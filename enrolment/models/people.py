import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.choices import Level


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
        _("preferred name"), max_length=80, help_text=_("The name the learner wants to be called.")
    )
    legal_name = models.CharField(_("legal name"), max_length=160, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    languages = models.CharField(
        _("languages spoken"), max_length=200, blank=True, help_text=_("e.g. Somali, Arabic")
    )
    english_level = models.CharField(
        _("English level"), max_length=10, choices=Level.choices, default=Level.NONE
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["preferred_name"]
        verbose_name = _("learner")
        verbose_name_plural = _("learners")

    def __str__(self):
        return self.preferred_name

    def age_on(self, day: dt.date | None = None) -> int | None:
        if not self.date_of_birth:
            return None
        day = day or timezone.localdate()
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
