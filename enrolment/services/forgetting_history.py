"""The history (Wagtail's log entries) of a person being forgotten.

Each entry keeps a `label`, the object's name when it was written ("Yusuf A. (L12)",
"Yusuf A. (L12) – ENG-A1-01"), and sometimes `data` (which fields changed; a reason typed by
staff). The entries stay, so that who did what and when is still known; their labels are
written again from the objects as they are now, and their data keeps field names only.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import ModelLogEntry

from enrolment.models import (
    Attendance,
    Certificate,
    Enrolment,
    Learner,
    Message,
    ProgressReport,
    Qualification,
    SchoolPlacement,
    Sponsorship,
)

LABEL_MAX_LENGTH = ModelLogEntry._meta.get_field("label").max_length
# Data keys that hold names of fields, never their values (enrolment.admin.log_actions).
KEPT_DATA = ("fields",)


def _records_about(learner: Learner) -> dict[type, list[int]]:
    enrolments = Enrolment.objects.filter(learner=learner)
    return {
        get_user_model(): [learner.user_id] if learner.user_id else [],
        Learner: [learner.pk],
        Enrolment: list(enrolments.values_list("pk", flat=True)),
        Attendance: list(
            Attendance.objects.filter(enrolment__in=enrolments).values_list("pk", flat=True)
        ),
        Certificate: list(
            Certificate.objects.filter(enrolment__in=enrolments).values_list("pk", flat=True)
        ),
        Qualification: list(learner.qualifications.values_list("pk", flat=True)),
        Message: list(Message.objects.filter(learner=learner).values_list("pk", flat=True)),
        Sponsorship: list(learner.sponsorships.values_list("pk", flat=True)),
        SchoolPlacement: list(learner.placements.values_list("pk", flat=True)),
        ProgressReport: list(learner.progress_reports.values_list("pk", flat=True)),
    }


def _object_names(entries) -> dict[tuple[int, str], str]:
    """Each entry's object named as it is now, by (content type, object id)."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for entry in entries:
        wanted[entry.content_type_id].add(entry.object_id)
    names = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            names[(type_id, str(obj.pk))] = str(obj)[:LABEL_MAX_LENGTH]
    return names


def history_forget(*, learner: Learner, former_list_name: str, former: list[str]) -> int:
    """Write again the labels and data of every entry about `learner` (already anonymised)
    or one of their records, and of any other entry whose label named them; returns how
    many changed."""
    about = Q()
    for model, pks in _records_about(learner).items():
        if pks:
            content_type = ContentType.objects.get_for_model(model)
            about |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    entries = list(ModelLogEntry.objects.filter(about | Q(label__contains=former_list_name)))
    names = _object_names(entries)
    changed = 0
    for entry in entries:
        label = names.get((entry.content_type_id, entry.object_id))
        if label is None:  # an object since deleted: only the former values go
            label = entry.label.replace(former_list_name, learner.list_name)
            for value in former:
                label = label.replace(value, "–")
        data = entry.data or {}
        data = {key: data[key] for key in KEPT_DATA if key in data}
        if (label, data) != (entry.label, entry.data or {}):
            ModelLogEntry.objects.filter(pk=entry.pk).update(label=label, data=data)
            changed += 1
    return changed
