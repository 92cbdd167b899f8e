from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.decorators.cache import never_cache
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.documents import urls as wagtaildocs_urls

from cms import views
from cms.exports import SafeLogEntriesView

# One URL in every language: the staff's screens (the admin, /translate/), the load
# balancer's probe, documents, calendar feeds and the language switcher's links.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Wagtail's site history, with exports that neutralise formulas and survive any title:
    # before Wagtail's admin so that this path is found first; guarded as Wagtail guards it.
    path(
        "admin/reports/site-history/",
        require_admin_access(never_cache(SafeLogEntriesView.as_view())),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("accounts/two-factor/", include("cms.two_factor.urls")),
    path("documents/", include(wagtaildocs_urls)),
    # The interface's catalogues in the browser: a staging copy only (TRANSLATION_EDITING).
    path("translate/", include("cms.translation_editing")),
    path("", include("enrolment.urls.unprefixed")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only the site's images: learner photos and documents have views that check who asks.
    urlpatterns += static(
        settings.MEDIA_URL, view=views.public_media, document_root=settings.MEDIA_ROOT
    )

# The site's pages: English at today's URLs (/courses/), every other language under its
# prefix (/ar/courses/). Last, and with Wagtail's pages last within it: cms.languages takes
# whatever the patterns above do not answer for a page with a version per language. The
# printed /certificates/verify/<code>/ is among them and keeps answering unprefixed.
urlpatterns += i18n_patterns(
    # Accounts, /learn/, /teach/, /calendar/, certificates and /sponsor/ (enrolment.urls).
    path("", include("enrolment.urls")),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
