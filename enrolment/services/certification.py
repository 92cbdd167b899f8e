"""What a learner achieved: closing a run, results, certificates and their revocation.

A run is closed once it has ended. Each enrolled learner then completes or not by the run's
rules: attendance at or above the run's minimum, and a result at or above the pass mark
where the run has one. A coordinator may override either way, with a reason kept in the
enrolment's history. Certificates are issued only for completed enrolments, never twice for
one, numbered per year in sequence, and carry an unguessable verification code.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cms.formats import local_date
from cms.page_cache import public_pages_changed
from cms.roles import acting_user, is_coordinator
from courses.choices import RunStatus
from courses.models import CourseRun
from enrolment.errors import CertificationError
from enrolment.models import (
    Certificate,
    CertificateCounter,
    Enrolment,
    EnrolmentEvent,
    EnrolmentStatus,
    MessageKind,
    Result,
)
from enrolment.services.attendance_totals import attendance_summaries
from enrolment.services.messaging import message_queue, messages_queue_many

S = EnrolmentStatus


def _event(enrolment: Enrolment, old: str, new: str, by, reason: str) -> EnrolmentEvent:
    return EnrolmentEvent(
        enrolment=enrolment,
        from_status=old,
        to_status=new,
        by=acting_user(by),
        reason=reason,
    )


# --- results ----------------------------------------------------------------------------------


def result_record(
    *,
    enrolment: Enrolment,
    by: AbstractBaseUser,
    score: Decimal | None = None,
    passed: bool | None = None,
    comment: str = "",
) -> Result:
    """Record (or correct) a learner's result. Teachers only for their own runs."""
    run = enrolment.run
    if not (is_coordinator(by) or run.teachers.filter(pk=by.pk).exists()):
        raise CertificationError(_("Only the class's teachers can record its results."))
    if enrolment.status not in (S.ENROLLED, S.COMPLETED, S.NOT_COMPLETED):
        raise CertificationError(_("Results are recorded only for learners who took a seat."))
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        raise CertificationError(_("A score is between 0 and 100."))
    result, _created = Result.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "score": score,
            "passed": passed,
            "comment": comment.strip(),
            "recorded_by": by,
            "recorded_at": timezone.now(),
        },
    )
    return result


# --- completion -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionVerdict:
    completed: bool
    reason: str


def completion_verdict(
    *, run: CourseRun, attendance_percent: int | None, result: Result | None
) -> CompletionVerdict:
    """Whether an enrolment meets the run's rules, and why, in words for the history."""
    percent = attendance_percent or 0
    if percent < run.min_attendance_percent:
        return CompletionVerdict(
            False,
            _("Attendance %(percent)d%%, below the minimum of %(minimum)d%%.")
            % {"percent": percent, "minimum": run.min_attendance_percent},
        )
    if run.pass_mark is not None:
        if result is None or (result.score is None and result.passed is None):
            return CompletionVerdict(False, _("No result recorded for the test."))
        if result.score is not None and result.score < run.pass_mark:
            return CompletionVerdict(
                False,
                _("Score %(score)s, below the pass mark of %(mark)s.")
                % {"score": result.score, "mark": run.pass_mark},
            )
        if result.score is None and not result.passed:
            return CompletionVerdict(False, _("The test was not passed."))
    return CompletionVerdict(
        True, _("Attendance %(percent)d%%; the run's rules are met.") % {"percent": percent}
    )


@dataclass
class CloseResult:
    completed: list[Enrolment] = field(default_factory=list)
    not_completed: list[Enrolment] = field(default_factory=list)
    withdrawn: list[Enrolment] = field(default_factory=list)


