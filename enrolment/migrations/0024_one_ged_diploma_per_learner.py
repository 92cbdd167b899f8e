"""A learner holds at most one GED diploma (issue 14). Apart from 0020, which rewrites the GED
results: PostgreSQL cannot build the constraint's index in the transaction that wrote them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enrolment", "0023_data_protection_group"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="qualification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "ged")),
                fields=("learner",),
                name="one_ged_diploma_per_learner",
            ),
        ),
    ]
