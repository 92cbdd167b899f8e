"""The coordinators' screen for staff two-factor sign-in: who has set it up, and a reset for a
colleague who lost their phone (they set it up again at their next sign-in)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.log_actions import log

from cms.roles import is_coordinator


def staff_users():
    """Everyone who may use the admin, and so must give a second factor."""
    access = Q(
        permissions__codename="access_admin", permissions__content_type__app_label="wagtailadmin"
    )
    may_use_admin = (
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__in=Group.objects.filter(access))
        | Q(user_permissions__codename="access_admin")
    )
    has_app = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        get_user_model()
        .objects.filter(may_use_admin, is_active=True)
        .distinct()
        .annotate(has_authenticator=Exists(has_app))
        .order_by("first_name", "last_name", "username")
    )


def _coordinators_only(request):
    if not is_coordinator(request.user):
        raise PermissionDenied


def staff_list(request):
    _coordinators_only(request)
    return TemplateResponse(
        request,
        "cms/two_factor/admin_staff.html",
        {"staff": staff_users(), "header_title": _("Two-factor sign-in"), "header_icon": "key"},
    )


@require_POST
def staff_reset(request, user_id: int):
    _coordinators_only(request)
    colleague = get_object_or_404(staff_users(), pk=user_id)
    if colleague.pk == request.user.pk:
        # Someone who can still give a code has their phone; a lost one is reset by a
        # colleague, so that one stolen session cannot swap in the thief's app.
        messages.error(request, _("Ask another coordinator to reset your own two-factor sign-in."))
        return redirect("two_factor_staff")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=colleague).delete()
        log(instance=colleague, action="cms.two_factor_reset", user=request.user)
    messages.success(
        request,
        _("Two-factor sign-in reset for %(name)s: they set it up again at their next sign-in.")
        % {"name": colleague.get_full_name() or colleague.get_username()},
    )
    return redirect("two_factor_staff")