def run_close(*, run: CourseRun, by: AbstractBaseUser, today: dt.date | None = None) -> CloseResult:
    """Close a finished run: each enrolled learner completes or not; nobody is left waiting."""
    today = today or timezone.localdate()
    outcome = CloseResult()
    with transaction.atomic():
        run = CourseRun.objects.select_for_update().get(pk=run.pk)
        if run.status == RunStatus.CLOSED:
            raise CertificationError(_("This class is already closed."))
        if run.status != RunStatus.PUBLISHED:
            raise CertificationError(_("Only a published class can be closed."))
        if run.end_date > today:
            raise CertificationError(
                _("This class runs until %(date)s; close it after its last day.")
                % {"date": local_date(run.end_date, "MEDIUM_DATE_FORMAT")}
            )
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(run=run)
            .active()
            .select_related("result")
        )
        summaries = attendance_summaries(
            enrolment_ids=[e.pk for e in enrolments if e.status == S.ENROLLED]
        )
        events = []
        for enrolment in enrolments:
            old = enrolment.status
            if old == S.ENROLLED:
                verdict = completion_verdict(
                    run=run,
                    attendance_percent=summaries[enrolment.pk].percent,
                    result=getattr(enrolment, "result", None),
                )
                enrolment.status = S.COMPLETED if verdict.completed else S.NOT_COMPLETED
                reason = verdict.reason
                (outcome.completed if verdict.completed else outcome.not_completed).append(
                    enrolment
                )
            else:
                enrolment.status = S.WITHDRAWN
                reason = _("The class has finished.")
                outcome.withdrawn.append(enrolment)
            events.append(_event(enrolment, old, enrolment.status, by, reason))
        # A bulk write sends no signal: the visitors' cached pages are told here.
        Enrolment.objects.bulk_update(enrolments, ["status", "updated_at"])
        public_pages_changed()
        EnrolmentEvent.objects.bulk_create(events)
        run.status = RunStatus.CLOSED
        run.save(update_fields=["status", "updated_at"])
    return outcome


def completion_override(
    *, enrolment: Enrolment, completed: bool, reason: str, by: AbstractBaseUser
) -> Enrolment:
    """A coordinator's decision against the rules, either way, with the reason on record."""
    if not reason.strip():
        raise CertificationError(_("Give a reason for the override; it is kept in the history."))
    new = S.COMPLETED if completed else S.NOT_COMPLETED
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update(of=("self",)).get(pk=enrolment.pk)
        if enrolment.status not in (S.COMPLETED, S.NOT_COMPLETED):
            raise CertificationError(_("Only enrolments of a closed class can be overridden."))
        if enrolment.status == new:
            raise CertificationError(_("The enrolment already has this outcome."))
        if not completed and Certificate.objects.valid().filter(enrolment=enrolment).exists():
            raise CertificationError(_("Revoke the certificate first."))
        old = enrolment.status
        enrolment.status = new
        enrolment.save(update_fields=["status", "updated_at"])
        _event(
            enrolment, old, new, by, _("Override: %(reason)s") % {"reason": reason.strip()}
        ).save()
    return enrolment


# --- certificates -----------------------------------------------------------------------------


