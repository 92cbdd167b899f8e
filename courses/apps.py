from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _shown_to_visitors_changed(sender, raw=False, **kwargs):
    # A run's dates, seats or status, a session, or a subject's, partner's or venue's name:
    # the catalogue and course pages in the visitors' cache are stale (cms.page_cache).
    if not raw:
        from cms.page_cache import public_pages_changed

        public_pages_changed()


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from courses.models import Category, CourseRun, Partner, Session, Venue

        for model in (CourseRun, Session, Category, Partner, Venue):
            for signal in (post_save, post_delete):
                signal.connect(
                    _shown_to_visitors_changed,
                    sender=model,
                    dispatch_uid=f"courses.visitors_cache.{model.__name__}.{signal is post_save}",
                )
