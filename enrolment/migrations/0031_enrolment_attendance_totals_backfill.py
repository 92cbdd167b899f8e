"""Count the marks already on file into each enrolment's stored totals.

The rule is frozen here as it stood (enrolment.services.attendance_totals): late counts as
attended, an excused absence counts neither way and does not break a run of absences.
Enrolments are done 2,000 at a time, so millions of marks never sit in memory at once.
"""

from django.db import migrations

CHUNK = 2000
ATTENDED = ("present", "late")


def _totals(marks):
    counts = {"present": 0, "late": 0, "excused": 0, "absent": 0}
    in_a_row, last = 0, None
    for status, day in marks:  # in session order
        counts[status] += 1
        if status == "absent":
            in_a_row += 1
        elif status != "excused":
            in_a_row = 0
        if status in ATTENDED:
            last = day
    return {
        "marks_present": counts["present"],
        "marks_late": counts["late"],
        "marks_excused": counts["excused"],
        "marks_absent": counts["absent"],
        "absences_in_a_row": in_a_row,
        "last_attended": last,
    }


def backfill(apps, schema_editor):
    Enrolment = apps.get_model("enrolment", "Enrolment")
    Attendance = apps.get_model("enrolment", "Attendance")
    marked = (
        Attendance.objects.order_by("enrolment_id")
        .values_list("enrolment_id", flat=True)
        .distinct()
    )
    ids = list(marked)
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first : first + CHUNK]
        marks = {pk: [] for pk in chunk}
        rows = (
            Attendance.objects.filter(enrolment_id__in=chunk)
            .order_by("enrolment_id", "session__date", "session__start_time", "session_id")
            .values_list("enrolment_id", "status", "session__date")
        )
        for enrolment_id, status, day in rows:
            marks[enrolment_id].append((status, day))
        enrolments = list(Enrolment.objects.filter(pk__in=chunk).only("pk"))
        for enrolment in enrolments:
            for field, value in _totals(marks[enrolment.pk]).items():
                setattr(enrolment, field, value)
        Enrolment.objects.bulk_update(
            enrolments,
            [
                "marks_present",
                "marks_late",
                "marks_excused",
                "marks_absent",
                "absences_in_a_row",
                "last_attended",
            ],
        )


class Migration(migrations.Migration):
    dependencies = [("enrolment", "0030_enrolment_attendance_totals")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
