"""Recording who looked at whose personal data (enrolment.models.AccessLog).

Views call `access_log_record` when a member of staff opens a person's record or downloads a
file naming them, and an export calls it once with the number of rows it wrote. Only staff
are logged: a learner reading their own page, or a sponsor their statement, is not "access"
in the sense the log answers (who at the centre looked at this person).
"""

from django.contrib.auth.models import AbstractBaseUser

from cms.roles import acting_user, staff_name
from enrolment.models import AccessAction, AccessLog, Learner

WHAT_MAX_LENGTH = AccessLog._meta.get_field("what").max_length


def access_log_record(
    *,
    user: AbstractBaseUser,
    action: AccessAction | str,
    what: str,
    learner: Learner | None = None,
    rows: int | None = None,
) -> AccessLog:
    """One row: `user` did `action` on `what` (a URL name or a short description), about
    `learner` if it concerns one person, and `rows` people or lines for an export."""
    return AccessLog.objects.create(
        user=acting_user(user),
        user_name=staff_name(user) if user.is_authenticated else "",
        action=action,
        learner=learner,
        what=str(what)[:WHAT_MAX_LENGTH],
        rows=rows,
    )


def access_log_viewed(*, user: AbstractBaseUser, learner: Learner, what: str) -> AccessLog:
    """A member of staff opened `learner`'s record (or a record about them: a child's school
    place, a sponsorship, a term report)."""
    return access_log_record(user=user, action=AccessAction.VIEWED, learner=learner, what=what)


def access_log_exported(
    *, user: AbstractBaseUser, what: str, rows: int, learner: Learner | None = None
) -> AccessLog:
    """An export of `rows` lines left the system; `learner` when it is about one person (a
    listing filtered to them)."""
    return access_log_record(
        user=user, action=AccessAction.EXPORTED, what=what, rows=rows, learner=learner
    )
