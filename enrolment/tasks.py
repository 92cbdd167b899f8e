"""Background work, run by the task queue's worker after the change it follows has committed.
The messages' own task, `deliver_message`, lives with the rules it runs, in
enrolment.services.messaging."""

from django.core.mail import send_mail
from django_tasks import task


@task()
def send_message(subject: str, body: str, to: str) -> bool:
    """Send an email already written for its reader (a password reset link, for example)."""
    send_mail(subject, body, None, [to])
    return True
