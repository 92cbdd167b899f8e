"""/translate/: the interface's catalogues edited in the browser (django-rosetta).

For a staging copy where volunteers translate (TRANSLATION_EDITING); off, every URL here is a
404. Only the Translators group and superusers get in, after the staff two-factor step
(cms.two_factor: a translator may use the admin, so the middleware asks them for a code); anyone
else signed in gets the same 404 as a URL that does not exist. Only the site's own catalogues
(locale/) are listed: Rosetta's lists of Django's and third-party catalogues have no URL here.

Rosetta saves to the .po (and compiles the .mo) on the server that answered the request. With
TRANSLATION_EDITING_WRITES_FILES off (several app servers) it writes no file and keeps each
volunteer's working copy in the shared cache, to download.
See locale/README.md for the volunteer's path and what works with several app servers.
"""

import functools
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import re_path, reverse, reverse_lazy
from django.utils.translation.reloader import translation_file_changed
from django.views.generic import RedirectView
from rosetta import views as rosetta
from rosetta.signals import post_save
from wagtail.admin.localization import get_localized_response

from cms import languages
from cms.roles import is_translator

# Rosetta's lists are "project", "django", "third-party" and "all": only the first is ours.
PROJECT = "project"


def can_edit_catalogues(user) -> bool:
    """Rosetta's access check (ROSETTA_ACCESS_CONTROL_FUNCTION), and the admin menu's."""
    return settings.TRANSLATION_EDITING and is_translator(user)


def editing_only(view):
    """Answer only while TRANSLATION_EDITING is on, and only to translators: the admin's
    sign-in page for someone signed out, a 404 for anyone else (as for a URL that is not).
    The pages are in the language the translator chose for the admin, as the admin is."""

    @functools.wraps(view)
    def gated(request, *args, **kwargs):
        if not settings.TRANSLATION_EDITING:
            raise Http404
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.get_full_path(), login_url=reverse("wagtailadmin_login")
            )
        if not can_edit_catalogues(request.user):
            raise Http404
        return get_localized_response(view, request, *args, **kwargs)

    return gated


def no_suggestions(request):
    """Rosetta's form names this URL (machine suggestions), which is off: no internet, and a
    person translates for readers with little schooling."""
    raise Http404


class SavesToDiskOnlyIfAllowed:
    """With TRANSLATION_EDITING_WRITES_FILES off (several app servers), Rosetta treats every
    catalogue as read-only: a volunteer's work stays in the shared cache, whichever server
    answers, and is downloaded, instead of landing on one server's disk page by page."""

    @property
    def po_file_is_writable(self) -> bool:
        return settings.TRANSLATION_EDITING_WRITES_FILES and os.access(self.po_file_path, os.W_OK)


class CatalogueFormView(SavesToDiskOnlyIfAllowed, rosetta.TranslationFormView):
    pass


class CatalogueDownload(SavesToDiskOnlyIfAllowed, rosetta.TranslationFileDownload):
    pass


class CatalogueListView(rosetta.TranslationFileListView):
    """Rosetta's list of catalogues, saying whether the site shows each language now."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["shown_codes"] = languages.shown_languages()
        context["minimum_percent"] = round(settings.SHOWN_LANGUAGE_MIN_COVERAGE * 100)
        return context


def reload_after_save(sender, language_code, request, **kwargs):
    """After a save, this process reads the new .mo at once (Django's own reload, as runserver
    does on a changed file), and shows the language if it now passes the 90% mark. Other app
    servers read it when they start again."""
    translation_file_changed(sender=None, file_path=Path("django.mo"))
    languages._computed_shown.cache_clear()


post_save.connect(reload_after_save, dispatch_uid="cms.translation_editing.reload_after_save")

# The names are Rosetta's: its views and templates reverse them.
urlpatterns = [
    re_path(
        r"^$",
        editing_only(RedirectView.as_view(url=reverse_lazy("rosetta-file-list", args=[PROJECT]))),
        name="translate",
    ),
    re_path(
        rf"^files/(?P<po_filter>{PROJECT})/$",
        editing_only(CatalogueListView.as_view()),
        name="rosetta-file-list",
    ),
    re_path(
        rf"^files/(?P<po_filter>{PROJECT})/(?P<lang_id>[\w\-_\.@]+)/(?P<idx>\d+)/$",
        editing_only(CatalogueFormView.as_view()),
        name="rosetta-form",
    ),
    re_path(
        rf"^files/(?P<po_filter>{PROJECT})/(?P<lang_id>[\w\-_\.@]+)/(?P<idx>\d+)/download/$",
        editing_only(CatalogueDownload.as_view()),
        name="rosetta-download-file",
    ),
    re_path(r"^suggest/$", editing_only(no_suggestions), name="rosetta.translate_text"),
]
