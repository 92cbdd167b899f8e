"""An enrolment's support to attend (interpreter, childcare, transport fares), changed by a
coordinator through enrolment.services.support, as the learner does on /learn/."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enrolment.admin.enrolments.actions import EnrolmentActionView
from enrolment.errors import EnrolmentError
from enrolment.forms.base import add_service_error
from enrolment.forms.support import StaffSupportForm
from enrolment.services.support import enrolment_support_set


class SupportView(EnrolmentActionView):
    form_class = StaffSupportForm
    page_title = gettext_lazy("Support to attend")
    submit_label = gettext_lazy("Save")
    explanation = gettext_lazy(
        "What the learner needs to come to class. The teacher sees it on the register; "
        "childcare is counted on the dashboard; fares are paid back for sessions attended."
    )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "run": self.enrolment.run,
            "initial": StaffSupportForm.initial_for(self.enrolment),
        }

    def form_valid(self, form):
        try:
            enrolment_support_set(
                enrolment=self.enrolment, support=form.support(), by=self.request.user
            )
        except EnrolmentError as error:
            add_service_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Support to attend saved for %(learner)s in %(code)s.")
            % {"learner": self.enrolment.learner.preferred_name, "code": self.enrolment.run.code},
        )
        return redirect(reverse("enrolments:inspect", args=[quote(self.enrolment.pk)]))
