from enrolment.models.enrolments import (
    ACTIVE_STATUSES,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
)
from enrolment.models.people import Learner, normalise_phone

__all__ = [
    "ACTIVE_STATUSES",
    "Enrolment",
    "EnrolmentEvent",
    "EnrolmentStatus",
    "Learner",
    "normalise_phone",
]
