"""The four roles, as the groups the roles migration creates, and the checks views share."""

LEARNERS = "Learners"
TEACHERS = "Teachers"
SPONSORS = "Sponsors"
COORDINATORS = "Coordinators"


def has_role(user, role: str) -> bool:
    """Whether the user is in the role's group. The answer is kept on the user object, so a
    request that asks several times costs one query."""
    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_role_cache", {})
    if role not in cache:
        cache[role] = user.groups.filter(name=role).exists()
    return cache[role]


def is_coordinator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, COORDINATORS))
