import posixpath

from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.static import serve

# The folders of MEDIA_ROOT whose files anyone may see: Wagtail's images, shown on the site's
# pages. Everything else there is private: learners' photos (served only through views that
# check the viewer and the learner's consent) and admin documents (staff only).
PUBLIC_MEDIA_FOLDERS = frozenset({"images", "original_images"})


@never_cache
@require_GET
def healthz(request):
    """200 and a JSON body while the database answers; 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def public_media(request, path: str, document_root=None):
    """Development's stand-in for a web server in front of MEDIA_ROOT (DEBUG only): it serves
    the public folders and answers 404 for anything else, however the path is spelled."""
    normalised = posixpath.normpath(path.replace("\\", "/")).lstrip("/")
    folder, _, rest = normalised.partition("/")
    if not rest or folder.casefold() not in PUBLIC_MEDIA_FOLDERS:
        raise Http404
    return serve(request, normalised, document_root=document_root)
