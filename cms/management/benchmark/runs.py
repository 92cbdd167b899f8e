"""Runs the benchmark builds for itself, each modelled on one of the demo's: a class of as
many learners and held classes as a scenario needs."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.management.benchmark.harness import BenchmarkError
from cms.roles import TEACHERS
from courses.choices import RunMode, RunStatus
from courses.models import CourseRun, Session
from enrolment.models import Enrolment, EnrolmentStatus, Learner


def model_run() -> CourseRun:
    model = (
        CourseRun.objects.filter(mode=RunMode.OPEN, status=RunStatus.PUBLISHED)
        .select_related("course", "venue")
        .first()
    )
    if model is None:
        raise BenchmarkError("The benchmark needs a published open run; build the demo first.")
    return model


def next_code(prefix: str) -> str:
    return f"{prefix}-{CourseRun.objects.filter(code__startswith=f'{prefix}-').count() + 1}"


def class_with_learners(*, learners: int, sessions: int, prefix: str):
    """A published run of ``learners`` seated learners and ``sessions`` classes already held
    (one a day, the latest yesterday), taught by a teacher of its own. Returns (run, teacher)."""
    model = model_run()
    code = next_code(prefix)
    teacher = get_user_model().objects.create(username=f"bench.{code.lower()}", first_name="Bench")
    teacher.groups.add(Group.objects.get(name=TEACHERS))
    today = timezone.localdate()
    first = today - dt.timedelta(days=sessions)
    run = CourseRun.objects.create(
        course=model.course,
        code=code,
        start_date=first,
        end_date=today + dt.timedelta(weeks=4),
        weekdays="0123456",
        start_time=model.start_time,
        end_time=model.end_time,
        venue=model.venue,
        capacity=max(learners, 1),
        mode=RunMode.OPEN,
        status=RunStatus.PUBLISHED,
    )
    run.teachers.add(teacher)
    Session.objects.bulk_create(
        Session(
            run=run,
            scheduled_date=first + dt.timedelta(days=n),
            date=first + dt.timedelta(days=n),
            start_time=run.start_time,
            end_time=run.end_time,
        )
        for n in range(sessions)
    )
    people = Learner.objects.bulk_create(
        Learner(preferred_name=f"Learner {n:03d} {code}", date_of_birth=dt.date(1990, 1, 1))
        for n in range(1, learners + 1)
    )
    seated = timezone.make_aware(dt.datetime.combine(first - dt.timedelta(days=7), dt.time(10)))
    Enrolment.objects.bulk_create(
        Enrolment(learner=person, run=run, status=EnrolmentStatus.ENROLLED, enrolled_at=seated)
        for person in people
    )
    return run, teacher
