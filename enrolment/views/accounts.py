"""Signing up and signing in. Password change and reset are Django's own views (see urls.py)."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from enrolment.errors import AccountError
from enrolment.forms.accounts import LoginForm, SignupForm
from enrolment.forms.base import add_service_error
from enrolment.models import Learner, Sponsor
from enrolment.services.accounts import learner_register

# Set explicitly because more than one backend is configured; any of them can load the user.
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next_url(request) -> str:
    """The `next` parameter if it points back into this site, else ""."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@require_http_methods(["GET", "POST"])
def signup(request):
    next_url = safe_next_url(request)
    if request.user.is_authenticated:
        return redirect(next_url or reverse("learn"))
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            learner = learner_register(
                password=data["password1"],
                preferred_name=data["preferred_name"],
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                email=data["email"],
                english_level=data["english_level"],
                preferred_language=data["preferred_language"],
            )
        except AccountError as error:
            add_service_error(form, error)
        else:
            login(request, learner.user, backend=SESSION_BACKEND)
            messages.success(
                request,
                _("Welcome, %(name)s. Your account is ready.") % {"name": learner.preferred_name},
            )
            return redirect(next_url or reverse("learn"))
    return render(request, "enrolment/accounts/signup.html", {"form": form, "next": next_url})


class LoginView(auth_views.LoginView):
    """Django's login with the phone-or-email label; by default sponsors land on /sponsor/,
    learners on /learn/."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        if Sponsor.objects.filter(user_id=self.request.user.pk).exists():
            return reverse("sponsor")
        if Learner.objects.filter(user_id=self.request.user.pk).exists():
            return reverse("learn")
        return super().get_default_redirect_url()


class SignOutView(auth_views.LogoutView):
    """Sign out and say so: on a shared computer, the next person should see it was done."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You are signed out."))
        return response
