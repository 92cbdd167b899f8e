"""Ending a run before its last day (enrolment.services.run_ending): the form says how many
classes will be cancelled and how many learners told; a refusal is a form error."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.formats import local_date
from enrolment.admin.runs import RunActionView
from enrolment.errors import EnrolmentError
from enrolment.forms.admin import EndEarlyForm
from enrolment.services.run_ending import run_end_early, run_end_early_preview


class EndRunEarlyView(RunActionView):
    permission_required = "courses.change_courserun"
    form_class = EndEarlyForm
    page_title = gettext_lazy("End the run early")
    header_icon = "date"
    submit_label = gettext_lazy("End early and tell the class")
    button_classname = "button no"
    explanation = gettext_lazy(
        "The run's scheduled classes after the new last day are cancelled, and everyone "
        "enrolled gets one message saying so. Close the run afterwards to record who completed."
    )

    def get_initial(self):
        return {"last_day": timezone.localdate()}

    def rows(self):
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = run_end_early_preview(run=self.run)
        context.update(
            button_classname=self.button_classname,
            facts=[
                (_("Last day now"), self.run.end_date),
                (_("Classes after today still scheduled"), preview["sessions"]),
                (_("Learners enrolled (each gets one message)"), preview["enrolled"]),
            ],
        )
        return context

    def form_valid(self, form):
        last_day = form.cleaned_data["last_day"]
        try:
            ending = run_end_early(
                run=self.run,
                last_day=last_day,
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            )
        except EnrolmentError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _(
                "%(code)s now ends on %(day)s: %(cancelled)d later classes cancelled, "
                "%(told)d learners told."
            )
            % {
                "code": self.run.code,
                "day": local_date(last_day, "MEDIUM_DATE_FORMAT"),
                "cancelled": ending.cancelled,
                "told": ending.told,
            },
        )
        if last_day <= timezone.localdate():
            # Finished now: closing it records who completed, the step that usually follows.
            return redirect(reverse("certificates:close_run", args=[self.run.pk]))
        return redirect(reverse("course_runs:index"))
