from enrolment.models.attendance import (
    ATTENDANCE_CODES,
    CODE_FOR_STATUS,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
)
from enrolment.models.enrolments import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
)
from enrolment.models.people import Learner, normalise_phone

__all__ = [
    "ACTIVE_STATUSES",
    "ATTENDANCE_CODES",
    "CODE_FOR_STATUS",
    "Attendance",
    "AttendanceChange",
    "AttendanceStatus",
    "Enrolment",
    "EnrolmentEvent",
    "EnrolmentStatus",
    "Learner",
    "normalise_phone",
]
