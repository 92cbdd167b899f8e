"""Who looked, in the demo: a few days of the coordinator's work in the access log (opening
Amina's record and a sponsored child's, downloading a certificate, exporting the learners and
the funding list), so that the Data protection login finds something to filter. Written once:
a database that has the coordinator's rows already is left as it is."""

import datetime as dt

from django.utils import timezone

from enrolment.models import AccessAction, AccessLog, Certificate, Learner
from enrolment.services.access_log import access_log_record

# (days ago, action, learner key or "", what, rows as a count of learners or None)
LOOKS = [
    (6, AccessAction.VIEWED, "amina", "learners:edit", None),
    (5, AccessAction.VIEWED, "ikram", "learners:edit", None),
    (5, AccessAction.VIEWED, "ikram", "placements:edit", None),
    (3, AccessAction.EXPORTED, "", "learners.xlsx", "learners"),
    (2, AccessAction.DOWNLOADED, "amina", "certificate_pdf", None),
    (1, AccessAction.EXPORTED, "", "funding.xlsx", 9),
]


def build_access_log(*, learners: dict[str, Learner], coordinator) -> None:
    if AccessLog.objects.filter(user=coordinator).exists():
        return
    now = timezone.now()
    for days, action, key, what, rows in LOOKS:
        learner = learners.get(key) if key else None
        if key and learner is None:
            continue
        if what == "certificate_pdf":
            certificate = Certificate.objects.filter(enrolment__learner=learner).first()
            if certificate is None:
                continue
            what = f"certificate_pdf {certificate.number}"
        if rows == "learners":
            rows = Learner.objects.count()
        log = access_log_record(
            user=coordinator, action=action, learner=learner, what=what, rows=rows
        )
        # Spread over the past week, in office hours, as the work was done.
        at = (now - dt.timedelta(days=days)).replace(hour=2 + days, minute=15)
        AccessLog.objects.filter(pk=log.pk).update(at=at)
