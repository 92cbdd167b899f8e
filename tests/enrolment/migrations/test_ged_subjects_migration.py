"""GED results recorded four subjects at a time before subjects could be recorded one by one
are kept: each becomes four subject results, and only a diploma stays a diploma
(enrolment 0018)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from enrolment.models import Qualification, QualificationKind
from enrolment.services.qualifications import qualification_record_ged_subject

BEFORE = [("enrolment", "0017_attendance_support_and_demographics")]
K = QualificationKind


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_score_ged_results_become_subject_results_and_diplomas_stay():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Learner = old.get_model("enrolment", "Learner")
    OldQualification = old.get_model("enrolment", "Qualification")
    yusuf = Learner.objects.create(preferred_name="Yusuf", date_of_birth=dt.date(1990, 1, 1))
    samira = Learner.objects.create(preferred_name="Samira", date_of_birth=dt.date(1992, 1, 1))
    taken_on = dt.date(2026, 5, 1)
    diploma = OldQualification.objects.create(
        learner=yusuf,
        kind="ged",
        taken_on=taken_on,
        scores={"math": 162, "rla": 171, "science": 158, "social_studies": 149},
        overall="diploma",
        passed=True,
        reference="G-1",
    )
    OldQualification.objects.create(
        learner=samira,
        kind="ged",
        taken_on=taken_on,
        scores={"math": 138, "rla": 152, "science": 147, "social_studies": 155},
        overall="3/4",
        passed=False,
        reference="G-2",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert list(Qualification.objects.filter(kind=K.GED).values_list("pk", flat=True)) == [
        diploma.pk
    ]
    subjects = Qualification.objects.filter(kind=K.GED_SUBJECT)
    assert subjects.filter(learner_id=yusuf.pk, passed=True).count() == 4
    samiras = {q.scores["subject"]: q for q in subjects.filter(learner_id=samira.pk)}
    assert {s: (q.scores["score"], q.passed) for s, q in samiras.items()} == {
        "math": (138, False),
        "rla": (152, True),
        "science": (147, True),
        "social_studies": (155, True),
    }
    assert all(q.taken_on == taken_on and q.reference == "G-2" for q in samiras.values())

    # Samira's Mathematical Reasoning, passed since, brings her diploma.
    recorded = qualification_record_ged_subject(
        learner=Qualification.objects.get(pk=samiras["math"].pk).learner,
        subject="math",
        score=150,
        taken_on=dt.date(2026, 9, 1),
        by=None,
    )
    assert recorded.diploma is not None
    assert recorded.diploma.taken_on == dt.date(2026, 9, 1)

    # Back again: one row of four scores per learner, the subject results gone.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    rows = old.get_model("enrolment", "Qualification").objects.order_by("learner__preferred_name")
    assert [(row.kind, row.learner.preferred_name, row.passed) for row in rows] == [
        ("ged", "Samira", True),
        ("ged", "Yusuf", True),
    ]
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # as the other tests expect it
