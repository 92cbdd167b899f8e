"""/translate/: a volunteer translates the interface in the browser on a staging copy (issue 12).

Rosetta writes the catalogue it edits: every test here points it at a copy of locale/ and hides
the real one from it, so no test changes the shipped catalogues.
"""

import io
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import polib
import pytest
from django.core import checks
from django.test import override_settings
from django.utils import translation
from wagtail.users.models import UserProfile

from cms import checks as our_checks
from cms import languages
from tests.cms.test_headers import policy
from tests.conftest import html_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SOMALI_FORM = "/translate/files/project/so/0/"


@pytest.fixture
def translator(db):
    return UserFactory(username="translator", groups=["Translators"])


def somali(catalogues) -> Path:
    return catalogues / "so" / "LC_MESSAGES" / "django.po"


def hashes(po: polib.POFile) -> dict[str, str]:
    """Rosetta's name for each message's field: m_<md5 of msgid + msgstr + msgctxt>."""
    import hashlib

    return {
        entry.msgid: hashlib.md5(
            (entry.msgid + entry.msgstr + (entry.msgctxt or "")).encode()
        ).hexdigest()
        for entry in po
        if not entry.msgid_plural
    }


# --- who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize("member", ["anonymous", "learner", "teacher", "coordinator"])
def test_with_editing_off_translate_is_not_found_for_anyone(client, cast, translator, member):
    if member != "anonymous":
        client.force_login(getattr(cast, member))
    assert client.get("/translate/files/project/").status_code == 404
    client.force_login(translator)
    assert client.get("/translate/").status_code == 404
    assert client.get(SOMALI_FORM).status_code == 404


def test_a_visitor_is_sent_to_the_admin_sign_in(client, catalogues):
    response = client.get("/translate/files/project/")
    assert response.status_code == 302
    assert urlsplit(response.url).path == "/admin/login/"
    assert "next=/translate/files/project/" in response.url.replace("%2F", "/")


@pytest.mark.parametrize("member", ["learner", "teacher", "sponsor", "coordinator"])
def test_anyone_else_signed_in_finds_nothing_there(client, cast, catalogues, member):
    client.force_login(getattr(cast, member))
    for path in ["/translate/", "/translate/files/project/", SOMALI_FORM]:
        assert client.get(path).status_code == 404, path
    assert client.post(SOMALI_FORM, {}).status_code == 404


def test_a_translator_sees_the_site_catalogue_in_every_language(client, translator, catalogues):
    client.force_login(translator)
    assert client.get("/translate/").url == "/translate/files/project/"
    response = client.get("/translate/files/project/")
    assert response.status_code == 200
    html = html_of(response)
    for name in ["Traditional Chinese", "Arabic", "French", "Urdu", "Somali", "Bengali"]:
        assert name in html
    assert SOMALI_FORM in html
    # Whether each is on the site: the four shipped ones are, Somali is not yet.
    assert response.context["shown_codes"] == ("en", "zh-hant", "ar", "fr", "ur")


def test_a_superuser_gets_in(client, catalogues):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert client.get("/translate/files/project/").status_code == 200


def test_only_the_site_catalogues_are_listed_never_django_or_wagtail(
    client, translator, catalogues
):
    client.force_login(translator)
    listed = {
        path
        for _code, _name, files in client.get("/translate/files/project/").context["languages"]
        for _app, path, _po in files
    }
    assert listed and all(Path(path).is_relative_to(catalogues) for path in listed)
    for other in ["django", "third-party", "all"]:
        assert client.get(f"/translate/files/{other}/").status_code == 404
        assert client.get(f"/translate/files/{other}/fr/0/").status_code == 404


def test_machine_suggestions_are_off(client, translator, catalogues):
    client.force_login(translator)
    assert client.get("/translate/suggest/?from=en&to=so&text=Courses").status_code == 404


def test_the_staff_two_factor_step_comes_first(client, translator, catalogues, settings):
    settings.REQUIRE_STAFF_2FA = True
    client.force_login(translator)
    response = client.get("/translate/files/project/")
    assert response.status_code == 302
    assert urlsplit(response.url).path == "/accounts/two-factor/setup/"


def test_the_admin_menu_links_it_for_translators_while_editing_is_on(
    client, translator, catalogues, settings
):
    client.force_login(translator)
    # The sidebar is drawn from JSON.
    assert '"url": "/translate/"' in html_of(client.get("/admin/"))
    settings.TRANSLATION_EDITING = False
    assert '"url": "/translate/"' not in html_of(client.get("/admin/"))


# --- translating ------------------------------------------------------------------------------


