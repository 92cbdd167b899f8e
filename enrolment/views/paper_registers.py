"""/teach/runs/<pk>/register...: a run's paper register, as a spreadsheet, printed, and uploaded
back. The run comes through enrolment.access like every /teach/ page: another teacher's run is a
404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from cms.exports import attachment
from courses.models import translations_attach
from enrolment.forms.teach import RegisterUploadForm
from enrolment.models import ATTENDANCE_CODES
from enrolment.services.register_sheets import (
    register_filename,
    register_grid_rows,
    register_key_lines,
    register_sessions,
    register_workbook,
    session_headings,
)
from enrolment.services.register_uploads import register_import
from enrolment.views.teach import get_run_for_user, warn_kept

PRINT_COLUMNS = 12  # classes per printed table: what fits across A4 landscape
PROBLEMS_SHOWN = 50


@never_cache
@login_required
@require_GET
def register_xlsx(request, pk: int):
    run = get_run_for_user(request.user, pk)
    return attachment(register_workbook(run=run), filename=register_filename(run=run))


@login_required
@require_GET
def register_print(request, pk: int):
    run = get_run_for_user(request.user, pk)
    sessions = register_sessions(run=run)
    headings = session_headings(sessions)
    rows = list(register_grid_rows(run=run, sessions=sessions))
    tables = []
    for start in range(0, len(sessions), PRINT_COLUMNS):
        stop = start + PRINT_COLUMNS
        tables.append(
            {
                "columns": list(zip(sessions[start:stop], headings[start:stop], strict=True)),
                "first": sessions[start],
                "last": sessions[start:stop][-1],
                "rows": [(row, row.cells[start:stop]) for row in rows],
            }
        )
    translations_attach([run.course, run.venue])
    return render(
        request,
        "enrolment/teach/register_print.html",
        {
            "run": run,
            "teachers": run.teachers.all(),
            "tables": tables,
            "has_rows": bool(rows),
            "codes": [(code, status.label) for code, status in ATTENDANCE_CODES.items()],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_upload(request, pk: int):
    run = get_run_for_user(request.user, pk)
    form = RegisterUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    problems = []
    if request.method == "POST" and form.is_valid():
        result = register_import(run=run, file=form.cleaned_data["file"], by=request.user)
        if result.ok:
            messages.success(
                request,
                _("Register uploaded: %(marked)d marks read, %(created)d new, %(changed)d changed.")
                % {"marked": result.marked, "created": result.created, "changed": result.changed},
            )
            warn_kept(request, result.kept, sheet=True)
            return redirect("teach_run_upload", pk=run.pk)
        problems = result.errors
    translations_attach([run.course])
    return render(
        request,
        "enrolment/teach/register_upload.html",
        {
            "run": run,
            "form": form,
            "problems": problems[:PROBLEMS_SHOWN],
            "problem_count": len(problems),
            "more_problems": max(0, len(problems) - PROBLEMS_SHOWN),
            "key_lines": register_key_lines(run=run)[1:],
        },
    )
