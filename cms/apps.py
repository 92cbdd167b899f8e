from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_save

        from cms import checks  # noqa: F401  (registers the deployment checks)
        from cms.admin_filters import date_range_filters_bound
        from cms.translators import translator_tree_granted

        date_range_filters_bound()
        # Every model's saves: a page's post_save names its own class, never Page.
        post_save.connect(translator_tree_granted, dispatch_uid="cms.translator_tree_granted")
