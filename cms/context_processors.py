"""What every page's menu needs to know about the visitor, asked only if a template uses it."""

from cms.roles import can_teach


def roles(request):
    # A callable: the template engine calls it where the menu asks, so pages that never ask
    # (the admin, feeds) cost no query, and those that do cost the one has_role caches.
    user = getattr(request, "user", None)
    return {"nav_can_teach": lambda: user is not None and can_teach(user)}
