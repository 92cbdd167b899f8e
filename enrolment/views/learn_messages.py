"""/learn/messages/: what the centre sent a learner, and what they replied, newest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from enrolment import access
from enrolment.views.learn import _not_a_learner

MESSAGES_PER_PAGE = 20


@login_required
@require_safe
def learn_messages(request):
    learner = access.learner_for_user(request.user)
    if learner is None:
        return _not_a_learner(request)
    # Only the learner's own rows: nothing here is another person's, even for a coordinator.
    messages = access.own_messages(request.user).order_by("-created_at", "-pk")
    page_obj = Paginator(messages, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "enrolment/learn/messages.html", {"learner": learner, "page_obj": page_obj}
    )
