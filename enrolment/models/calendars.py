import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cms.validators import single_line


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The private key in a person's calendar feed URL. Whoever holds the URL reads the feed,
    so it is long and random, and replacing it (a new link) makes the old URL a 404."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_token",
        verbose_name=_("account"),
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_calendar_token, validators=[single_line]
    )
    # Not auto_now_add: a new link resets it.
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
