"""/learn/correction/: a learner asks us to correct something we hold about them, and sees
their requests with our answers. Only their own requests, even for a coordinator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enrolment import access
from enrolment.errors import CorrectionError
from enrolment.forms.base import add_service_error
from enrolment.forms.corrections import CorrectionRequestForm
from enrolment.services.corrections import (
    MAX_OPEN_PER_LEARNER,
    correction_request_create,
    own_correction_requests,
)
from enrolment.views.learn import _not_a_learner

REQUESTS_PER_PAGE = 20


@login_required
@require_http_methods(["GET", "POST"])
def learn_correction(request):
    learner = access.learner_for_user(request.user)
    if learner is None:
        return _not_a_learner(request)
    form = CorrectionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            correction_request_create(
                learner=learner, text=form.cleaned_data["text"], by=request.user
            )
        except CorrectionError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("We have your request. We will check it and answer you here.")
            )
            return redirect("learn_correction")
    page_obj = Paginator(own_correction_requests(learner=learner), REQUESTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "enrolment/learn/correction.html",
        {"learner": learner, "form": form, "page_obj": page_obj, "limit": MAX_OPEN_PER_LEARNER},
    )
