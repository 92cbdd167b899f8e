"""The site's own Wagtail hooks."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail import hooks


@hooks.register("before_serve_document")
def documents_are_for_staff(document, request):
    """Files uploaded under Documents are the centre's working papers (registers, consent
    forms, reports), not public downloads: only people who may use the admin fetch them.
    Their ids are sequential, so a public URL would be a list of every file."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))
    if not user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    return None
