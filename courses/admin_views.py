"""Admin screens beyond create/edit/delete: generating a run's sessions."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from courses.models import CourseRun
from courses.services import hong_kong_holidays, schedule_dates, sessions_generate


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
