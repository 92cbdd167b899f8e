"""Background work: emails to learners, sent after the change they announce has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from enrolment.models import Enrolment

KINDS = {"enrolled", "waitlisted", "applied", "promoted", "declined", "withdrawn"}


@task()
def send_enrolment_email(enrolment_id: int, kind: str) -> bool:
    """Email the learner about their enrolment, in their language. No email address, no mail."""
    enrolment = (
        Enrolment.objects.select_related("learner", "run", "run__course", "run__venue")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not enrolment.learner.email or kind not in KINDS:
        return False
    with translation.override(enrolment.learner.preferred_language):
        context = {"enrolment": enrolment, "kind": kind, "base_url": settings.WAGTAILADMIN_BASE_URL}
        subject = render_to_string("enrolment/email/subject.txt", context).strip()
        body = render_to_string("enrolment/email/body.txt", context)
    send_mail(subject, body, None, [enrolment.learner.email])
    return True


@task()
def send_message(subject: str, body: str, to: str) -> bool:
    """Send an email already written for its reader (a password reset link, for example)."""
    send_mail(subject, body, None, [to])
    return True
