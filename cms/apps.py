from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from cms import checks  # noqa: F401  (registers the deployment checks)
        from cms.admin_filters import date_range_filters_bound
        from cms.page_cache import page_signal_received, site_content_changed
        from cms.translators import translator_tree_granted

        date_range_filters_bound()
        # Every model's saves: a page's post_save names its own class, never Page.
        post_save.connect(translator_tree_granted, dispatch_uid="cms.translator_tree_granted")
        # The visitors' page cache is stale once a page or the centre's settings change.
        post_save.connect(site_content_changed, dispatch_uid="cms.page_cache.saved")
        post_delete.connect(site_content_changed, dispatch_uid="cms.page_cache.deleted")
        signals = {"published": page_published, "unpublished": page_unpublished}
        for name, signal in {**signals, "moved": post_page_move}.items():
            signal.connect(page_signal_received, dispatch_uid=f"cms.page_cache.{name}")
