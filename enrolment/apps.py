from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


def _run_saved(sender, instance, created, raw=False, **kwargs):
    # A new run has nobody waiting; a fixture load (raw) is not a change anyone made.
    if not created and not raw:
        from enrolment.services.enrolling import waitlist_promote_after_commit

        waitlist_promote_after_commit(run=instance)


def _seat_changed(sender, raw=False, **kwargs):
    # A seat taken or freed (set_status saves every status change; a learner erased takes
    # their enrolments with them): "seats left" in the visitors' cache is stale.
    if not raw:
        from cms.page_cache import public_pages_changed

        public_pages_changed()


def _session_saving(sender, instance, raw=False, **kwargs):
    # Remember what learners saw, to tell them after the save if it changed.
    instance._state_before = None
    if not raw and instance.pk is not None:
        from enrolment.services.class_notices import session_state

        before = type(instance).objects.filter(pk=instance.pk).first()
        instance._state_before = session_state(before) if before is not None else None


def _session_saved(sender, instance, created, raw=False, **kwargs):
    # Whoever changed the session (the admin, a service, the shell), the class is told.
    if not created and not raw:
        from enrolment.services.class_notices import session_change_announce

        before = getattr(instance, "_state_before", None)
        session_change_announce(session=instance, before=before)
        if before is None:
            return
        _status, old_date, old_start, *_rest = before  # session_state's order
        if (old_date, old_start) != (instance.date, instance.start_time):
            # Moved: its marks may now fall in another order, so runs of absences change.
            from enrolment.services.attendance_totals import session_attendance_refresh

            session_attendance_refresh(session=instance)


def _learner_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or (update_fields is not None and "photo" not in update_fields):
        instance._stored_photo = ""
        return
    from enrolment.services.photos import photo_remember_stored

    photo_remember_stored(learner=instance)


def _learner_saved(sender, instance, raw=False, **kwargs):
    # Whoever replaced or cleared the photo (the admin, a service, the shell), the old file goes.
    if not raw:
        from enrolment.services.photos import photo_discard_replaced

        photo_discard_replaced(learner=instance)


def _learner_deleted(sender, instance, **kwargs):
    if instance.photo.name:
        from enrolment.services.photos import photo_discard

        photo_discard(name=instance.photo.name)


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")

    def ready(self):
        from courses.models import CourseRun, Session
        from enrolment.models import Enrolment, Learner

        post_save.connect(_run_saved, sender=CourseRun, dispatch_uid="enrolment.run_saved")
        post_save.connect(_seat_changed, sender=Enrolment, dispatch_uid="enrolment.seat_saved")
        post_delete.connect(_seat_changed, sender=Enrolment, dispatch_uid="enrolment.seat_gone")
        pre_save.connect(_session_saving, sender=Session, dispatch_uid="enrolment.session_saving")
        post_save.connect(_session_saved, sender=Session, dispatch_uid="enrolment.session_saved")
        pre_save.connect(_learner_saving, sender=Learner, dispatch_uid="enrolment.learner_saving")
        post_save.connect(_learner_saved, sender=Learner, dispatch_uid="enrolment.learner_saved")
        post_delete.connect(
            _learner_deleted, sender=Learner, dispatch_uid="enrolment.learner_deleted"
        )
