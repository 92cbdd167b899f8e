"""Category, partner and venue: snippets that staff translate with wagtail-localize.

A translation is a copy of the original in another locale, sharing its translation_key. Courses,
runs, sessions and qualifications point at the original only (`originals_only`), and each
visitor reads `obj.localized`: the translation in their language, else the original. Views
fetch those for a whole page at once (courses.models.translations), never one per row.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Locale, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.languages import original_language
from cms.validators import free_text, single_line
from courses.models.translations import LocalizedMixin


def originals_only() -> Q:
    """limit_choices_to of a foreign key to a translated snippet: a course, a run or a session
    points at the original, and the display picks the translation."""
    return Q(locale__language_code=original_language())


TAKEN = {
    "name": _("This name is already used in this language."),
    "slug": _("This slug is already used in this language."),
}


class TranslatedSnippetQuerySet(models.QuerySet):
    def originals(self):
        return self.filter(originals_only())


class TranslatedSnippet(LocalizedMixin, TranslatableMixin, index.Indexed, models.Model):
    """What the three snippets share: unique names per language, not across languages."""

    # Fields whose value is unique among the rows of one locale.
    unique_per_locale: tuple[str, ...] = ("name",)

    objects = TranslatedSnippetQuerySet.as_manager()
    # Choosers search the originals only (cms.choosers): the search backend filters by locale.
    search_fields = [index.FilterField("locale")]

    class Meta(TranslatableMixin.Meta):
        abstract = True

    def __str__(self):
        return self.name

    def validate_constraints(self, exclude=None):
        # The locale is never a form field, so Django would skip the per-locale constraints in
        # an admin form and leave the database to refuse the row (a 500). Check them here,
        # each on its own field, in words a coordinator understands.
        errors = {}
        locale_id = self.locale_id or Locale.get_default().pk
        others = type(self)._default_manager.filter(locale_id=locale_id).exclude(pk=self.pk)
        for name in self.unique_per_locale:
            if exclude and name in exclude:
                continue
            if others.filter(**{name: getattr(self, name)}).exists():
                errors[name] = ValidationError(TAKEN[name], code="unique")
        if errors:
            raise ValidationError(errors)
        super().validate_constraints(exclude=exclude)


def _unique_per_locale(model: str, *fields: str) -> list[models.UniqueConstraint]:
    return [
        models.UniqueConstraint(fields=["locale", field], name=f"{model}_{field}_unique_per_locale")
        for field in fields
    ]


class Category(TranslatedSnippet):
    """A programme area: English, GED, IELTS, computer literacy, photography ..."""

    name = models.CharField(_("name"), max_length=80, validators=[single_line])
    # Made from the name when the category is first saved, then kept: it is the value of the
    # catalogue's subject filter (?category=english), so links stay valid after a rename.
    slug = models.SlugField(_("slug"), max_length=80, blank=True)
    description = models.TextField(_("description"), blank=True, validators=[free_text])

    unique_per_locale = ("name", "slug")
    panels = [FieldPanel("name"), FieldPanel("description")]
    search_fields = TranslatedSnippet.search_fields + [
        index.SearchField("name"),
        index.AutocompleteField("name"),
    ]
    # The slug is the subject filter's value (?category=english) in every language: a
    # translation keeps the original's.
    translatable_fields = [
        TranslatableField("name"),
        SynchronizedField("slug", overridable=False),
        TranslatableField("description"),
    ]

    class Meta(TranslatedSnippet.Meta):
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = _unique_per_locale("category", "name", "slug")

    def save(self, *args, **kwargs):
        self.slug_fill()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.slug_fill()

    def slug_fill(self) -> None:
        """Give a new category a slug from its name, unique in its language ("english",
        then "english-2"); a name with no Latin letters gets "category"."""
        if self.slug:
            return
        base = slugify(self.name)[:70] or "category"
        locale_id = self.locale_id or Locale.get_default().pk
        taken = set(
            Category._default_manager.filter(locale_id=locale_id, slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        self.slug = slug


class Partner(TranslatedSnippet):
    """An organisation that teaches or certifies with the centre (e.g. the British Council)."""

    name = models.CharField(_("name"), max_length=120, validators=[single_line])
    website = models.URLField(_("website"), blank=True, validators=[single_line])
    description = models.TextField(_("description"), blank=True, validators=[free_text])

    panels = [FieldPanel("name"), FieldPanel("website"), FieldPanel("description")]
    search_fields = TranslatedSnippet.search_fields + [
        index.SearchField("name"),
        index.AutocompleteField("name"),
    ]

    class Meta(TranslatedSnippet.Meta):
        ordering = ["name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = _unique_per_locale("partner", "name")


class Venue(TranslatedSnippet):
    name = models.CharField(_("name"), max_length=120, validators=[single_line])
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
    search_fields = TranslatedSnippet.search_fields + [
        index.SearchField("name"),
        index.SearchField("district"),
    ]

    class Meta(TranslatedSnippet.Meta):
        ordering = ["name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = _unique_per_locale("venue", "name")