def _take_numbers(year: int, count: int) -> list[tuple[int, str]]:
    """Reserve `count` consecutive certificate numbers for the year.

    The counter row is locked until the transaction ends, so two coordinators issuing at the
    same moment never take the same number.
    """
    CertificateCounter.objects.get_or_create(year=year)
    counter = CertificateCounter.objects.select_for_update().get(year=year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return [(n, f"HLC-{year}-{n:05d}") for n in range(first, first + count)]


def _holder_name(enrolment: Enrolment) -> str:
    learner = enrolment.learner
    return (learner.legal_name or learner.preferred_name).strip()


def certificate_issue(*, enrolment: Enrolment, by: AbstractBaseUser) -> Certificate:
    """Issue the certificate of a completed enrolment. Never two for one enrolment."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("learner", "run", "run__course", "run__course__partner")
            .get(pk=enrolment.pk)
        )
        if enrolment.status != S.COMPLETED:
            raise CertificationError(
                _(
                    "Certificates are issued only for completed enrolments; "
                    "this one is “%(status)s”."
                )
                % {"status": enrolment.get_status_display()}
            )
        if Certificate.objects.filter(enrolment=enrolment).exists():
            raise CertificationError(_("This enrolment already has a certificate."))
        now = timezone.now()
        year = timezone.localtime(now).year
        ((sequence, number),) = _take_numbers(year, 1)
        try:
            with transaction.atomic():
                certificate = _new_certificate(enrolment, sequence, number, year, now, by)
                certificate.save()
                _certificate_announce(certificate, enrolment)
                return certificate
        except IntegrityError:
            raise CertificationError(_("This enrolment already has a certificate.")) from None


def _new_certificate(
    enrolment: Enrolment, sequence: int, number: str, year: int, now: dt.datetime, by
) -> Certificate:
    run = enrolment.run
    return Certificate(
        enrolment=enrolment,
        number=number,
        year=year,
        sequence=sequence,
        verification_code=secrets.token_urlsafe(16),
        holder_name=_holder_name(enrolment),
        course_title=run.course.title,
        partner_name=run.course.partner.name if run.course.partner else "",
        start_date=run.start_date,
        end_date=run.end_date,
        issued_at=now,
        issued_by=by,
    )


@dataclass
class BulkIssueResult:
    issued: list[Certificate] = field(default_factory=list)
    already: int = 0
    not_completed: int = 0


def certificates_issue_for_run(*, run: CourseRun, by: AbstractBaseUser) -> BulkIssueResult:
    """Issue every missing certificate of a run's completed enrolments, in one go.

    A handful of queries however many learners: the enrolments are locked together, the
    numbers reserved in one step and the certificates written in one insert.
    """
    outcome = BulkIssueResult()
    with transaction.atomic():
        enrolments = list(
            Enrolment.objects.select_for_update(of=("self",))
            .filter(run=run, status__in=[S.COMPLETED, S.NOT_COMPLETED])
            .select_related("learner", "run", "run__course", "run__course__partner")
            .order_by("learner__legal_name", "learner__preferred_name", "pk")
        )
        has_one = set(
            Certificate.objects.filter(enrolment__in=enrolments).values_list(
                "enrolment_id", flat=True
            )
        )
        due = []
        for enrolment in enrolments:
            if enrolment.status != S.COMPLETED:
                outcome.not_completed += 1
            elif enrolment.pk in has_one:
                outcome.already += 1
            else:
                due.append(enrolment)
        if due:
            now = timezone.now()
            year = timezone.localtime(now).year
            numbers = _take_numbers(year, len(due))
            outcome.issued = Certificate.objects.bulk_create(
                _new_certificate(enrolment, sequence, number, year, now, by)
                for enrolment, (sequence, number) in zip(due, numbers, strict=True)
            )
            titles = _course_titles(run.course, {e.learner.preferred_language for e in due})
            messages_queue_many(
                kind=MessageKind.CERTIFICATE,
                items=[
                    _certificate_message(certificate, enrolment, titles)
                    for certificate, enrolment in zip(outcome.issued, due, strict=True)
                ],
            )
    return outcome


def _course_titles(course, languages: set[str]) -> dict[str, str]:
    """The course's title in each language: a lookup per language, not per learner."""
    titles = {}
    for language in languages:
        with translation.override(language):
            titles[language] = course.localized.title
    return titles


def _certificate_message(
    certificate: Certificate, enrolment: Enrolment, titles: dict[str, str]
) -> tuple:
    """The learner is told, with the link anyone (an employer, a school) can check it by."""
    learner = enrolment.learner
    return (
        learner,
        {"course": titles[learner.preferred_language], "code": certificate.verification_code},
        f"certificate:{certificate.verification_code}",
    )


def _certificate_announce(certificate: Certificate, enrolment: Enrolment) -> None:
    titles = _course_titles(enrolment.run.course, {enrolment.learner.preferred_language})
    learner, context, once_key = _certificate_message(certificate, enrolment, titles)
    message_queue(learner=learner, kind=MessageKind.CERTIFICATE, context=context, once_key=once_key)


def certificate_revoke(
    *, certificate: Certificate, reason: str, by: AbstractBaseUser
) -> Certificate:
    """Revoke a certificate; the verification page then says so, with no other detail."""
    if not reason.strip():
        raise CertificationError(_("Give a reason for revoking; it is kept on record."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise CertificationError(_("This certificate is already revoked."))
        certificate.revoked_at = timezone.now()
        certificate.revoked_by = by
        certificate.revocation_reason = reason.strip()
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return certificate
