"""/learn/: what the learner needs to attend one of their classes (an interpreter, childcare,
transport fares), changed while the enrolment is active. Their own enrolments only: anyone
else's is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from courses.models import translations_attach
from enrolment import access
from enrolment.errors import EnrolmentError
from enrolment.forms.base import add_service_error
from enrolment.forms.support import SupportForm
from enrolment.services.support import enrolment_support_set


@login_required
@require_http_methods(["GET", "POST"])
def support(request, pk: int):
    enrolments = access.own_enrolments(request.user).select_related("run", "run__course")
    enrolment = get_object_or_404(enrolments, pk=pk)
    if not enrolment.is_active:
        messages.info(request, _("This enrolment is no longer active."))
        return redirect("learn")
    form = SupportForm(
        request.POST if request.method == "POST" else None,
        run=enrolment.run,
        initial=SupportForm.initial_for(enrolment),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_support_set(enrolment=enrolment, support=form.support(), by=request.user)
        except EnrolmentError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved. Thank you: we will get it ready for you."))
            return redirect("learn")
    translations_attach([enrolment.run.course])
    return render(request, "enrolment/learn/support.html", {"enrolment": enrolment, "form": form})
