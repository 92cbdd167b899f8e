"""/teach/: a teacher's classes this week, taking a register on a phone, the paper register.

Sessions and runs come through enrolment.access (sessions_for_user, runs_for_user): another
teacher's class is a 404, exactly like one that does not exist. Coordinators see, and may
correct, every class. Whether a register may be marked now (the class has started, it was not
cancelled) is the register service's to say; the views only show its answer.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from courses.choices import RunStatus, SessionStatus
from courses.models import CourseRun, Session, translations_attach
from enrolment import access
from enrolment.forms.teach import TeachRunFilterForm
from enrolment.models import (
    AttendanceChange,
    AttendanceStatus,
)
from enrolment.services.attendance_totals import run_attendance_summary
from enrolment.services.registers import (
    Mark,
    RegisterError,
    is_marked,
    register_check_can_mark,
    register_lines,
    register_mark,
    registers_not_taken,
    session_has_started,
    someone_seated,
)

WEEK_DAYS = 7
CATCH_UP_DAYS = 14  # how far back "registers still to take" looks
CATCH_UP_SHOWN = 50
RECENT_RUN_DAYS = 28  # runs that ended this long ago still offer their paper register


def _get_session_for_user(user, pk: int) -> Session:
    return get_object_or_404(access.sessions_for_user(user), pk=pk)


def get_run_for_user(user, pk: int) -> CourseRun:
    return get_object_or_404(access.runs_for_user(user), pk=pk)


def _current_runs(user, today: dt.date):
    """The runs whose registers a teacher may still want: running now, starting soon or just
    finished. Drafts and cancelled runs have no register."""
    return (
        access.runs_for_user(user)
        .exclude(status__in=[RunStatus.DRAFT, RunStatus.CANCELLED])
        .filter(
            end_date__gte=today - dt.timedelta(days=RECENT_RUN_DAYS),
            start_date__lte=today + dt.timedelta(days=WEEK_DAYS),
        )
        .order_by("start_date", "code")
    )


@login_required
@require_GET
@access.teacher_required
def teach(request):
    user = request.user
    now = timezone.now()
    today = timezone.localdate(now)
    runs = _current_runs(user, today)
    # A run ended early: the classes it cancelled after its new last day are no class at all.
    sessions = (
        access.sessions_for_user(user)
        .exclude(run__status__in=[RunStatus.DRAFT, RunStatus.CANCELLED])
        .exclude(status=SessionStatus.CANCELLED, date__gt=F("run__end_date"))
    )
    to_take = registers_not_taken(
        user=user, now=now, since=today - dt.timedelta(days=CATCH_UP_DAYS)
    ).filter(date__lt=today)  # today's are flagged in the day's list
    run_filter = None
    if access.is_coordinator(user):
        run_filter = TeachRunFilterForm(request.GET or None, runs=runs)
        if run_filter.is_valid() and (run := run_filter.cleaned_data["run"]):
            runs, sessions, to_take = (
                runs.filter(pk=run.pk),
                sessions.filter(run=run),
                to_take.filter(run=run),
            )
    week = list(
        sessions.filter(date__gte=today, date__lte=today + dt.timedelta(days=WEEK_DAYS))
        .annotate(is_marked=is_marked(), has_learners=someone_seated())
        .order_by("date", "start_time", "run__code")
    )
    for session in week:
        # A class nobody is enrolled in has no register to take: not a missing one.
        session.not_taken = (
            session.status == SessionStatus.SCHEDULED
            and session.has_learners
            and not session.is_marked
            and session_has_started(session, now=now)
        )
    to_take, runs = list(to_take[:CATCH_UP_SHOWN]), list(runs)
    # Course titles and venues in the teacher's language: one query for each.
    sessions_shown = week + to_take
    translations_attach(
        [session.run.course for session in sessions_shown]
        + [run.course for run in runs]
        + [session.effective_venue for session in week]
    )
    return render(
        request,
        "enrolment/teach/teach.html",
        {
            "today_sessions": [s for s in week if s.date == today],
            "week_sessions": [s for s in week if s.date != today],
            "to_take": to_take,
            "runs": runs,
            "run_filter": run_filter,
            "catch_up_days": CATCH_UP_DAYS,
        },
    )


# --- one session's register -------------------------------------------------------------------


def _version(raw: str | None) -> int:
    """The version of a mark the form showed; a missing or garbled one counts as "not marked
    yet", so such a form can add marks but never overwrite a saved one."""
    return int(raw) if raw and raw.isascii() and raw.isdigit() and len(raw) < 10 else 0


def _marks_from_post(post: QueryDict) -> dict[int, Mark]:
    """The marks a register form sent: "status-<enrolment id>", "note-<enrolment id>" and
    "version-<enrolment id>", the version of the saved mark the form showed.

    The ids are whatever the browser sent; register_mark refuses any not on the register.
    """
    marks = {}
    for key in post:
        if not key.startswith("status-"):
            continue
        raw = key.removeprefix("status-")
        if not raw.isdigit():
            raise RegisterError(
                _("Learner %(id)s is not on this register. Reload the page and try again.")
                % {"id": raw[:20]}
            )
        marks[int(raw)] = Mark(
            status=post.get(key, ""),
            note=post.get(f"note-{raw}", ""),
            seen=_version(post.get(f"version-{raw}")),
        )
    if not marks:
        raise RegisterError(_("The form had no marks in it. Reload the page and try again."))
    return marks


