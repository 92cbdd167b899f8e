"""/learn/: a learner's own classes, enrolling from a course page, withdrawing, their profile.

Every object comes through a queryset scoped to the signed-in user, and to their own learner
profile: a coordinator's wider view belongs to the admin, not here. Someone else's enrolment
is a 404, exactly like one that does not exist.
"""

from types import SimpleNamespace

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from cms.languages import localised_path, remember_language, shown_variant
from courses.choices import Level
from courses.models import CourseRun, Session, translations_attach
from enrolment import access
from enrolment.errors import AccountError, EnrolmentError
from enrolment.forms.base import add_service_error
from enrolment.forms.learn import ProfileForm, WithdrawForm
from enrolment.forms.support import SupportForm
from enrolment.models import (
    Certificate,
    Enrolment,
    EnrolmentStatus,
    Qualification,
    QualificationKind,
)
from enrolment.services.accounts import learner_profile_update
from enrolment.services.attendance_totals import AT_RISK_ABSENCES_IN_A_ROW, attendance_summaries
from enrolment.services.enrolling import enrolment_withdraw, waitlist_position
from enrolment.services.offers import offer_accept, offer_decline
from enrolment.services.qualifications import GED_SUBJECTS, IELTS_SKILLS, ged_progress
from enrolment.services.support import enrolment_create_with_support

UPCOMING_SESSIONS = 5
LEFT_STATUSES = (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.DECLINED)


def _get_enrolment_for_user(user, pk: int) -> Enrolment:
    enrolments = access.own_enrolments(user)
    return get_object_or_404(enrolments.select_related("run", "run__course", "learner"), pk=pk)


def _not_a_learner(request, *, back: str = ""):
    return render(request, "enrolment/learn/not_a_learner.html", {"back": back}, status=403)


def _run_url(request, run: CourseRun) -> str:
    return f"{run.course.get_url(request) or '/courses/'}#run-{run.code}"


@login_required
def learn(request):
    learner = access.learner_for_user(request.user)
    if learner is None:
        return _not_a_learner(request)
    enrolments = list(
        access.enrolments_for_user(request.user)
        .filter(learner=learner)
        .with_waitlist_position()
        .select_related("run", "run__course", "run__venue")
        .order_by("run__start_date", "run__code", "pk")
    )
    _add_attendance(enrolments)
    today = timezone.localdate()
    active = [enrolment for enrolment in enrolments if enrolment.is_active]
    # A class left (withdrawn, an offer declined) before it ended is not an earlier course:
    # it is listed as left, by the run's dates, until its last day has passed.
    left = [e for e in enrolments if e.status in LEFT_STATUSES and e.run.end_date >= today]
    past = sorted(
        (e for e in enrolments if not e.is_active and e not in left),
        key=lambda enrolment: (enrolment.run.end_date, enrolment.pk),
        reverse=True,
    )
    sessions = list(
        Session.objects.filter(
            run__enrolments__learner=learner,
            run__enrolments__status=EnrolmentStatus.ENROLLED,
            date__gte=timezone.localdate(),
        )
        .select_related("run", "run__course", "run__venue", "venue")
        .order_by("date", "start_time", "pk")[:UPCOMING_SESSIONS]
    )
    certificates = Certificate.objects.filter(enrolment__learner=learner).order_by(
        "-issued_at", "-pk"
    )
    qualifications = _qualifications_display(
        list(Qualification.objects.filter(learner=learner).select_related("partner"))
    )
    # Course titles, venues and partners in the learner's language: one query for each.
    runs = [enrolment.run for enrolment in enrolments] + [session.run for session in sessions]
    translations_attach(
        [run.course for run in runs]
        + [run.venue for run in runs]
        + [session.venue for session in sessions]
        + [qualification.partner for qualification in qualifications]
    )
    return render(
        request,
        "enrolment/learn/home.html",
        {
            "learner": learner,
            "active": active,
            "past": past,
            "left": left,
            "sessions": sessions,
            "certificates": certificates,
            "qualifications": qualifications,
        },
    )


def _qualifications_display(records: list[Qualification]) -> list:
    """The learner's qualifications, newest first. GED subjects, taken one at a time, show
    together as one GED entry: each subject's result so far, headed by the diploma once all
    four have passed."""
    ged_kinds = (QualificationKind.GED, QualificationKind.GED_SUBJECT)
    shown = [_qualification_display(q) for q in records if q.kind not in ged_kinds]
    ged = [q for q in records if q.kind in ged_kinds]
    if ged:
        shown.append(_ged_display(ged))
    return sorted(shown, key=lambda q: q.taken_on, reverse=True)


def _ged_display(records: list[Qualification]) -> SimpleNamespace:
    diploma = next((q for q in records if q.kind == QualificationKind.GED), None)
    progress = ged_progress(q for q in records if q.kind == QualificationKind.GED_SUBJECT)
    parts = []
    for subject, label in GED_SUBJECTS.items():
        result = progress[subject]  # None: not taken yet
        parts.append(
            {
                "label": label,
                "value": result.scores.get("score") if result else None,
                "passed": bool(result and result.passed),
            }
        )
    passed = sum(part["passed"] for part in parts)
    if diploma:
        summary = _("GED diploma")
    else:
        summary = ngettext(
            "%(passed)d subject of 4 passed", "%(passed)d subjects of 4 passed", passed
        ) % {"passed": passed}
    return SimpleNamespace(
        kind=QualificationKind.GED.value,
        get_kind_display=_("GED"),
        partner=None,
        summary=summary,
        taken_on=diploma.taken_on if diploma else max(q.taken_on for q in records),
        parts=parts,
    )


