# GED subjects are taken one at a time: each subject's result becomes its own row
# (kind "ged_subject"), and a "ged" row is only ever the diploma.

from django.db import migrations, models

SUBJECTS = ("math", "rla", "science", "social_studies")
PASS = 145


def split_ged_results(apps, schema_editor):
    """Each GED row of four scores becomes four subject results, on the same date and with
    the same reference; the row itself stays only if it was the diploma (the first one, should
    a learner have two)."""
    Qualification = apps.get_model("enrolment", "Qualification")
    with_diploma = set()
    for ged in Qualification.objects.filter(kind="ged").order_by("taken_on", "pk"):
        scores = ged.scores if isinstance(ged.scores, dict) else {}
        Qualification.objects.bulk_create(
            Qualification(
                learner_id=ged.learner_id,
                kind="ged_subject",
                taken_on=ged.taken_on,
                scores={"subject": subject, "score": scores[subject]},
                overall=str(scores[subject]),
                passed=scores[subject] >= PASS,
                reference=ged.reference,
                recorded_by_id=ged.recorded_by_id,
            )
            for subject in SUBJECTS
            if isinstance(scores.get(subject), int)
        )
        if ged.passed and ged.learner_id not in with_diploma:
            with_diploma.add(ged.learner_id)
            ged.overall = "diploma"
            ged.save(update_fields=["overall"])
        else:
            ged.delete()


def join_ged_results(apps, schema_editor):
    """Back to one row of four scores per learner: the diploma keeps its own; a learner
    without one gets a row of each subject's latest score, dated with the latest result."""
    Qualification = apps.get_model("enrolment", "Qualification")
    subjects = Qualification.objects.filter(kind="ged_subject").order_by("taken_on", "pk")
    latest = {}
    for result in subjects:
        latest.setdefault(result.learner_id, {})[result.scores.get("subject")] = result
    with_diploma = set(
        Qualification.objects.filter(kind="ged").values_list("learner_id", flat=True)
    )
    for learner_id, results in latest.items():
        if learner_id in with_diploma:
            continue
        scores = {s: r.scores.get("score") for s, r in results.items() if s in SUBJECTS}
        passed = sum(1 for r in results.values() if r.passed)
        last = max(results.values(), key=lambda r: (r.taken_on, r.pk))
        Qualification.objects.create(
            learner_id=learner_id,
            kind="ged",
            taken_on=last.taken_on,
            scores=scores,
            overall=f"{passed}/4",
            passed=False,
            reference=last.reference,
            recorded_by_id=last.recorded_by_id,
        )
    subjects.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0019_sponsorship_payments"),
    ]

    operations = [
        migrations.AlterField(
            model_name="qualification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("ged", "GED diploma"),
                    ("ged_subject", "GED subject"),
                    ("ielts", "IELTS"),
                    ("partner_level", "Partner's English level"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        # The one-diploma constraint follows in 0024: on PostgreSQL an index cannot be built in
        # the transaction whose rows this data migration just wrote ("pending trigger events").
        migrations.RunPython(split_ged_results, join_ged_results),
    ]
