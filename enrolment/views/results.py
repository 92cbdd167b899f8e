"""/teach/runs/<id>/results/: a teacher records their class's results on one page, saved all
or nothing by services.results. Another teacher's run is a 404, as on every /teach/ page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from courses.models import CourseRun
from enrolment import access
from enrolment.errors import CertificationError
from enrolment.services.results import (
    ResultEntry,
    result_enrolments,
    result_passed_parse,
    results_save,
)

PASSED_CHOICES = (
    ("", gettext_lazy("Not known")),
    ("yes", gettext_lazy("Yes")),
    ("no", gettext_lazy("No")),
)


def _passed_value(passed: bool | None) -> str:
    return "" if passed is None else ("yes" if passed else "no")


def _result_rows(run: CourseRun, posted: QueryDict | None) -> list[dict]:
    """One row per learner who took a seat: what was just sent back (after a refusal), else
    the saved result, else nothing."""
    rows = []
    for enrolment in result_enrolments(run=run):
        saved = getattr(enrolment, "result", None)
        row = {
            "enrolment": enrolment,
            "id": enrolment.pk,
            "name": enrolment.learner.preferred_name,
            "saved": saved,
            "score": "" if saved is None or saved.score is None else str(saved.score),
            "passed": _passed_value(saved.passed if saved else None),
            "comment": saved.comment if saved else "",
        }
        if posted is not None and f"score-{enrolment.pk}" in posted:
            row["score"] = posted.get(f"score-{enrolment.pk}", "").strip()
            row["passed"] = posted.get(f"passed-{enrolment.pk}", "")
            row["comment"] = posted.get(f"comment-{enrolment.pk}", "").strip()
        rows.append(row)
    return rows


def _result_entries(rows: list[dict]) -> list[ResultEntry]:
    return [
        ResultEntry(
            enrolment=row["enrolment"],
            score=row["score"],
            passed=result_passed_parse(raw=row["passed"], name=row["name"]),
            comment=row["comment"],
        )
        for row in rows
    ]


@login_required
@require_http_methods(["GET", "POST"])
@access.teacher_required
def run_results(request, pk: int):
    run = get_object_or_404(access.runs_for_user(request.user), pk=pk)
    error, posted = "", None
    if request.method == "POST":
        posted = request.POST
        try:
            count = results_save(
                entries=_result_entries(_result_rows(run, posted)), by=request.user
            )
        except CertificationError as refused:
            error = _("%(message)s Nothing was saved.") % {"message": refused.message}
        else:
            messages.success(
                request,
                ngettext(
                    "Results saved: %(count)d learner's result changed.",
                    "Results saved: %(count)d learners' results changed.",
                    count,
                )
                % {"count": count},
            )
            return redirect("teach_run_results", pk=run.pk)
    return render(
        request,
        "enrolment/teach/results.html",
        {
            "run": run,
            "rows": _result_rows(run, posted),
            "passed_choices": PASSED_CHOICES,
            "error": error,
        },
    )
