"""A certificate earned the way the centre issues them: a learner takes a seat in a run, comes
to its classes, the run ends and is closed, and a coordinator issues the certificate."""

import datetime as dt
import itertools

from django.utils import timezone
from django.utils.text import slugify

from courses.models import Partner
from enrolment.models import AttendanceStatus, Certificate, Learner
from enrolment.services.certification import certificate_issue, run_close
from enrolment.services.enrolling import enrolment_create
from enrolment.services.registers import Mark, register_mark
from tests.factories import CoursePageFactory, CourseRunFactory, SessionFactory

_courses = itertools.count(1)


def certificate_earned(
    *,
    learner: Learner,
    by,
    course_title: str = "English for work",
    partner_name: str = "",
    weeks: int = 4,
) -> Certificate:
    """`by` is a coordinator: they mark the registers, close the run and issue."""
    today = timezone.localdate()
    run = CourseRunFactory(
        course=CoursePageFactory(
            title=course_title,
            slug=f"{slugify(course_title)}-{next(_courses)}",
            partner=Partner.objects.get_or_create(name=partner_name)[0] if partner_name else None,
        ),
        start_date=today - dt.timedelta(weeks=weeks, days=1),
        end_date=today - dt.timedelta(days=1),
        min_attendance_percent=75,
        enrolment_opens=None,
        enrolment_closes=None,
    )
    enrolment = enrolment_create(
        learner=learner, run=run, by=None, today=run.start_date - dt.timedelta(days=1)
    )
    enrolment.enrolled_at = timezone.make_aware(
        dt.datetime.combine(run.start_date - dt.timedelta(days=1), dt.time(9))
    )
    enrolment.save()
    for week in range(weeks):
        session = SessionFactory(run=run, date=run.start_date + dt.timedelta(weeks=week))
        register_mark(session=session, marks={enrolment.pk: Mark(AttendanceStatus.PRESENT)}, by=by)
    run_close(run=run, by=by)
    enrolment.refresh_from_db()
    return certificate_issue(enrolment=enrolment, by=by)
