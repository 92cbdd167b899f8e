"""Signing up and signing in. Password change and reset are Django's own views (see urls.py).

Sign-up never tells whether a phone number or email already has an account: a new account
and a taken identifier both end on the same "next step: sign in" page, and the owner of a
taken email is sent the link to set a new password instead.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit
from django_ratelimit.exceptions import Ratelimited

from cms.languages import localised_path, remember_language, shown_variant
from enrolment import access
from enrolment.errors import AccountError, AccountTakenError
from enrolment.forms.accounts import LoginForm, SignupForm, password_reset_send
from enrolment.forms.base import add_service_error
from enrolment.models import Channel, Learner, Sponsor
from enrolment.services.accounts import account_reset_addresses, learner_register

# Set explicitly because more than one backend is configured; any of them can load the user.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"
# The identifier of the last sign-up, so that its sign-in form needs only the password.
SIGNUP_IDENTIFIER = "signup_identifier"
# Whether the last sign-up left the consent box empty, so the next page can say that no
# messages will come. It depends only on what was typed, so it tells nothing about accounts.
SIGNUP_NO_MESSAGES = "signup_no_messages"


def safe_next_url(request) -> str:
    """The `next` parameter if it points back into this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def _address_rate(group, request) -> str:
    return settings.SIGNUP_RATE_PER_ADDRESS


def _refuse_repeated_identifiers(request, identifiers: list[str]) -> None:
    """Too many sign-ups naming one number or email (from any address): a 429."""
    for identifier in filter(None, identifiers):
        if is_ratelimited(
            request,
            group="signup_identifier",
            key=lambda group, request, identifier=identifier: identifier,
            rate=settings.SIGNUP_RATE_PER_IDENTIFIER,
            increment=True,
        ):
            raise Ratelimited()


@require_http_methods(["GET", "POST"])
@ratelimit(group="signup_address", key="ip", rate=_address_rate, method="POST", block=True)
def signup(request):
    next_url = safe_next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or reverse("learn"))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _refuse_repeated_identifiers(request, [data["phone"], data["email"]])
        try:
            learner_register(
                password=data["password1"],
                preferred_name=data["preferred_name"],
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                email=data["email"],
                english_level=data["english_level"],
                preferred_language=data["preferred_language"],
                languages=data["languages"],
                consent_photo=data["consent_photo"],
                message_channel=data["message_channel"],
                messages_consent=data["messages_consent"],
            )
        except AccountTakenError:
            # Answer exactly as for a new account. Hash the password all the same, so that
            # the time taken does not tell either. The owner of a taken email gets the link
            # to set a new password; an account known by its phone alone has no channel yet
            # (SMS comes with issue 13): the page tells them to ask at the centre.
            make_password(data["password1"])
            for address in account_reset_addresses(phone=data["phone"], email=data["email"]):
                password_reset_send(request, email=address)
        except AccountError as error:
            add_service_error(form, error)
            return render(
                request, "enrolment/accounts/signup.html", {"form": form, "next": next_url}
            )
        request.session[SIGNUP_IDENTIFIER] = data["phone"] or data["email"]
        request.session[SIGNUP_NO_MESSAGES] = (
            not data["messages_consent"] or data["message_channel"] == Channel.NONE
        )
        done = reverse("signup_done")
        return redirect(f"{done}?{urlencode({'next': next_url})}" if next_url else done)
    return render(request, "enrolment/accounts/signup.html", {"form": form, "next": next_url})


@require_safe
def signup_done(request):
    """The next step after a sign-up, whether it made an account or the number or email had
    one already: sign in with the password of the account."""
    next_url = safe_next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or reverse("learn"))
    form = LoginForm(request, initial={"username": request.session.get(SIGNUP_IDENTIFIER, "")})
    return render(
        request,
        "enrolment/accounts/signup_done.html",
        {
            "form": form,
            "next": next_url,
            "no_messages": request.session.get(SIGNUP_NO_MESSAGES, False),
        },
    )


class LoginView(auth_views.LoginView):
    """Django's login with the phone-or-email label. Without a safe `next`, each role lands on
    its own page: coordinators on the admin's dashboard, teachers on /teach/, sponsors on
    /sponsor/, learners on /learn/ (staff first: a teacher who also learns came to teach)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        user = self.request.user
        if access.is_coordinator(user):
            return reverse("wagtailadmin_home")
        if access.can_teach(user):
            return reverse("teach")
        if Sponsor.objects.filter(user_id=self.request.user.pk).exists():
            return reverse("sponsor")
        if Learner.objects.filter(user_id=self.request.user.pk).exists():
            return reverse("learn")
        return super().get_default_redirect_url()

    def form_valid(self, form):
        """Signed in: on to the page asked for, in the learner's own language (chosen at
        sign-up, or since with the switcher), which the cookie then keeps."""
        response = super().form_valid(form)
        preferred = (
            Learner.objects.filter(user_id=self.request.user.pk)
            .values_list("preferred_language", flat=True)
            .first()
        )
        code = shown_variant(preferred) or get_language()
        target = urlsplit(response["Location"])
        if not target.netloc:
            path = localised_path(target.path, code)
            response["Location"] = urlunsplit(("", "", path, target.query, target.fragment))
        remember_language(response, code)
        return response


class SignOutView(auth_views.LogoutView):
    """Sign out and say so: on a shared computer, the next person should see it was done."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return response
