"""Everything the centre holds about one person, a section at a time.

Each section is a small function of (learner, include_sensitive) returning a Section; SECTIONS
lists them in the order the file presents them. A new kind of record about a person (a
history of consents, say) is one more function added to that list.

Left out on purpose: the payments a sponsor sends (the sponsor's data, not the child's; the
sponsorship itself, with the sponsor's name, is here, since the person has a right to know who
received their data) and passwords (never held in a form anyone can read).
"""

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from wagtail.models import ModelLogEntry

from enrolment.models import Certificate, CostItem, Learner
from enrolment.services.subject_access.records import Section

SectionFunction = Callable[[Learner, bool], Section]

PROFILE_FIELDS = [
    "preferred_name",
    "legal_name",
    "date_of_birth",
    "languages",
    "preferred_language",
    "english_level",
    "gender",
    "region_of_origin",
    "phone",
    "email",
    "guardian_name",
    "guardian_phone",
    "guardian_relationship",
    "photo",
    "case_reference",
    "created_at",
    "updated_at",
]


def profile(learner: Learner, include_sensitive: bool) -> Section:
    section = Section("profile", _("Personal details"))
    # The number first: it is how the centre finds the record again.
    record = section.read(learner, [], learner_number=(_("learner number"), learner.learner_number))
    record.update(
        section.read(
            learner,
            PROFILE_FIELDS,
            restricted=("case_reference",),
            include_sensitive=include_sensitive,
        )
    )
    section.add(record)
    return section


def account(learner: Learner, include_sensitive: bool) -> Section:
    section = Section("account", _("Account for signing in"))
    user = learner.user
    if user is not None:
        groups = sorted(user.groups.values_list("name", flat=True))
        section.add(
            section.read(
                user,
                ["username", "first_name", "last_name", "email", "date_joined", "last_login"],
                is_active=(_("can sign in"), user.is_active),
                roles=(_("roles"), groups),
            )
        )
    return section


def consents(learner: Learner, include_sensitive: bool) -> Section:
    section = Section("consents", _("Consents and messages"))
    section.add(
        section.read(
            learner,
            [
                "message_channel",
                "messages_consent_at",
                "messages_consent_by",
                "messages_stopped_at",
                "consent_photo",
                "consent_share_progress",
            ],
        )
    )
    return section


def _attendance(section: Section, enrolment) -> list[dict]:
    rows = []
    for mark in sorted(enrolment.attendance.all(), key=lambda mark: mark.session.date):
        changes = [
            section.read(change, ["at", "by", "from_status", "to_status", "from_note", "to_note"])
            for change in mark.changes.all()
        ]
        rows.append(
            section.read(
                mark,
                ["status", "note", "marked_by", "marked_at"],
                session_date=(_("session"), mark.session.date),
                changes=(_("changes to this mark"), changes),
            )
        )
    return rows


def enrolments(learner: Learner, include_sensitive: bool) -> Section:
    """Each class: its status and history, what it takes to attend, attendance, the result."""
    section = Section("enrolments", _("Classes"))
    queryset = (
        learner.enrolments.select_related("run", "run__course", "result", "result__recorded_by")
        .prefetch_related(
            "events__by", "attendance__session", "attendance__marked_by", "attendance__changes__by"
        )
        .order_by("created_at", "pk")
    )
    for enrolment in queryset:
        result = getattr(enrolment, "result", None)
        results = []
        if result is not None:
            results.append(
                section.read(result, ["score", "passed", "comment", "recorded_by", "recorded_at"])
            )
        events = [
            section.read(event, ["at", "from_status", "to_status", "by", "reason"])
            for event in enrolment.events.all()
        ]
        section.add(
            section.read(
                enrolment,
                [
                    "status",
                    "created_at",
                    "waitlisted_at",
                    "enrolled_at",
                    "left_at",
                    "offer_expires_at",
                    "interpreter_language",
                    "childcare_children",
                    "transport_reimbursed",
                ],
                course=(_("course"), enrolment.run.course.title),
                class_code=(_("class"), enrolment.run.code),
                first_day=(_("first day"), enrolment.run.start_date),
                last_day=(_("last day"), enrolment.run.end_date),
                events=(_("changes of status"), events),
                attendance=(_("attendance"), _attendance(section, enrolment)),
                result=(_("result"), results),
            )
        )
    return section


def certificates(learner: Learner, include_sensitive: bool) -> Section:
    section = Section("certificates", _("Certificates"))
    for certificate in (
        Certificate.objects.filter(enrolment__learner=learner)
        .select_related("issued_by", "revoked_by")
        .order_by("issued_at", "pk")
    ):
        section.add(
            section.read(
                certificate,
                [
                    "number",
                    "holder_name",
                    "course_title",
                    "partner_name",
                    "start_date",
                    "end_date",
                    "issued_at",
                    "issued_by",
                    "verification_code",
                    "revoked_at",
                    "revoked_by",
                    "revocation_reason",
                ],
            )
        )
    return section