def _qualification_display(qualification: Qualification) -> Qualification:
    """Give a qualification its headline (``summary``) and its parts (``parts``: label, value,
    and whether it passed), in words for the learner."""
    scores = qualification.scores or {}
    parts = []
    if qualification.kind == QualificationKind.IELTS:
        parts = [
            {"label": label, "value": scores.get(skill), "passed": None}
            for skill, label in IELTS_SKILLS.items()
        ]
        summary = _("Overall band %(band)s") % {"band": qualification.overall}
    else:
        level = qualification.overall
        label = Level(level).label if level in Level.values else level
        summary = _("Level %(level)s") % {"level": label}
    qualification.summary = summary
    qualification.parts = parts
    return qualification


def _add_attendance(enrolments: list[Enrolment]) -> None:
    """Give each enrolment its attendance summary (one query for all of them), and whether it
    is low enough for a gentle word while the learner can still do something about it."""
    summaries = attendance_summaries(enrolment_ids=[e.pk for e in enrolments]) if enrolments else {}
    for enrolment in enrolments:
        summary = summaries.get(enrolment.pk)
        enrolment.attendance_summary = summary if summary and summary.counted else None
        enrolment.attendance_low = bool(
            enrolment.attendance_summary
            and enrolment.status == EnrolmentStatus.ENROLLED
            and summary.rate * 100 < enrolment.run.min_attendance_percent
        )
        enrolment.attendance_missed = bool(
            enrolment.attendance_summary
            and enrolment.status == EnrolmentStatus.ENROLLED
            and summary.absences_in_a_row >= AT_RISK_ABSENCES_IN_A_ROW
        )


# Not @login_required: a visitor is sent to sign in with `next` pointing at the course page,
# since coming back to this POST-only URL after signing in would be a dead end.
@require_POST
def enrol(request, run_id: int):
    runs = CourseRun.objects.public().filter(course__live=True).select_related("course")
    run = get_object_or_404(runs, pk=run_id)
    back = _run_url(request, run)
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    learner = access.learner_for_user(request.user)
    if learner is None:
        return _not_a_learner(request, back=back)
    # What the learner needs to attend, asked beside the button; all of it optional.
    form = SupportForm(request.POST, run=run)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    try:
        enrolment = enrolment_create_with_support(
            learner=learner, run=run, support=form.support(), by=request.user
        )
    except EnrolmentError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _enrolled_message(enrolment))
    return redirect("learn")


def _enrolled_message(enrolment: Enrolment) -> str:
    names = {"course": enrolment.run.course.localized.title, "code": enrolment.run.code}
    if enrolment.status == EnrolmentStatus.WAITLISTED:
        return _(
            "The class is full, so you are on the waitlist for %(course)s (%(code)s). "
            "You are number %(position)d. We will tell you when a seat is free."
        ) % {**names, "position": waitlist_position(enrolment=enrolment)}
    if enrolment.status == EnrolmentStatus.APPLIED:
        return (
            _(
                "Thank you: your application for %(course)s (%(code)s) is sent. "
                "We will tell you when it has been reviewed."
            )
            % names
        )
    return _("You are enrolled in %(course)s (%(code)s).") % names


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, pk: int):
    enrolment = _get_enrolment_for_user(request.user, pk)
    if not enrolment.is_active:
        messages.info(request, _("This enrolment is no longer active."))
        return redirect("learn")
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        was_waiting = enrolment.status == EnrolmentStatus.WAITLISTED
        try:
            enrolment_withdraw(
                enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except EnrolmentError as error:
            messages.error(request, error.message)
        else:
            names = {"course": enrolment.run.course.localized.title, "code": enrolment.run.code}
            if was_waiting:
                messages.success(request, _("You left the waitlist for %(course)s.") % names)
            else:
                messages.success(
                    request, _("You have withdrawn from %(course)s (%(code)s).") % names
                )
        return redirect("learn")
    return render(
        request, "enrolment/learn/withdraw_confirm.html", {"enrolment": enrolment, "form": form}
    )


@login_required
@require_POST
def offer_answer(request, pk: int, answer: str):
    """Take the offered seat, or pass it on: the two buttons on /learn/."""
    enrolment = _get_enrolment_for_user(request.user, pk)
    names = {"course": enrolment.run.course.localized.title, "code": enrolment.run.code}
    try:
        if answer == "accept":
            offer_accept(enrolment=enrolment, by=request.user)
        else:
            offer_decline(enrolment=enrolment, by=request.user)
    except EnrolmentError as error:
        messages.error(request, error.message)
    else:
        if answer == "accept":
            messages.success(request, _("You are enrolled in %(course)s (%(code)s).") % names)
        else:
            messages.success(
                request, _("You passed your seat in %(course)s on to the next person.") % names
            )
    return redirect("learn")


def _profile_rate(group, request) -> str:
    return settings.PROFILE_RATE


@login_required
@require_http_methods(["GET", "POST"])
# A refused number says it is taken (the learner must know why the change was not made):
# counted per account, so that no one can try number after number.
@ratelimit(key="user", rate=_profile_rate, method="POST", block=True)
def profile(request):
    learner = access.learner_for_user(request.user)
    if learner is None:
        return _not_a_learner(request)
    form = ProfileForm(
        request.POST if request.method == "POST" else None, initial=ProfileForm.initial_for(learner)
    )
    if request.method == "POST" and form.is_valid():
        try:
            learner_profile_update(learner=learner, by=request.user, **form.cleaned_data)
        except AccountError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your details are saved."))
            # Their language is the site's too: the next page is in it, and stays so.
            code = shown_variant(form.cleaned_data["preferred_language"]) or get_language()
            response = redirect(localised_path(reverse("learn_profile"), code))
            remember_language(response, code)
            return response
    return render(request, "enrolment/learn/profile.html", {"learner": learner, "form": form})
