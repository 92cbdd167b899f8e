"""What every page's menu needs to know about the visitor, asked only if a template uses it."""

from cms.roles import LEARNERS, SPONSORS, TRANSLATORS, can_teach, has_role


def roles(request):
    # Callables: the template engine calls them where the menu asks, so pages that never ask
    # (the admin, feeds) cost no query, and those that do cost the one has_role caches.
    user = getattr(request, "user", None)

    def is_sponsor() -> bool:
        return user is not None and has_role(user, SPONSORS)

    def shows_learning() -> bool:
        # Each role sees its own links: "My learning" is a learner's page, so a teacher, a
        # sponsor or a translator who does not also learn here is not offered it. Someone
        # signed in with no role at all keeps it (it is where a new account goes).
        if user is None or not user.is_authenticated:
            return False
        if has_role(user, LEARNERS):
            return True
        return not (is_sponsor() or can_teach(user) or has_role(user, TRANSLATORS))

    return {
        "nav_can_teach": lambda: user is not None and can_teach(user),
        "nav_is_sponsor": is_sponsor,
        "nav_shows_learning": shows_learning,
    }
