from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import models
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import Substr
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField, TranslatableField

from cms.blocks import BodyBlock
from cms.forms import PageForm
from cms.page_cache import CachedForVisitors
from cms.validators import free_text, single_line
from courses.choices import Audience, Level, Outcome
from courses.models.catalogue import CourseFilter
from courses.models.snippets import originals_only
from courses.models.timetable import CourseRun
from courses.models.translations import LocalizedMixin, translations_attach

COURSES_PER_PAGE = 12
# The catalogue's parameters whose every valid value may be kept in the visitors' cache: a
# few choices each, so the variants stay countable. Free text (q) is never kept.
CACHED_FILTERS = frozenset({"category", "audience", "level", "weekday", "time", "free_seats"})


class CourseIndexPage(CachedForVisitors, Page):
    """The catalogue at /courses/: every live course, filtered by GET parameters."""

    base_form_class = PageForm

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")

    def courses(self):
        """Every live course once, in the visitor's language where it is translated, else in
        the original (English) with `in_original` set. Joins and subqueries only: the number
        of queries does not depend on how many languages or translations there are."""
        today = timezone.localdate()
        # Runs belong to the course, not to one translation of its page.
        upcoming = CourseRun.objects.upcoming(today).filter(
            course__translation_key=OuterRef("translation_key")
        )
        starting = upcoming.filter(start_date__gte=today).order_by("start_date")
        active = get_supported_content_language_variant(translation.get_language() or "en")
        original = get_supported_content_language_variant(settings.LANGUAGE_CODE)
        # The courses under this catalogue or under any of its translations.
        catalogues = Page.objects.filter(translation_key=self.translation_key).values("path")
        courses = (
            CoursePage.objects.live()
            .filter(depth=self.depth + 1)
            .annotate(catalogue_path=Substr("path", 1, len(self.path)))
            .filter(catalogue_path__in=catalogues)
        )
        translated_here = CoursePage.objects.live().filter(
            translation_key=OuterRef("translation_key"), locale__language_code=active
        )
        return (
            courses.filter(
                Q(locale__language_code=active)
                | (Q(locale__language_code=original) & ~Exists(translated_here))
            )
            .select_related("category", "partner", "locale")
            .annotate(
                # The next class a newcomer can join, not one already under way.
                next_start=Subquery(starting.values("start_date")[:1]),
                # Seats a newcomer can take today: a full class, or one under way whose
                # enrolment has closed, is no "Seats free" whatever its count says.
                has_free_seats=Exists(
                    CourseRun.objects.open_for_enrolment(today)
                    .filter(course__translation_key=OuterRef("translation_key"))
                    .with_seats()
                    .filter(seats_left__gt=0)
                    .values("pk")
                ),
                in_original=ExpressionWrapper(
                    ~Q(locale__language_code=active), output_field=BooleanField()
                ),
                original_language=F("locale__language_code"),
            )
            .order_by("title")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course_filter = CourseFilter(request.GET or None, queryset=self.courses())
        paginator = Paginator(course_filter.qs, COURSES_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        page_obj.object_list = list(page_obj.object_list)
        # Each card names its subject in the visitor's language: one query for the page.
        translations_attach(course.category for course in page_obj.object_list)
        context.update(
            filter=course_filter,
            filter_errors=course_filter.errors if course_filter.is_bound else {},
            page_obj=page_obj,
            querystring=_querystring_without_page(request),
        )
        return context

    def visitor_cacheable(self, request, response) -> bool:
        """Only known filters with valid values and a page number that exists, each given once:
        made-up or free-text queries are rendered for the one who asked and not kept."""
        context = getattr(response, "context_data", None) or {}
        course_filter, page_obj = context.get("filter"), context.get("page_obj")
        if course_filter is None or page_obj is None or context.get("filter_errors"):
            return False
        for name, values in request.GET.lists():
            if len(values) > 1 or (name not in CACHED_FILTERS | {"page", "q"}):
                return False
        if request.GET.get("q"):
            return False
        asked_page = request.GET.get("page")
        return asked_page is None or asked_page == str(page_obj.number)


def _querystring_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class CoursePage(CachedForVisitors, LocalizedMixin, Page):
    base_form_class = PageForm

    category = models.ForeignKey(
        "courses.Category",
        on_delete=models.PROTECT,
        null=True,
        limit_choices_to=originals_only,
        related_name="courses",
        verbose_name=_("category"),
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.ADULTS
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.NONE)
    language = models.CharField(
        _("language of instruction"), max_length=40, default="English", validators=[single_line]
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two plain sentences for the catalogue."),
        validators=[free_text],
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("description"))
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hero image"),
    )
    partner = models.ForeignKey(
        "courses.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        limit_choices_to=originals_only,
        related_name="courses",
        verbose_name=_("partner"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.CENTRE_CERTIFICATE
    )
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    minimum_english_level = models.CharField(
        _("minimum English level"),
        max_length=10,
        choices=Level.choices,
        default=Level.NONE,
        help_text=_("Learners below this level cannot enrol."),
    )
    prerequisites = models.TextField(_("prerequisites"), blank=True, validators=[free_text])

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("category"),
                FieldPanel("audience"),
                FieldPanel("level"),
                FieldPanel("language"),
                FieldPanel("partner"),
                FieldPanel("outcome"),
            ],
            heading=_("About the course"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("minimum_age"),
                FieldPanel("minimum_english_level"),
                FieldPanel("prerequisites"),
            ],
            heading=_("Who can join"),
        ),
        FieldPanel("hero_image"),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("body"),
        index.AutocompleteField("summary"),
        index.FilterField("audience"),
        index.FilterField("level"),
        index.RelatedFields("category", [index.SearchField("name")]),
    ]

    # What wagtail-localize would derive, except that a translation points at the same
    # category and partner as the original (not at copies of them): the page shows their
    # translations, and the subject filter matches every translation of a course.
    translatable_fields = [
        TranslatableField("title"),
        TranslatableField("slug"),
        SynchronizedField("show_in_menus"),
        TranslatableField("seo_title"),
        TranslatableField("search_description"),
        SynchronizedField("category", overridable=False),
        SynchronizedField("audience"),
        SynchronizedField("level"),
        TranslatableField("language"),
        TranslatableField("summary"),
        TranslatableField("body"),
        SynchronizedField("hero_image"),
        SynchronizedField("partner", overridable=False),
        SynchronizedField("outcome"),
        SynchronizedField("minimum_age"),
        SynchronizedField("minimum_english_level"),
        TranslatableField("prerequisites"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("course")

    def course_runs(self):
        """The runs of this course, whichever translation of its page is shown: an Arabic
        visitor enrols in the same class as an English one."""
        return CourseRun.objects.filter(course__translation_key=self.translation_key)

    def upcoming_runs(self):
        teachers = get_user_model().objects.order_by("first_name", "last_name")
        return (
            self.course_runs()
            .upcoming()
            .with_seats()
            .select_related("venue")
            .prefetch_related(Prefetch("teachers", queryset=teachers))
            # with_seats() groups rows, which drops the model's default ordering.
            .order_by("start_date", "start_time", "code")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        runs = list(self.upcoming_runs())
        # Subject, partner and every run's venue in the visitor's language, in three queries.
        translations_attach([self.category, self.partner, *(run.venue for run in runs)])
        context["runs"] = runs
        context["today"] = timezone.localdate()
        return context


def courses_once():
    """Each course once, as a staff filter lists it: its page in the site's own language, the
    one its runs belong to (a translation shares them and would repeat the title)."""
    return CoursePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).order_by("title")