def qualifications(learner: Learner, include_sensitive: bool) -> Section:
    section = Section("qualifications", _("Tests and qualifications"))
    for qualification in learner.qualifications.select_related("partner", "recorded_by").order_by(
        "taken_on", "pk"
    ):
        section.add(
            section.read(
                qualification,
                [
                    "kind",
                    "taken_on",
                    "scores",
                    "overall",
                    "passed",
                    "partner",
                    "reference",
                    "recorded_by",
                    "recorded_at",
                ],
            )
        )
    return section


def messages(learner: Learner, include_sensitive: bool) -> Section:
    """Every message sent to them or received from them, with its text."""
    section = Section("messages", _("Messages"))
    for message in learner.messages.select_related("sent_by").order_by("created_at", "pk"):
        section.add(
            section.read(
                message,
                [
                    "created_at",
                    "direction",
                    "channel",
                    "address",
                    "kind",
                    "language",
                    "subject",
                    "body",
                    "status",
                    "skip_reason",
                    "sent_at",
                    "sent_by",
                ],
            )
        )
    return section


def school_places(learner: Learner, include_sensitive: bool) -> Section:
    section = Section("school_places", _("School places"))
    for placement in learner.placements.select_related("school").order_by("school_year", "pk"):
        section.add(
            section.read(
                placement,
                [
                    "school",
                    "school_year",
                    "grade",
                    "fees",
                    "uniform",
                    "books",
                    "transport",
                    "other_costs",
                    "other_costs_note",
                    "created_at",
                ],
            )
        )
    return section


def sponsorships(learner: Learner, include_sensitive: bool) -> Section:
    """Who pays for the child's schooling, and so sees their first name, age, grade, shared
    reports and attendance: the person has a right to know who received their data."""
    section = Section("sponsorships", _("Sponsors"))
    labels = dict(CostItem.choices)
    for sponsorship in learner.sponsorships.select_related("sponsor", "created_by").order_by(
        "starts_on", "pk"
    ):
        section.add(
            section.read(
                sponsorship,
                ["starts_on", "ends_on", "amount", "frequency", "note", "created_at"],
                sponsor=(_("sponsor"), sponsorship.sponsor.display_name),
                covers=(
                    _("what it covers"),
                    [str(labels.get(item, item)) for item in sponsorship.covers or []],
                ),
            )
        )
    return section


def progress_reports(learner: Learner, include_sensitive: bool) -> Section:
    section = Section("progress_reports", _("School reports"))
    for report in (
        learner.progress_reports.select_related("shared_by")
        .prefetch_related("grades")
        .order_by("school_year", "term", "pk")
    ):
        grades = [section.read(grade, ["subject", "grade"]) for grade in report.grades.all()]
        section.add(
            section.read(
                report,
                [
                    "school_year",
                    "term",
                    "school_attendance_percent",
                    "teacher_comment",
                    "caseworker_note",
                    "shared_with_sponsors",
                    "shared_at",
                    "shared_by",
                    "created_at",
                ],
                restricted=("caseworker_note",),
                include_sensitive=include_sensitive,
                subject_grades=(_("grades"), grades),
            )
        )
    return section


def correction_requests(learner: Learner, include_sensitive: bool) -> Section:
    section = Section("correction_requests", _("Requests to correct these details"))
    for request in learner.correction_requests.select_related("handled_by").order_by(
        "created_at", "pk"
    ):
        section.add(
            section.read(
                request,
                ["created_at", "text", "status", "handled_at", "handled_by", "staff_reply"],
            )
        )
    return section


def access_log(learner: Learner, include_sensitive: bool) -> Section:
    """Who at the centre opened their record or downloaded a file about them, and when."""
    section = Section("access_log", _("Who looked at these details"))
    for row in learner.access_logs.order_by("at", "pk"):
        section.add(section.read(row, ["at", "user_name", "action", "what"]))
    return section


def record_history(learner: Learner, include_sensitive: bool) -> Section:
    """Who changed their record, and which details (the names of the fields, not values)."""
    section = Section("record_history", _("Changes to the record"))
    for entry in (
        ModelLogEntry.objects.for_instance(learner)
        .select_related("user")
        .order_by("timestamp", "pk")
    ):
        data = entry.data if isinstance(entry.data, dict) else {}
        section.add(
            section.read(
                entry,
                ["timestamp", "user"],
                change=(_("change"), entry.message),
                fields=(_("details changed"), [str(name) for name in data.get("fields", [])]),
            )
        )
    return section


SECTIONS: list[SectionFunction] = [
    profile,
    account,
    consents,
    enrolments,
    certificates,
    qualifications,
    messages,
    school_places,
    sponsorships,
    progress_reports,
    correction_requests,
    access_log,
    record_history,
]
