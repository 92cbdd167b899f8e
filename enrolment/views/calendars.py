"""Calendar feeds: the private .ics URL a phone subscribes to, and the page that gives it out.

The feed has no login (calendar apps cannot sign in): the token in its URL is the key, and
the feed is always its owner's, whoever asks. An unknown or replaced token is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from enrolment import access
from enrolment.models import CalendarToken, Learner
from enrolment.services.calendars import (
    calendar_for_user,
    calendar_qr_svg,
    calendar_token_get_or_create,
    calendar_token_revoke,
    calendar_user_for_token,
)


def _no_calendar(request):
    return render(request, "enrolment/calendars/none.html", status=403)


@login_required
@never_cache
@require_safe
def calendar(request):
    if not access.has_calendar(request.user):
        return _no_calendar(request)
    token = CalendarToken.objects.filter(user=request.user).first()
    feed_url = webcal_url = qr_svg = ""
    if token is not None:
        feed_url = request.build_absolute_uri(reverse("calendar_feed", args=[token.token]))
        webcal_url = "webcal://" + feed_url.split("://", 1)[1]
        qr_svg = calendar_qr_svg(url=webcal_url, title=_("QR code of your calendar link"))
    return render(
        request,
        "enrolment/calendars/calendar.html",
        {
            "token": token,
            "feed_url": feed_url,
            "webcal_url": webcal_url,
            "qr_svg": mark_safe(qr_svg),  # segno's SVG of our own URL; it escapes the title
        },
    )


@login_required
@require_POST
def calendar_new_link(request):
    """Make the user's link, or replace it: the old URL stops working at once."""
    if not access.has_calendar(request.user):
        return _no_calendar(request)
    if CalendarToken.objects.filter(user=request.user).exists():
        calendar_token_revoke(user=request.user)
        messages.success(
            request,
            _(
                "Here is your new link. The old link no longer works: remove the old calendar "
                "from your phone and add this one."
            ),
        )
    else:
        calendar_token_get_or_create(user=request.user)
        messages.success(request, _("Here is your calendar link."))
    return redirect("calendar")


# Private to its owner: never stored by a shared cache, never indexed.
@never_cache
@require_safe
def calendar_feed(request, token: str):
    user = calendar_user_for_token(token)
    if user is None:
        raise Http404
    # A calendar app asks in whatever language the phone has; a learner chose theirs.
    language = Learner.objects.filter(user=user).values_list("preferred_language", flat=True)
    with translation.override(language.first() or translation.get_language()):
        ics = calendar_for_user(user=user)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="classes.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
