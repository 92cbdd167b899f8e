"""The roles, as the groups the migrations create, and the checks views share."""

LEARNERS = "Learners"
TEACHERS = "Teachers"
SPONSORS = "Sponsors"
COORDINATORS = "Coordinators"
# Volunteers who translate the interface (/translate/) and the pages (wagtail-localize); they
# see no one's personal data (cms/migrations/0004_translators).
TRANSLATORS = "Translators"
# Staff who hold the learners' case files: only they read or edit the case reference and the
# caseworker notes (enrolment/migrations, "caseworkers"). Usually coordinators as well.
CASEWORKERS = "Caseworkers"
# Who answers for personal data: they read the access log (who looked at whose record) and
# nothing else (enrolment/migrations/0023_data_protection_group).
DATA_PROTECTION = "Data protection"


def _group_names(user) -> frozenset[str]:
    """The user's group names, read once and kept on the user object: a request that asks
    about several roles (the menu, the view, the service it calls) costs one query."""
    names = user.__dict__.get("_group_names")
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user.__dict__["_group_names"] = names
    return names


def has_role(user, role: str) -> bool:
    """Whether the user is in the role's group."""
    if not user.is_authenticated:
        return False
    return role in _group_names(user)


def is_coordinator(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, COORDINATORS))


def can_teach(user) -> bool:
    """Teachers take their classes' registers; coordinators may take or correct any."""
    return is_coordinator(user) or has_role(user, TEACHERS)


def is_translator(user) -> bool:
    """Translators, and superusers, may edit the interface's catalogues (/translate/)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or has_role(user, TRANSLATORS))
    )


def is_caseworker(user) -> bool:
    """Caseworkers, and superusers, may read and edit the case reference and caseworker notes."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or has_role(user, CASEWORKERS))
    )


def is_data_protection(user) -> bool:
    """Members of Data protection, and superusers, read the access log."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or has_role(user, DATA_PROTECTION))
    )


def staff_name(user) -> str:
    """A member of staff as colleagues know them: "Grace Mbuyi", not "teacher.grace". The
    username only where no name is on file; "" for nobody."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


def acting_user(user):
    """The account to record as who did something: None for nobody (a command, the system)
    or for an anonymous visitor, whose AnonymousUser cannot be saved in a foreign key."""
    return user if user is not None and user.is_authenticated else None
