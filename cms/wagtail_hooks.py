"""The site's own Wagtail hooks."""

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.menu import MenuItem
from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from cms.forms import PeopleChoiceField, PeopleMultipleChoiceField
from cms.roles import is_coordinator
from cms.translation_editing import can_edit_catalogues
from cms.two_factor import admin as two_factor_admin

# Every admin form that chooses accounts (a run's teachers) names them as colleagues know them.
register_form_field_override(
    models.ForeignKey, to=get_user_model(), override={"form_class": PeopleChoiceField}
)
register_form_field_override(
    models.ManyToManyField, override={"form_class": PeopleMultipleChoiceField}
)


@hooks.register("before_serve_document")
def documents_are_for_staff(document, request):
    """Files uploaded under Documents are the centre's working papers (registers, consent
    forms, reports), not public downloads: only staff who work with documents fetch them, not
    everyone who may use the admin (translators may, and read no one's papers). Their ids are
    sequential, so a public URL would be a list of every file."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url=reverse("wagtailadmin_login"))
    if not user.has_perm("wagtailadmin.access_admin"):
        raise PermissionDenied
    documents = policy_registry.get_by_type(get_document_model())
    if not documents.user_has_any_permission(user, {"add", "change", "choose"}):
        raise PermissionDenied
    return None


@hooks.register("register_admin_urls")
def two_factor_admin_urls():
    return [
        path("two-factor/", two_factor_admin.staff_list, name="two_factor_staff"),
        path(
            "two-factor/<int:user_id>/reset/",
            two_factor_admin.staff_reset,
            name="two_factor_staff_reset",
        ),
    ]


class TwoFactorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_coordinator(request.user)


@hooks.register("register_settings_menu_item")
def two_factor_menu_item():
    return TwoFactorMenuItem(
        _("Two-factor sign-in"), reverse("two_factor_staff"), icon_name="key", order=900
    )


@hooks.register("register_log_actions")
def two_factor_log_actions(actions):
    actions.register_action(
        "cms.two_factor_setup", _("Set up two-factor sign-in"), _("Two-factor sign-in set up")
    )
    actions.register_action(
        "cms.two_factor_reset",
        _("Reset two-factor sign-in"),
        _("Two-factor sign-in reset by a coordinator"),
    )


class TranslateInterfaceMenuItem(MenuItem):
    def is_shown(self, request):
        return can_edit_catalogues(request.user)


@hooks.register("register_admin_menu_item")
def translate_interface_menu_item():
    """/translate/, on a staging copy (TRANSLATION_EDITING), for the translators."""
    return TranslateInterfaceMenuItem(
        _("Translate the interface"), reverse("translate"), icon_name="globe", order=10_000
    )
