"""The demo's registers: this term's attendance so far, with a few learners at risk and two
registers not taken."""

import datetime as dt
import hashlib

from cms.management.demo.enrolments import INTAKES
from cms.management.demo.programme import run_code
from courses.choices import SessionStatus
from courses.models import CourseRun
from enrolment.models import Attendance, AttendanceStatus, Enrolment, Learner
from enrolment.services.registers import Mark, register_mark, session_starts_at

# This term's attendance so far. Most learners come, some late or excused now and then; a few
# are slipping away, for the coordinators' at-risk list: "low" comes one class in two (below
# the 80% minimum), "gone" stopped coming three classes ago.
AT_RISK = {
    "computer-first-steps": {"shahida": "low"},
    "english-starters": {"fadumo": "gone"},
    "homework-club": {"christelle": "low"},
}
# Runs whose latest class nobody has taken the register of yet (the teacher forgot).
UNTAKEN = ("english-starters", "homework-club")
LATE_NOTES = ("Bus was late", "Came straight from work", "", "")
EXCUSED_NOTES = ("Doctor's appointment", "Child was sick", "Appointment at Immigration")


def _draw(*parts: object) -> int:
    """A number from 0 to 99, the same for the same parts on every build."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


def _mark(enrolment: Enrolment, *, index: int, held: int, risk: str) -> Mark:
    """The demo's mark for a learner at the index-th of `held` classes held so far."""
    A = AttendanceStatus
    if risk == "low":
        return Mark(A.PRESENT if index % 2 == 0 else A.ABSENT)
    if risk == "gone":
        return Mark(A.ABSENT if index >= held - 3 else A.PRESENT)
    draw = _draw(enrolment.learner.case_reference, enrolment.run.code, index)
    if draw < 84:
        return Mark(A.PRESENT)
    if draw < 92:
        return Mark(A.LATE, LATE_NOTES[draw % len(LATE_NOTES)])
    if draw < 97 or held < 10:
        # One absence in a short history would already put a learner below 80%; only the
        # AT_RISK learners should be at risk.
        return Mark(A.EXCUSED, EXCUSED_NOTES[draw % len(EXCUSED_NOTES)])
    return Mark(A.ABSENT)


def build_attendance(*, copy: int, learners: dict[str, Learner], now: dt.datetime) -> None:
    """Take the registers of this term's classes held so far, as each run's teacher would have
    at the start of the class, except the latest class of the UNTAKEN runs. A class whose
    register has any mark already is left as it is."""
    keys = {learner.pk: key for key, learner in learners.items()}
    for intake in INTAKES:
        if intake.term != 1:
            continue
        run = CourseRun.objects.get(code=run_code(intake.course, copy, 1))
        teacher = run.teachers.first()
        held = [
            session
            for session in run.sessions.filter(status=SessionStatus.SCHEDULED).order_by(
                "date", "start_time"
            )
            if session_starts_at(session) <= now
        ]
        if intake.course in UNTAKEN:
            held = held[:-1]
        marked = set(
            Attendance.objects.filter(session__in=held).values_list("session_id", flat=True)
        )
        risks = AT_RISK.get(intake.course, {})
        seated = list(
            run.enrolments.filter(enrolled_at__isnull=False).select_related("learner", "run")
        )
        for index, session in enumerate(held):
            if session.pk in marked or teacher is None:
                continue
            starts = session_starts_at(session)
            marks = {
                enrolment.pk: _mark(
                    enrolment,
                    index=index,
                    held=len(held),
                    risk=risks.get(keys.get(enrolment.learner_id, ""), ""),
                )
                for enrolment in seated
                if enrolment.enrolled_at < starts
                and (enrolment.left_at is None or enrolment.left_at > starts)
            }
            # Marked ten minutes into the class, by its teacher, as the register page would.
            register_mark(
                session=session, marks=marks, by=teacher, now=starts + dt.timedelta(minutes=10)
            )
