"""Sign in with a phone number or an email, typed any way a person would type it.

"9123 4567", "+852 9123-4567" and "85291234567" all find the account of +85291234567; an
email finds its account whatever its case. Anything else (a staff username such as
"coordinator") is left to Django's ModelBackend, listed after this one.

django-axes counts failed sign-ins per account through `axes_username`, so that respelling
the identifier does not start a fresh count.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from enrolment.models import normalise_phone
from enrolment.services.accounts import email_parse


def _phone_on_file(identifier: str) -> str:
    # Not only numbers that can be called: a number an older check let in must still find
    # its account.
    return normalise_phone(identifier, strict=False)


def user_for_identifier(identifier: str):
    """The one account a phone number or email belongs to, or None."""
    User = get_user_model()
    if "@" in identifier:
        email = email_parse(identifier)
        candidates = [
            User.objects.filter(username=email),
            User.objects.filter(email__iexact=email),
            User.objects.filter(learner__email=email),
        ]
    else:
        phone = _phone_on_file(identifier)
        if not phone:
            return None
        # The username of an account made at sign-up; the learner's phone for accounts a
        # coordinator made, or after the learner changed their number.
        candidates = [
            User.objects.filter(username=phone),
            User.objects.filter(learner__phone=phone),
        ]
    for users in candidates:
        found = list(users[:2])
        if len(found) == 1:
            return found[0]
        if found:  # two accounts share it: refuse to guess which one is meant
            return None
    return None


# django-axes stores the identifier it counts in a column of 255 characters.
AXES_USERNAME_LENGTH = 255


def sign_in_key(identifier: str) -> str:
    """What failed sign-ins with `identifier` are counted against: one key per account.

    Every spelling of an account's phone or email gives its username; an identifier that
    names no account gives its normalised form (so that guesses at a number are counted
    together too); a staff username is taken as typed, as Django's ModelBackend takes it.
    """
    identifier = (identifier or "").strip()
    if len(identifier) > AXES_USERNAME_LENGTH:
        # Longer than any account's username or email: counted under its first characters
        # rather than overflowing axes's column (a 500 on PostgreSQL).
        return identifier[:AXES_USERNAME_LENGTH]
    user = user_for_identifier(identifier) if identifier else None
    if user is not None:
        return user.get_username()
    if "@" in identifier:
        return email_parse(identifier)
    return _phone_on_file(identifier) or identifier


def axes_username(request, credentials: dict | None) -> str:
    """AXES_USERNAME_CALLABLE: the sign-in key of the identifier typed on any sign-in form.

    Both the public form and Wagtail's /admin/login/ name the field "username". After a
    successful sign-in django-axes passes the account's own username, which maps to the same
    key, so that the count is reset for the account.
    """
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "POST", {}).get("username")
    return sign_in_key(typed if isinstance(typed, str) else "")


class PhoneOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        user = user_for_identifier(username)
        if user is None:
            # Hash anyway, so that the time taken does not tell which numbers have accounts.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
