"""/teach/runs/<id>/message/: a teacher (their own runs) or a coordinator (any run) writes to
the class, its waitlist, or both. First a preview (what each language reads, how many by each
channel, who cannot be reached, SMS parts), then "Send". Another teacher's run is a 404, as on
every /teach/ page; the rules are enrolment.services.class_messages'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from enrolment import access
from enrolment.errors import ClassMessageError
from enrolment.forms.base import add_service_error
from enrolment.forms.teach import ClassMessageForm
from enrolment.services.class_messages import (
    run_message_preview,
    run_message_send,
    run_message_token,
)


def _sent_message(sent: int, unreachable: int) -> str:
    first = ngettext("Sent to %(count)d person.", "Sent to %(count)d people.", sent) % {
        "count": sent
    }
    if not unreachable:
        return first
    second = ngettext(
        "%(count)d could not be reached.", "%(count)d could not be reached.", unreachable
    ) % {"count": unreachable}
    return f"{first} {second}"


@login_required
@require_http_methods(["GET", "POST"])
@access.teacher_required
def run_message(request, pk: int):
    run = get_object_or_404(access.runs_for_user(request.user), pk=pk)
    preview = None
    if request.method == "POST":
        form = ClassMessageForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if "send" in request.POST:
                    result = run_message_send(
                        run=run,
                        text=data["text"],
                        audience=data["audience"],
                        by=request.user,
                        token=data["token"],
                    )
                    messages.success(request, _sent_message(result.sent, result.unreachable))
                    return redirect("teach")
                preview = run_message_preview(run=run, text=data["text"], audience=data["audience"])
            except ClassMessageError as refused:
                add_service_error(form, refused)
            else:
                # The "Send" button carries the text that was previewed, and a new token.
                form = ClassMessageForm(
                    initial={
                        "audience": data["audience"],
                        "text": preview.text,
                        "token": run_message_token(),
                    }
                )
    else:
        form = ClassMessageForm()
    return render(
        request,
        "enrolment/teach/run_message.html",
        {"run": run, "form": form, "preview": preview},
    )