def test_a_saved_translation_is_written_compiled_and_served(client, translator, catalogues):
    with translation.override("so"):  # this process has read the catalogue before
        assert translation.gettext("Courses") == "Courses"
    client.force_login(translator)
    page = client.get(SOMALI_FORM + "?query=Courses")
    assert page.status_code == 200
    field = "m_" + hashes(polib.pofile(str(somali(catalogues))))["Courses"]
    assert f'name="{field}"' in html_of(page)

    response = client.post(SOMALI_FORM + "?query=Courses", {field: "Koorsooyinka"})
    assert response.status_code == 302

    assert polib.pofile(str(somali(catalogues))).find("Courses").msgstr == "Koorsooyinka"
    compiled = polib.mofile(str(somali(catalogues).with_suffix(".mo")))
    assert compiled.find("Courses").msgstr == "Koorsooyinka"
    # This process reads the new catalogue at once (the others when they start again).
    with translation.override("so"):
        assert translation.gettext("Courses") == "Koorsooyinka"
    assert languages.catalogue_counts("so")[0] == 1


def test_with_several_servers_the_work_stays_in_the_cache_to_download(
    client, translator, catalogues, settings
):
    """TRANSLATION_EDITING_WRITES_FILES off: no server's disk changes, the working copy lives
    in the shared cache (Redis in production), and the volunteer downloads it at the end."""
    settings.TRANSLATION_EDITING_WRITES_FILES = False
    po = somali(catalogues)
    original = po.read_bytes()
    client.force_login(translator)
    page = client.get(SOMALI_FORM + "?query=Courses")
    assert "read-only" in html_of(page)
    field = "m_" + hashes(polib.pofile(str(po)))["Courses"]
    client.post(SOMALI_FORM + "?query=Courses", {field: "Koorsooyinka"})
    assert po.read_bytes() == original

    download = client.get(SOMALI_FORM + "download/")
    assert download.status_code == 200
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert set(archive.namelist()) == {"django.po", "django.mo"}
        saved = polib.pofile(archive.read("django.po").decode())
    assert saved.find("Courses").msgstr == "Koorsooyinka"


def test_the_pages_keep_the_site_strict_content_security_policy(client, translator, catalogues):
    """Rosetta's pages load their script and styles from files (our own base template): they
    need none of the admin's relaxations."""
    client.force_login(translator)
    for path in ["/translate/files/project/", SOMALI_FORM]:
        directives = policy(client.get(path))
        assert directives["script-src"] == {"'self'"}, path
        assert directives["style-src"] == {"'self'"}, path
        assert directives["frame-ancestors"] == {"'none'"}, path


def test_the_pages_are_in_the_translators_admin_language_right_to_left_in_arabic(
    client, translator, catalogues
):
    profile = UserProfile.get_for_user(translator)
    profile.preferred_language = "ar"
    profile.save()
    client.force_login(translator)
    html = html_of(client.get("/translate/files/project/"))
    assert '<html lang="ar" dir="rtl">' in html


# --- the deployment checks --------------------------------------------------------------------


def warnings(settings_overrides) -> set[str]:
    with override_settings(**settings_overrides):
        found = our_checks.translation_editing_cache(None) + (
            our_checks.translation_editing_is_for_staging(None)
        )
    return {message.id for message in found if message.level == checks.WARNING}


def test_editing_with_a_cache_of_each_process_own_is_warned_of():
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
        }
    }
    assert warnings({"TRANSLATION_EDITING": True, "CACHES": locmem}) == {"cms.W003", "cms.W004"}
    assert warnings({"TRANSLATION_EDITING": True, "CACHES": redis}) == {"cms.W004"}
    assert warnings({"TRANSLATION_EDITING": False, "CACHES": locmem}) == set()


@pytest.mark.parametrize(
    "path",
    [
        "/translate/files/project/xx/0/",
        "/translate/files/project/so/99/",
        "/translate/files/project/so/99/download/",
        SOMALI_FORM + "?page=abc&msg_filter=nonsense",
        SOMALI_FORM + "?ref_lang=../../etc",
        SOMALI_FORM + "?query=" + "(" * 500,
        SOMALI_FORM + "?query=a%00b",
    ],
)
def test_junk_in_the_url_is_never_a_server_error(client, translator, catalogues, path):
    client.force_login(translator)
    # A download that finds no catalogue goes back to the list.
    assert client.get(path).status_code in (200, 302, 400, 404)


def test_a_form_of_junk_changes_nothing(client, translator, catalogues):
    before = somali(catalogues).read_bytes()
    client.force_login(translator)
    response = client.post(SOMALI_FORM, {"m_nothex": "x", "m_" + "0" * 32: "y", "f_1": "1"})
    assert response.status_code == 302
    assert somali(catalogues).read_bytes() == before
