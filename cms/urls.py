from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    # Accounts (/accounts/...) and the learner's pages (/learn/...).
    path("", include("enrolment.urls")),
    # Calendar feeds (/calendar/...): the page with the link, and the .ics feed itself.
    path("", include("enrolment.urls_calendar")),
    path("", include("enrolment.urls_certificates")),  # /learn/certificates/, /certificates/verify/
    path("", include("enrolment.urls_sponsor")),  # /sponsor/...
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
