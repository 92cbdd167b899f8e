from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from cms.validators import free_text, single_line


class Category(index.Indexed, models.Model):
    """A programme area: English, GED, IELTS, computer literacy, photography ..."""

    name = models.CharField(_("name"), max_length=80, unique=True, validators=[single_line])
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True, validators=[free_text])

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self):
        return self.name


class Partner(index.Indexed, models.Model):
    """An organisation that teaches or certifies with the centre (e.g. the British Council)."""

    name = models.CharField(_("name"), max_length=120, unique=True, validators=[single_line])
    website = models.URLField(_("website"), blank=True, validators=[single_line])
    description = models.TextField(_("description"), blank=True, validators=[free_text])

    panels = [FieldPanel("name"), FieldPanel("website"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class Venue(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True, validators=[single_line])
    address = models.TextField(_("address"), validators=[free_text])
    district = models.CharField(_("district"), max_length=60, blank=True, validators=[single_line])
    directions = models.TextField(
        _("how to get there"),
        blank=True,
        help_text=_("Nearest MTR exit, bus stops, landmarks."),
        validators=[free_text],
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, lifts, toilets."),
        validators=[free_text],
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("district"),
        FieldPanel("directions"),
        FieldPanel("accessibility"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("district")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    def __str__(self):
        return self.name
