from enrolment.models.attendance import (
    ATTENDANCE_CODES,
    CODE_FOR_STATUS,
    Attendance,
    AttendanceChange,
    AttendanceStatus,
)
from enrolment.models.calendars import CalendarToken
from enrolment.models.certificates import (
    Certificate,
    CertificateCounter,
    GedSubject,
    Qualification,
    QualificationKind,
    Result,
)
from enrolment.models.consents import Consent, ConsentMethod, ConsentPurpose, StorySubject
from enrolment.models.enrolments import (
    ACTIVE_STATUSES,
    SEAT_HOLDING_STATUSES,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
)
from enrolment.models.messages import (
    Direction,
    Message,
    MessageKind,
    MessageStatus,
    SkipReason,
)
from enrolment.models.payments import PaymentMethod, SponsorshipPayment
from enrolment.models.people import PHONE_INVALID, AgeBand, Channel, Learner, normalise_phone
from enrolment.models.privacy import (
    AccessAction,
    AccessLog,
    CorrectionRequest,
    CorrectionStatus,
)
from enrolment.models.schools import District, Grade, School, SchoolPlacement, SchoolType
from enrolment.models.sponsorship import (
    CostItem,
    Frequency,
    ProgressReport,
    Sponsor,
    Sponsorship,
    SubjectGrade,
    Term,
)

__all__ = [
    "AccessAction",
    "AccessLog",
    "CorrectionRequest",
    "CorrectionStatus",
    "ACTIVE_STATUSES",
    "SEAT_HOLDING_STATUSES",
    "ATTENDANCE_CODES",
    "CODE_FOR_STATUS",
    "Attendance",
    "AttendanceChange",
    "AttendanceStatus",
    "Certificate",
    "Consent",
    "ConsentMethod",
    "ConsentPurpose",
    "StorySubject",
    "CertificateCounter",
    "GedSubject",
    "Qualification",
    "QualificationKind",
    "Result",
    "CalendarToken",
    "Enrolment",
    "EnrolmentEvent",
    "EnrolmentStatus",
    "Learner",
    "AgeBand",
    "Channel",
    "Direction",
    "Message",
    "MessageKind",
    "MessageStatus",
    "SkipReason",
    "CostItem",
    "District",
    "Frequency",
    "Grade",
    "ProgressReport",
    "School",
    "SchoolPlacement",
    "SchoolType",
    "Sponsor",
    "Sponsorship",
    "SponsorshipPayment",
    "PaymentMethod",
    "SubjectGrade",
    "Term",
    "normalise_phone",
    "PHONE_INVALID",
]
