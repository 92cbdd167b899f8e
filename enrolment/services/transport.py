"""Transport fares paid back: for each enrolment that says so, the sessions attended (present
or late) in a period times the run's amount per session, worked out in the database, with an
XLSX for whoever pays them."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from cms.exports import Money, table_workbook
from cms.formats import local_date
from courses.models import CourseRun
from enrolment.models import Attendance, AttendanceStatus, Enrolment

ATTENDED = [AttendanceStatus.PRESENT, AttendanceStatus.LATE]
AMOUNT = DecimalField(max_digits=12, decimal_places=2)


@dataclass(frozen=True)
class TransportTotals:
    learners: int
    sessions: int
    amount: Decimal


def transport_reimbursements(
    *, start: dt.date, end: dt.date, run: CourseRun | None = None
) -> QuerySet[Enrolment]:
    """Enrolments owed fares for sessions attended from `start` to `end` (both included),
    each with `sessions_attended`, `per_session` and `amount`; nobody owed nothing."""
    attended = Q(
        attendance__status__in=ATTENDED,
        attendance__session__date__gte=start,
        attendance__session__date__lte=end,
    )
    enrolments = Enrolment.objects.filter(
        transport_reimbursed=True, run__transport_per_session__gt=0
    )
    if run is not None:
        enrolments = enrolments.filter(run=run)
    return (
        enrolments.annotate(
            sessions_attended=Count("attendance", filter=attended),
            per_session=F("run__transport_per_session"),
        )
        .annotate(
            amount=ExpressionWrapper(
                F("sessions_attended") * F("run__transport_per_session"), output_field=AMOUNT
            )
        )
        .filter(sessions_attended__gt=0)
        .select_related("learner", "run", "run__course")
        .order_by("run__code", "learner__preferred_name", "pk")
    )


def transport_totals(
    *, start: dt.date, end: dt.date, run: CourseRun | None = None
) -> TransportTotals:
    """The totals of transport_reimbursements(...), summed over the attended sessions
    themselves (one query): summing the per-enrolment annotations instead made Django leave
    "amount" out of its subquery, and SQLite summed the string "amount" to 0."""
    attended = Attendance.objects.filter(
        status__in=ATTENDED,
        session__date__gte=start,
        session__date__lte=end,
        enrolment__transport_reimbursed=True,
        enrolment__run__transport_per_session__gt=0,
    )
    if run is not None:
        attended = attended.filter(enrolment__run=run)
    totals = attended.aggregate(
        sessions=Count("pk"),
        amount=Sum("enrolment__run__transport_per_session"),
        learners=Count("enrolment__learner", distinct=True),
    )
    return TransportTotals(
        learners=totals["learners"],
        sessions=totals["sessions"],
        amount=Decimal(totals["amount"] or 0).quantize(Decimal("0.01")),
    )


def transport_workbook(*, start: dt.date, end: dt.date, run: CourseRun | None = None) -> bytes:
    """One line per learner and class, then the totals; amounts as numbers in HK$."""
    reimbursements = transport_reimbursements(start=start, end=end, run=run)
    totals = transport_totals(start=start, end=end, run=run)
    headings = [
        _("Learner"),
        _("Learner number"),
        _("Class"),
        _("Course"),
        _("Sessions attended"),
        _("Per session"),
        _("Amount"),
    ]
    lines = [
        [
            enrolment.learner.list_name,
            enrolment.learner.learner_number,
            enrolment.run.code,
            enrolment.run.course.title,
            enrolment.sessions_attended,
            Money(enrolment.per_session),
            Money(enrolment.amount),
        ]
        for enrolment in reimbursements.iterator(chunk_size=500)
    ]
    period = _("%(start)s to %(end)s") % {
        "start": local_date(start, "MEDIUM_DATE_FORMAT"),
        "end": local_date(end, "MEDIUM_DATE_FORMAT"),
    }
    lines.append([_("Total"), period, "", "", totals.sessions, "", Money(totals.amount)])
    return table_workbook(
        _("Transport fares"), headings, lines, widths=[24, 14, 20, 32, 10, 12, 12]
    )
