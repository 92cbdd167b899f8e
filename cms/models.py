from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from cms.blocks import BodyBlock, ProgrammeAreaBlock
from cms.forms import PageForm
from cms.page_cache import CachedForVisitors
from cms.validators import free_text, sane_year, single_line


class HomePage(CachedForVisitors, Page):
    """Who the centre serves, its programmes, featured courses, a story and how to get help."""

    base_form_class = PageForm

    intro = models.TextField(_("introduction"), max_length=500, blank=True, validators=[free_text])
    who_we_serve = RichTextField(_("who we serve"), blank=True, features=["bold", "link", "ul"])
    programme_areas = StreamField(
        [("area", ProgrammeAreaBlock())], blank=True, verbose_name=_("programme areas")
    )
    featured_courses = StreamField(
        [("course", blocks.PageChooserBlock(page_type="courses.CoursePage"))],
        blank=True,
        max_num=6,
        verbose_name=_("featured courses"),
    )
    featured_story = models.ForeignKey(
        "cms.StoryPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("featured learner story"),
    )
    get_help = RichTextField(_("how to get help"), blank=True, features=["bold", "link", "ul"])

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("who_we_serve"),
        FieldPanel("programme_areas"),
        FieldPanel("featured_courses"),
        FieldPanel("featured_story"),
        FieldPanel("get_help"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseIndexPage", "cms.StandardPage", "cms.StoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Each chosen page in the visitor's language where it is translated (.localized),
        # else the original, marked so that the card says "(in English)".
        courses = [block.value.localized for block in self.featured_courses if block.value]
        for course in courses:
            course.in_original = course.locale_id != self.locale_id
            course.original_language = course.locale.language_code if course.in_original else ""
        context["featured_courses"] = [course for course in courses if course.live]
        story = self.featured_story.localized if self.featured_story else None
        context["story"] = story if story and story.live and story.consent_given else None
        return context


class StandardPage(Page):
    base_form_class = PageForm

    introduction = models.TextField(
        _("introduction"), max_length=500, blank=True, validators=[free_text]
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]
    subpage_types = ["cms.StandardPage", "cms.StoryPage"]

    class Meta:
        verbose_name = _("standard page")


class StoryPage(Page):
    """A learner's story. It is served only while the learner's written consent is recorded."""

    base_form_class = PageForm

    learner_name = models.CharField(
        _("name as the learner wishes it shown"),
        max_length=80,
        help_text=_("A first name or a chosen name; never a family name without consent."),
        validators=[single_line],
    )
    quote = models.TextField(_("quote"), max_length=300, validators=[free_text])
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("story"))
    consent_given = models.BooleanField(
        _("the learner gave written consent to publish this story"), default=False
    )
    consent_date = models.DateField(
        _("date of consent"), null=True, blank=True, validators=[sane_year]
    )

    content_panels = Page.content_panels + [
        FieldPanel("learner_name"),
        FieldPanel("quote"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("consent_given"), FieldPanel("consent_date")], heading=_("Consent")
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("quote")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("learner story")
        verbose_name_plural = _("learner stories")

    def clean(self):
        super().clean()
        if self.consent_given and not self.consent_date:
            raise ValidationError({"consent_date": _("Give the date the learner consented.")})

    def serve(self, request, *args, **kwargs):
        # Consent can be withdrawn after publishing: the story disappears at once.
        if not self.consent_given:
            raise Http404
        return super().serve(request, *args, **kwargs)


@register_setting(icon="site")
class CentreSettings(BaseSiteSetting):
    """The centre's contacts, shown in every page's footer and on the home page."""

    centre_name = models.CharField(
        _("centre name"), max_length=120, blank=True, validators=[single_line]
    )
    address = models.TextField(_("address"), blank=True, validators=[free_text])
    opening_hours = models.TextField(_("opening hours"), blank=True, validators=[free_text])
    phone = models.CharField(_("phone"), max_length=40, blank=True, validators=[single_line])
    whatsapp = models.CharField(_("WhatsApp"), max_length=40, blank=True, validators=[single_line])
    email = models.EmailField(_("email"), blank=True)

    panels = [
        FieldPanel("centre_name"),
        FieldPanel("address"),
        FieldPanel("opening_hours"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("whatsapp"), FieldPanel("email")],
            heading=_("Contacts"),
        ),
    ]

    class Meta:
        verbose_name = _("centre settings")
