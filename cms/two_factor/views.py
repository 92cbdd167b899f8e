"""The two-factor step after the password: set up an authenticator app once, then give its
code at each sign-in."""

import re
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from cms.two_factor import has_authenticator, needs_second_factor

DEVICE_NAME = "Authenticator app"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("sign-in", "Code from the app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        # Apps show the code as "123 456"; people type it either way.
        code = "".join(self.cleaned_data["code"].split())
        if not re.fullmatch(r"[0-9]{6}", code):
            raise ValidationError(_("Enter the 6 digits your authenticator app shows."))
        return code


def _next_url(request) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("wagtailadmin_home")


def _check_code(request, form: CodeForm, device: TOTPDevice) -> bool:
    """Whether the code is the device's current one. Each wrong code makes the device refuse
    every code for a while (django-otp doubles the wait each time), so codes cannot be
    guessed in bulk."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", _("Too many wrong codes. Wait a minute, then try again."))
        return False
    if verify_token(request.user, device.persistent_id, form.cleaned_data["code"]):
        return True
    form.add_error("code", _("That code is not right. Enter the code your app shows now."))
    return False


@sensitive_post_parameters("code")
@never_cache
@login_required
def verify(request):
    user = request.user
    next_url = _next_url(request)
    if not needs_second_factor(user) or user.is_verified():
        return redirect(next_url)
    if not has_authenticator(user):
        return redirect(f"{reverse('two_factor_setup')}?{urlencode({'next': next_url})}")
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and _check_code(request, form, device):
        otp_login(request, device)
        return redirect(next_url)
    return render(request, "cms/two_factor/verify.html", {"form": form, "next": next_url})


@sensitive_post_parameters("code")
@never_cache
@login_required
def setup(request):
    user = request.user
    next_url = _next_url(request)
    if not needs_second_factor(user):
        return redirect(next_url)
    if has_authenticator(user):
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url})}")
    # The same key until it is confirmed, so that reloading the page keeps the QR code the
    # person may already have scanned.
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and _check_code(request, form, device):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        # The device's user: request.user is a lazy wrapper, which the log does not recognise.
        log(instance=device.user, action="cms.two_factor_setup", user=device.user)
        messages.success(
            request, _("Two-factor sign-in is set up. You will need a code each time.")
        )
        return redirect(next_url)
    secret = b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        # segno's SVG has no style attributes, so the page's content security policy allows it.
        "qr_svg": mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4)),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "cms/two_factor/setup.html", context)
