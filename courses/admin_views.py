"""Admin screens beyond create/edit/delete: generating a run's sessions, and the warning when
scheduling double-books a teacher or a venue."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from cms.formats import local_date
from courses.models import CourseRun
from courses.services import (
    Clash,
    hong_kong_holidays,
    run_clashes,
    schedule_dates,
    sessions_generate,
)

CLASHES_SHOWN = 5


def clashes_warn(request, clashes: list[Clash]) -> None:
    """One warning per double booking (the first few), naming the other class; saved anyway."""
    for clash in clashes[:CLASHES_SHOWN]:
        other = clash.other
        values = {
            "code": clash.session.run.code,
            "day": local_date(clash.session.date, "MEDIUM_DATE_FORMAT"),
            "time": f"{clash.session.start_time:%H:%M}–{clash.session.end_time:%H:%M}",
            "other": f"{other.run.code} ({other.run.course.title})",
            "other_time": f"{other.start_time:%H:%M}–{other.end_time:%H:%M}",
        }
        if clash.teachers:
            messages.warning(
                request,
                _(
                    "Double booking: %(teachers)s teaches %(code)s on %(day)s %(time)s and "
                    "%(other)s at %(other_time)s."
                )
                % {**values, "teachers": ", ".join(clash.teachers)},
            )
        if clash.venue:
            messages.warning(
                request,
                _(
                    "Double booking: %(venue)s hosts %(code)s on %(day)s %(time)s and "
                    "%(other)s at %(other_time)s."
                )
                % {**values, "venue": clash.venue},
            )
    if len(clashes) > CLASHES_SHOWN:
        messages.warning(
            request,
            ngettext(
                "%(count)d more double booking.",
                "%(count)d more double bookings.",
                len(clashes) - CLASHES_SHOWN,
            )
            % {"count": len(clashes) - CLASHES_SHOWN},
        )


@permission_required("courses.add_session", raise_exception=True)
@require_http_methods(["GET", "POST"])
def generate_sessions(request, pk):
    run = get_object_or_404(CourseRun.objects.select_related("course", "venue"), pk=pk)
    if request.method == "POST":
        plan = sessions_generate(run=run)
        messages.success(
            request,
            ngettext(
                "%(count)d session created for %(run)s.",
                "%(count)d sessions created for %(run)s.",
                len(plan.created),
            )
            % {"count": len(plan.created), "run": run.code},
        )
        for day, name in plan.skipped_holidays:
            messages.info(
                request,
                _("No class on %(day)s: %(holiday)s.")
                % {"day": f"{day:%a %d %b %Y}", "holiday": name},
            )
        clashes_warn(request, run_clashes(run=run))
        return redirect(reverse("course_sessions:index") + f"?run={run.pk}")

    closed = hong_kong_holidays(run.start_date, run.end_date)
    existing = set(run.sessions.values_list("scheduled_date", flat=True))
    dates = schedule_dates(run=run)
    return TemplateResponse(
        request,
        "courses/admin/generate_sessions.html",
        {
            "run": run,
            "new_dates": [d for d in dates if d not in closed and d not in existing],
            "holidays": [(d, closed[d]) for d in dates if d in closed and d not in existing],
            "existing_count": len(existing),
            "header_title": _("Generate sessions"),
        },
    )
