from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from cms import checks  # noqa: F401  (registers the deployment checks)
        from cms.admin_filters import date_range_filters_bound

        date_range_filters_bound()
