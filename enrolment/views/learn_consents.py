"""/learn/consents/: the signed-in learner's consents, what each allows, since when and who
recorded it, the history, and a button to give or withdraw each. POST changes only their own
(access.learner_for_user); the rules are enrolment.services.consents_online's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from enrolment import access
from enrolment.errors import ConsentError
from enrolment.forms.consents import ConsentChangeForm
from enrolment.models import ConsentMethod, ConsentPurpose
from enrolment.services.consents import consent_history, consent_is_given
from enrolment.services.consents_online import consent_change_online, consent_online_refusal

HISTORY_PER_PAGE = 20


def _explanations() -> dict[str, str]:
    return {
        ConsentPurpose.PHOTO: _(
            "The centre may take photos that show you and use them, for example on a poster. "
            "If you are sponsored, your sponsor may see your photo."
        ),
        ConsentPurpose.SHARE_PROGRESS: _(
            "Your sponsor may see the name of your school, your school reports and your "
            "certificates."
        ),
        ConsentPurpose.MESSAGES: _(
            "We may send you messages about your classes by WhatsApp, text message or email."
        ),
        ConsentPurpose.STORY: _(
            "The centre may publish a story about you on its website, with the name you choose."
        ),
    }


def _who(method: str) -> str:
    return {
        ConsentMethod.ONLINE: _("you, on this site"),
        ConsentMethod.IN_PERSON: _("centre staff"),
        ConsentMethod.GUARDIAN: _("your parent or guardian"),
        ConsentMethod.REPLY: _("you, by a reply to a message"),
    }.get(method, "")


def _rows(learner):
    latest = {
        row.purpose: row for row in consent_history(learner=learner).filter(withdrawn_at=None)
    }
    explanations = _explanations()
    rows = []
    for purpose, label in ConsentPurpose.choices:
        row = latest.get(purpose)
        given = consent_is_given(learner=learner, purpose=purpose)
        rows.append(
            {
                "purpose": purpose,
                "label": label,
                "explanation": explanations[purpose],
                "given": given,
                "given_at": row.given_at if row and given else None,
                "given_by": _who(row.method) if row and given else "",
                "refusal": ""
                if given
                else consent_online_refusal(learner=learner, purpose=purpose),
            }
        )
    return rows


@login_required
@require_GET
def consents(request):
    learner = access.learner_for_user(request.user)
    if learner is None:
        return render(request, "enrolment/learn/not_a_learner.html", {}, status=403)
    # Who by is said in words from the method ("you", "centre staff"): no staff names here.
    history = (
        consent_history(learner=learner)
        .select_related(None)
        .only("purpose", "given_at", "method", "withdrawn_at", "withdrawn_method")
    )
    page_obj = Paginator(history, HISTORY_PER_PAGE).get_page(request.GET.get("page"))
    for row in page_obj:
        row.given_by_words = _who(row.method)
        row.withdrawn_by_words = _who(row.withdrawn_method)
    context = {"learner": learner, "rows": _rows(learner), "page_obj": page_obj}
    return render(request, "enrolment/learn/consents.html", context)


@login_required
@require_POST
def consent_change(request):
    learner = access.learner_for_user(request.user)
    if learner is None:
        return render(request, "enrolment/learn/not_a_learner.html", {}, status=403)
    form = ConsentChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a consent to give or withdraw."))
        return redirect("learn_consents")
    given = form.cleaned_data["action"] == "give"
    try:
        consent_change_online(
            learner=learner, purpose=form.cleaned_data["purpose"], given=given, by=request.user
        )
    except ConsentError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thank you. Your consent is recorded.")
            if given
            else _("Done. Your consent is withdrawn, from now on."),
        )
    return redirect("learn_consents")
