"""A child with something on file in every section of a data-access copy, and another
learner with the same kinds of record, whose values must never appear in the child's copy."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone
from wagtail.log_actions import log

from enrolment.models import (
    Attendance,
    AttendanceStatus,
    Certificate,
    CorrectionRequest,
    EnrolmentEvent,
    EnrolmentStatus,
    Message,
    Qualification,
    QualificationKind,
    Result,
)
from enrolment.services.access_log import access_log_viewed
from tests.factories import (
    ChildFactory,
    CourseRunFactory,
    EnrolmentFactory,
    LearnerFactory,
    ProgressReportFactory,
    SchoolFactory,
    SchoolPlacementFactory,
    SessionFactory,
    SponsorFactory,
    SponsorshipFactory,
    SubjectGradeFactory,
    UserFactory,
)


def person_with_everything(learner, *, tag: str, staff, catalogue=None) -> dict[str, str]:
    """Records of every kind for `learner`, each carrying `tag`; the values to look for."""
    today = timezone.localdate()
    run = CourseRunFactory(
        code=f"RUN-{tag}",
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=2),
        **({"course__parent": catalogue} if catalogue else {}),
    )
    session = SessionFactory(run=run, date=today - dt.timedelta(days=20))
    enrolment = EnrolmentFactory(
        learner=learner,
        run=run,
        status=EnrolmentStatus.COMPLETED,
        interpreter_language=f"Tigrinya-{tag}",
    )
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        from_status=EnrolmentStatus.ENROLLED,
        to_status=EnrolmentStatus.COMPLETED,
        by=staff,
        reason=f"Finished-{tag}",
    )
    Attendance.objects.create(
        enrolment=enrolment,
        session=session,
        status=AttendanceStatus.LATE,
        note=f"Bus-{tag}",
        marked_by=staff,
        marked_at=timezone.now(),
    )
    Result.objects.create(
        enrolment=enrolment,
        score=77,
        passed=True,
        comment=f"Well done {tag}",
        recorded_by=staff,
        recorded_at=timezone.now(),
    )
    Certificate.objects.create(
        enrolment=enrolment,
        number=f"HLC-{tag}",
        year=2030,
        sequence=abs(hash(tag)) % 100000,
        verification_code=f"code-{tag}",
        holder_name=learner.legal_name,
        course_title=run.course.title,
        start_date=run.start_date,
        end_date=run.end_date,
        issued_at=timezone.now(),
    )
    Qualification.objects.create(
        learner=learner,
        kind=QualificationKind.IELTS,
        taken_on=today - dt.timedelta(days=40),
        scores={"listening": "6.5", "reading": "6.0", "writing": "5.5", "speaking": "6.0"},
        overall="6.0",
        passed=True,
        reference=f"IELTS-{tag}",
    )
    Message.objects.create(
        learner=learner, channel="sms", kind="enrolled", language="en", body=f"Welcome {tag}"
    )
    placement = SchoolPlacementFactory(child=learner, school=SchoolFactory(name=f"School {tag}"))
    sponsor = SponsorFactory(
        user=UserFactory(username=f"sponsor-{tag}", groups=["Sponsors"]),
        display_name=f"Friends of {tag}",
    )
    SponsorshipFactory(sponsor=sponsor, child=learner)
    report = ProgressReportFactory(
        child=learner, teacher_comment=f"Reads well {tag}", caseworker_note=f"Shelter {tag}"
    )
    SubjectGradeFactory(report=report, subject=f"Maths-{tag}", grade="A")
    CorrectionRequest.objects.create(learner=learner, text=f"My birthday is wrong {tag}")
    access_log_viewed(user=staff, learner=learner, what=f"learners:edit-{tag}")
    log(instance=learner, action="enrolment.learner.edit", user=staff, data={"fields": [tag]})
    return {
        "interpreter": f"Tigrinya-{tag}",
        "event": f"Finished-{tag}",
        "attendance": f"Bus-{tag}",
        "result": f"Well done {tag}",
        "certificate": f"HLC-{tag}",
        "qualification": f"IELTS-{tag}",
        "message": f"Welcome {tag}",
        "school": placement.school.name,
        "sponsor": f"Friends of {tag}",
        "report": f"Reads well {tag}",
        "grade": f"Maths-{tag}",
        "correction": f"My birthday is wrong {tag}",
        "access_log": f"learners:edit-{tag}",
        "history": f'"fields": ["{tag}"]',
        "case_reference": learner.case_reference,
        "caseworker_note": f"Shelter {tag}",
    }


def build(staff, catalogue=None) -> SimpleNamespace:
    account = UserFactory(username="amina.account", groups=["Learners"])
    child = ChildFactory(
        user=account,
        preferred_name="Amina",
        legal_name="Amina Hassan Warsame",
        phone="+85291234000",
        case_reference="CASE-AMINA-77",
    )
    other = LearnerFactory(
        preferred_name="Zainab",
        legal_name="Zainab Otherperson",
        phone="+85291234999",
        case_reference="CASE-ZAINAB-99",
    )
    return SimpleNamespace(
        child=child,
        other=other,
        values=person_with_everything(child, tag="AMINA", staff=staff, catalogue=catalogue),
        other_values=person_with_everything(other, tag="ZAINAB", staff=staff, catalogue=catalogue),
    )
