from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


def _run_saved(sender, instance, created, raw=False, **kwargs):
    # A new run has nobody waiting; a fixture load (raw) is not a change anyone made.
    if not created and not raw:
        from enrolment.services.enrolling import waitlist_promote_after_commit

        waitlist_promote_after_commit(run=instance)


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self):
        from courses.models import CourseRun

        post_save.connect(_run_saved, sender=CourseRun, dispatch_uid="enrolment.run_saved")
