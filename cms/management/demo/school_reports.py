"""The schools' term reports of the demo's sponsored children: grades, the teacher's comment
and the caseworker's note, shared with sponsors where the family agreed."""

import datetime as dt
import hashlib

from enrolment.models import Grade, Learner, ProgressReport, SubjectGrade, Term
from enrolment.services.sponsorship import report_save, report_share

# When each term's report comes home: (years after the school year's start, month, day).
# Reports exist for the terms whose report day has passed.
REPORT_DAYS = {Term.FIRST: (0, 12, 20), Term.SECOND: (1, 4, 1), Term.THIRD: (1, 7, 10)}
# The child whose newest report a coordinator has not reviewed yet: it stays unshared.
AWAITING_REVIEW = "kavin"

SUBJECTS = {
    "kindergarten": ("Language", "Early mathematics", "Arts and music"),
    "primary": ("English", "Chinese", "Mathematics", "General Studies"),
    "secondary": (
        "English Language",
        "Chinese Language",
        "Mathematics",
        "Citizenship and Social Development",
        "Science",
    ),
}
# Where each subject starts on LETTERS: Chinese is the hardest for most of these children.
SUBJECT_BASE = {"English": 4, "Chinese": 1, "Mathematics": 3}
LETTERS = ("C", "C+", "B-", "B", "B+", "A-", "A")
TEACHER_COMMENTS = (
    "Works hard in class and asks for help when unsure. Reading in English has come on well; "
    "Chinese writing needs daily practice.",
    "A cheerful member of the class who gets on well with others. Homework is handed in on "
    "time. Should keep practising times tables.",
    "Has settled well this term and takes part in group work. Spoken Cantonese is improving; "
    "encouraged to read more at home.",
    "Careful and thoughtful work, especially in mathematics. Could speak up more in discussions.",
    "Shows real effort and a good attitude. Some absences this term; catching up with the "
    "missed work.",
)
CASEWORKER_NOTES = (
    "Mother asked about help with the school's lunch payments; referred to the school social "
    "worker. Housing still uncertain after the last rent increase.",
    "Father attended the parents' meeting with an interpreter. Family's protection claim "
    "interview postponed again; the child has been anxious about it.",
    "Missed a week with a chest infection; the clinic visit was arranged through the centre. "
    "No concerns at home reported.",
    "Family moved to a smaller flat further from school; transport costs have gone up. "
    "Check whether the bus pass is still needed next term.",
)


def _draw(*parts: object) -> int:
    """A number from 0 to 99, the same for the same parts on every build."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100


def _grades(child: Learner, level: str, year: int, term: int) -> list[tuple[str, str]]:
    lines = []
    for subject in SUBJECTS[level]:
        base = SUBJECT_BASE.get(subject.split()[0], 3) + (term - 1) // 2
        index = base + _draw(child.case_reference, year, term, subject) % 3 - 1
        lines.append((subject, LETTERS[max(0, min(index, len(LETTERS) - 1))]))
    return lines


def _level(grade: int) -> str:
    if grade <= Grade.K3:
        return "kindergarten"
    return "primary" if grade <= Grade.P6 else "secondary"


def build_reports(*, child: Learner, coordinator, today: dt.date, key: str) -> None:
    """The school's reports for the terms that have ended since the child's first recorded
    school place; shared where the family agreed, except a newest one awaiting review."""
    issued = []
    for placement in child.placements.order_by("school_year"):
        for term, (offset, month, day) in REPORT_DAYS.items():
            if dt.date(placement.school_year + offset, month, day) <= today:
                issued.append((placement, term))
    for number, (placement, term) in enumerate(issued):
        year = placement.school_year
        report = ProgressReport.objects.filter(child=child, school_year=year, term=term).first()
        if report is None:
            draw = _draw(child.case_reference, year, term)
            report = ProgressReport(
                child=child,
                school_year=year,
                term=term,
                school_attendance_percent=86 + draw % 13,
                teacher_comment=TEACHER_COMMENTS[draw % len(TEACHER_COMMENTS)],
                caseworker_note=CASEWORKER_NOTES[draw % len(CASEWORKER_NOTES)],
                grades=[
                    SubjectGrade(subject=subject, grade=grade)
                    for subject, grade in _grades(child, _level(placement.grade), year, term)
                ],
            )
            report = report_save(report=report, by=coordinator).report
        newest = number == len(issued) - 1
        if (
            child.consent_share_progress
            and not report.shared_with_sponsors
            and not (newest and key == AWAITING_REVIEW)
        ):
            report_share(report=report, by=coordinator)