def _register_rows(lines, *, posted: QueryDict | None, changed_ids: set[int]) -> list[dict]:
    """What each learner's control shows: what was just sent back (after a refusal), else
    the saved mark, else "present", so a teacher only touches the exceptions. The version is
    the one the person was shown first, so that a resubmission still keeps a newer mark."""
    rows = []
    for line in lines:
        pk, saved = line.enrolment.pk, line.attendance
        status = saved.status if saved else AttendanceStatus.PRESENT
        note = saved.note if saved else ""
        version = saved.version if saved else 0
        if posted is not None and f"status-{pk}" in posted:
            status = posted.get(f"status-{pk}")
            note = posted.get(f"note-{pk}", "")
            version = _version(posted.get(f"version-{pk}"))
        rows.append(
            {
                "id": pk,
                "name": line.enrolment.learner.list_name,
                "enrolment": line.enrolment,  # its support to attend, shown beside the name
                "status": status,
                "note": note,
                "version": version,
                "attendance": saved,
                "changed_later": pk in changed_ids,
            }
        )
    return rows


def _register_summary(lines) -> dict:
    marks = [line.attendance for line in lines if line.attendance]
    markers = []
    for mark in sorted(marks, key=lambda m: m.marked_at):
        name = (mark.marked_by.get_full_name() or mark.marked_by.username) if mark.marked_by else ""
        if name and name not in markers:
            markers.append(name)
    return {
        "marked": len(marks),
        "total": len(lines),
        "markers": markers,
        "last_marked_at": max((m.marked_at for m in marks), default=None),
    }


def warn_kept(request, kept, *, sheet: bool = False) -> None:
    """Say which marks a colleague changed meanwhile, and what they are now."""
    if not kept:
        return
    if sheet:
        intro = ngettext(
            "%(count)d mark was saved on the website after this register was downloaded. "
            "It is newer than the sheet, so it was kept:",
            "%(count)d marks were saved on the website after this register was downloaded. "
            "They are newer than the sheet, so they were kept:",
            len(kept),
        )
    else:
        intro = ngettext(
            "Someone changed %(count)d mark after you opened this register. "
            "Theirs is newer, so it was kept:",
            "Someone changed %(count)d marks after you opened this register. "
            "Theirs are newer, so they were kept:",
            len(kept),
        )
    messages.warning(request, intro % {"count": len(kept)})
    for mark in kept:
        messages.warning(request, str(mark))


def _saved_sentence(created: int, changed: int) -> str:
    """What the save did: marks taken for the first time, marks changed, or nothing."""
    if created and changed:
        return _("Register saved: %(created)d newly marked, %(changed)d changed.") % {
            "created": created,
            "changed": changed,
        }
    if created:
        text = ngettext(
            "Register saved: %(count)d learner marked.",
            "Register saved: %(count)d learners marked.",
            created,
        )
        return text % {"count": created}
    if changed:
        text = ngettext(
            "Register saved: %(count)d mark changed.",
            "Register saved: %(count)d marks changed.",
            changed,
        )
        return text % {"count": changed}
    return _("Register saved: no marks changed.")


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk: int):
    session = _get_session_for_user(request.user, pk)
    try:
        register_check_can_mark(user=request.user, session=session)
        refusal = ""
    except RegisterError as error:
        refusal = error.message
    error, posted = "", None
    if request.method == "POST":
        posted = request.POST
        try:
            if refusal:
                raise RegisterError(refusal)
            result = register_mark(
                session=session, marks=_marks_from_post(request.POST), by=request.user
            )
        except RegisterError as refused:
            error = _("%(message)s Nothing was saved.") % {"message": refused.message}
        else:
            messages.success(request, _saved_sentence(result.created, result.changed))
            warn_kept(request, result.kept)
            return redirect("teach_register", pk=session.pk)

    lines = register_lines(session=session)
    coordinator = access.is_coordinator(request.user)
    changes = AttendanceChange.objects.filter(attendance__session=session)
    if coordinator:
        history = list(changes.select_related("attendance__enrolment__learner", "by"))
        changed_ids = {change.attendance.enrolment_id for change in history}
    else:
        history = []
        changed_ids = set(changes.values_list("attendance__enrolment_id", flat=True))
    translations_attach([session.run.course, session.effective_venue])
    return render(
        request,
        "enrolment/teach/register.html",
        {
            "session": session,
            "run": session.run,
            "rows": _register_rows(lines, posted=posted, changed_ids=changed_ids),
            "summary": _register_summary(lines),
            "run_attendance": run_attendance_summary(run=session.run),
            "statuses": AttendanceStatus.choices,
            "refusal": refusal,
            "error": error,
            "history": history,
            "is_coordinator": coordinator,
        },
    )
