"""The gate: staff signed in with a password only reach the two-factor step and nothing else."""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from cms.two_factor import has_authenticator, is_required

# The views a staff member may reach before giving a code: the step itself, signing out, and
# what carries no data (the load balancer's probe, the language switch).
OPEN_VIEWS = {
    "two_factor_verify",
    "two_factor_setup",
    "logout",
    "wagtailadmin_logout",
    "healthz",
    "language",
}


class StaffTwoFactorMiddleware:
    """After django-otp's OTPMiddleware, which tells whether this session gave a code."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Every URL, not only /admin/: coordinators also read every register on /teach/,
        # every certificate, and the admin's documents under /documents/.
        if request.resolver_match.url_name in OPEN_VIEWS:
            return None
        user = request.user
        if not is_required(user) or user.is_verified():
            return None
        step = "two_factor_verify" if has_authenticator(user) else "two_factor_setup"
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")
