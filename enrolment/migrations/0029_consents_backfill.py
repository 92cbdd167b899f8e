"""A row for each consent recorded before consents had a history: given when messages were
agreed to (or when the learner was registered), in person, by whoever recorded the messages
consent. A STOP already replied closes the messages row by reply."""

from django.db import migrations
from django.db.models import Q

PURPOSE_FIELDS = {"photo": "consent_photo", "share_progress": "consent_share_progress"}


def backfill(apps, schema_editor):
    Learner = apps.get_model("enrolment", "Learner")
    Consent = apps.get_model("enrolment", "Consent")
    rows = []
    learners = Learner.objects.filter(
        Q(consent_photo=True)
        | Q(consent_share_progress=True)
        | Q(messages_consent_at__isnull=False)
    )
    for learner in learners.order_by("pk").iterator(chunk_size=500):
        given_at = learner.messages_consent_at or learner.created_at
        for purpose, field in PURPOSE_FIELDS.items():
            if getattr(learner, field):
                rows.append(
                    Consent(
                        learner_id=learner.pk,
                        purpose=purpose,
                        given_at=given_at,
                        given_by_id=learner.messages_consent_by_id,
                        method="in_person",
                    )
                )
        if learner.messages_consent_at is not None:
            stopped = learner.messages_stopped_at
            rows.append(
                Consent(
                    learner_id=learner.pk,
                    purpose="messages",
                    given_at=learner.messages_consent_at,
                    given_by_id=learner.messages_consent_by_id,
                    method="in_person",
                    withdrawn_at=stopped,
                    withdrawn_method="reply" if stopped else "",
                )
            )
        if len(rows) >= 1000:
            Consent.objects.bulk_create(rows)
            rows = []
    Consent.objects.bulk_create(rows)


def unfill(apps, schema_editor):
    # The learners' own fields still hold the state: the rows can go.
    apps.get_model("enrolment", "Consent").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0028_consents")]

    operations = [migrations.RunPython(backfill, unfill)]
