"""Staff two-factor sign-in (TOTP, with django-otp).

Who may use the admin reads refugees' case data, so with REQUIRE_STAFF_2FA on a password alone
opens nothing for them: until they enter a code from their authenticator app, every page but
the two-factor step and signing out sends them to it. Learners, teachers and sponsors sign in
with a password only (see README, "Production")."""

from django.conf import settings
from django_otp import user_has_device


def needs_second_factor(user) -> bool:
    """Whether the user must give a code before anything else: anyone who may use the admin."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or user.has_perm("wagtailadmin.access_admin")


def is_required(user) -> bool:
    return settings.REQUIRE_STAFF_2FA and needs_second_factor(user)


def has_authenticator(user) -> bool:
    """Whether the user has set up an authenticator app (a confirmed device)."""
    return user_has_device(user, confirmed=True)
