from enrolment.models.enrolments import Enrolment, EnrolmentStatus
from enrolment.models.people import Learner

__all__ = ["Enrolment", "EnrolmentStatus", "Learner"]
