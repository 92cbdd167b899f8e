from django.db import models

from cms.roles import is_coordinator


class OwnedQuerySet(models.QuerySet):
    """Rows that belong to someone: coordinators see every row, the owner their own, anyone
    else (a visitor, another role) none. `owner` is the lookup from the row to its owner's
    account, e.g. "user" or "learner__user"."""

    owner: str

    def for_user(self, user):
        if not user.is_authenticated:
            return self.none()
        if is_coordinator(user):
            return self
        return self.filter(**{self.owner: user})
