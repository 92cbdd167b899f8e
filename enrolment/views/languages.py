"""The language switcher's links: /language/<code>/?next=<the same page in that language>.

A GET that changes nothing of value: it remembers the choice in the language cookie (so an
English chooser is never sent to their browser's language again) and, for a learner, makes
it their language for messages. Only these links set the cookie: anonymous pages set none.
"""

from urllib.parse import urlsplit

from django.http import Http404, HttpResponseRedirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from cms.languages import localised_path, remember_language, safe_next, shown_languages
from enrolment.models import Learner
from enrolment.services.accounts import learner_language_set


@never_cache
@require_safe
def choose(request, code: str):
    if code not in shown_languages():
        raise Http404
    target = urlsplit(safe_next(request, request.GET.get("next")))
    path = localised_path(target.path or "/", code)
    response = HttpResponseRedirect(path + (f"?{target.query}" if target.query else ""))
    remember_language(response, code)
    if request.user.is_authenticated:
        learner = Learner.objects.filter(user=request.user).first()
        if learner is not None and learner.preferred_language != code:
            learner_language_set(learner=learner, language=code)
    return response
