"""Sign in with a phone number or an email, typed any way a person would type it.

"9123 4567", "+852 9123-4567" and "85291234567" all find the account of +85291234567; an
email finds its account whatever its case. Anything else (a staff username such as
"coordinator") is left to Django's ModelBackend, listed after this one.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from enrolment.services.accounts import email_parse, phone_parse


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
        phone = phone_parse(identifier)
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
