"""What every page's menu needs to know about the visitor, asked only if a template uses it."""

from cms.roles import LEARNERS, SPONSORS, can_teach, has_role


def roles(request):
    # Callables: the template engine calls them where the menu asks, so pages that never ask
    # (the admin, feeds) cost no query, and those that do cost the one has_role caches.
    user = getattr(request, "user", None)

    def is_sponsor() -> bool:
        return user is not None and has_role(user, SPONSORS)

    def shows_learning() -> bool:
        # "My learning" is for everyone signed in, except a sponsor who is not also a learner.
        return user is not None and (not is_sponsor() or has_role(user, LEARNERS))

    return {
        "nav_can_teach": lambda: user is not None and can_teach(user),
        "nav_is_sponsor": is_sponsor,
        "nav_shows_learning": shows_learning,
    }
