"""Choosing a language: prefixes, the switcher, hreflang, the first visit, the learner's own
language at sign-in, and only well-translated languages shown (cms/languages.py)."""

import re
import struct
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from cms import languages
from enrolment.models import Learner
from tests.conftest import html_of
from tests.factories import PASSWORD

# The catalogues are being translated as this is written: tests name the shown languages
# outright rather than depend on how far the translators are.
SHOWN = ["en", "zh-hant", "ar", "fr", "ur"]


@pytest.fixture(autouse=True)
def shown(settings):
    settings.SHOWN_LANGUAGES = SHOWN


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", html_of(response)).group(0)


def switcher_links(response) -> dict[str, str]:
    """{language code: the page its switcher link leads to}, from the header's switcher."""
    html = html_of(response)
    nav = re.search(r'<nav class="language-switch".*?</nav>', html, re.S).group(0)
    links = {}
    for href, code in re.findall(r'<a href="([^"]+)" lang="([^"]+)"', nav):
        href = href.replace("&amp;", "&")
        assert urlsplit(href).path == f"/language/{code}/"
        links[code] = parse_qs(urlsplit(href).query)["next"][0]
    return links


def test_a_prefixed_page_answers_in_its_language(client, site):
    response = client.get("/ar/courses/")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="ar" dir="rtl">'
    assert 'lang="zh-hant" dir="ltr"' in html_tag(client.get("/zh-hant/"))
    assert 'lang="fr"' in html_tag(client.get("/fr/accounts/login/"))


def test_unprefixed_pages_stay_english(client, site):
    response = client.get("/courses/", HTTP_ACCEPT_LANGUAGE="en-GB,ar;q=0.5")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="en" dir="ltr">'


def test_the_switcher_leads_to_the_same_page_in_each_language_before_main(client, site):
    response = client.get("/ar/courses/?audience=adults")
    html = html_of(response)
    assert html.index('class="language-switch"') < html.index("<main")
    assert switcher_links(response) == {
        "en": "/courses/?audience=adults",
        "zh-hant": "/zh-hant/courses/?audience=adults",
        "ar": "/ar/courses/?audience=adults",
        "fr": "/fr/courses/?audience=adults",
        "ur": "/ur/courses/?audience=adults",
    }
    # Each named in its own script, marked with its language; the current one said so.
    assert re.search(r'lang="ar" hreflang="ar" aria-current="true">العربية</a>', html)
    assert re.search(r'lang="zh-hant" hreflang="zh-hant">繁體中文</a>', html)
    assert html.count('aria-current="true"') == 1
    assert "set_language" not in html and 'name="language"' not in html


def test_error_pages_carry_the_switcher(client, site):
    response = client.get("/ar/no-such-page/")
    assert response.status_code == 404
    # To each language's home page: a missing page has no version in French, and one 404
    # must read as any other (someone else's record answers as no record does).
    assert switcher_links(response)["fr"] == "/fr/"
    assert html_of(response) == html_of(client.get("/ar/another-missing-page/"))


def test_a_language_under_its_share_is_not_offered(client, site, settings):
    settings.SHOWN_LANGUAGES = ["en", "fr"]
    response = client.get("/courses/")
    assert set(switcher_links(response)) == {"en", "fr"}
    assert 'hreflang="ar"' not in html_of(response)
    # Nor chosen, nor reached by the browser's language.
    assert client.get("/language/ar/?next=/courses/").status_code == 404
    assert client.get("/courses/", HTTP_ACCEPT_LANGUAGE="ar").status_code == 200


def test_only_english_shown_means_no_switcher(client, site, settings):
    settings.SHOWN_LANGUAGES = ["en"]
    html = html_of(client.get("/"))
    assert "language-switch" not in html and "hreflang" not in html


def test_hreflang_alternates_are_absolute(client, site):
    html = html_of(client.get("/fr/courses/"))
    head = html[: html.index("</head>")]
    assert '<link rel="alternate" hreflang="ar" href="http://testserver/ar/courses/">' in head
    assert '<link rel="alternate" hreflang="x-default" href="http://testserver/courses/">' in head
    assert '<link rel="alternate" hreflang="en" href="http://testserver/courses/">' in head


@pytest.mark.parametrize("path", ["/", "/courses/", "/ar/courses/", "/ur/"])
def test_anonymous_public_pages_set_no_cookie(client, site, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


def test_a_first_visit_goes_to_the_browsers_language(client, site):
    response = client.get(
        "/courses/?audience=adults", HTTP_ACCEPT_LANGUAGE="ar-EG,ar;q=0.9,en;q=0.5"
    )
    assert response.status_code == 302
    assert response["Location"] == "/ar/courses/?audience=adults"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    assert not response.cookies
    # Hong Kong's and Taiwan's Chinese read the Traditional Chinese pages.
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-HK,zh;q=0.8")
    assert response["Location"] == "/zh-hant/"


def test_english_first_in_the_browser_is_not_redirected(client, site):
    response = client.get("/courses/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9,ar;q=0.8")
    assert response.status_code == 200


def test_choosing_english_stops_the_redirects(client, site):
    response = client.get("/language/en/?next=/ar/courses/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 302
    assert response["Location"] == "/courses/"
    assert response.cookies["django_language"].value == "en"
    response = client.get("/courses/", HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert html_tag(response) == '<html lang="en" dir="ltr">'


def test_a_chosen_language_is_kept_on_unprefixed_links(client, site):
    client.get("/language/ur/?next=/")
    response = client.get("/courses/")
    assert response["Location"] == "/ur/courses/"


def test_bots_posts_and_staff_urls_are_not_redirected(client, site, cast):
    assert client.get("/courses/").status_code == 200  # no Accept-Language
    response = client.post("/accounts/login/", {"username": "x"}, HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    assert client.get("/healthz", HTTP_ACCEPT_LANGUAGE="ar").status_code == 200
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="ar")
    assert not response["Location"].startswith("/ar/")


def test_the_switch_never_leaves_the_site(client, site):
    response = client.get("/language/fr/?next=https://evil.example/courses/")
    assert response["Location"] == "/fr/"
    response = client.get("/language/fr/?next=//evil.example/")
    assert response["Location"] == "/fr/"


def test_a_learner_signs_in_to_their_own_language(client, site, cast):
    Learner.objects.filter(user=cast.learner).update(preferred_language="ar")
    response = client.post("/accounts/login/", {"username": "learner", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/ar/learn/"
    assert response.cookies["django_language"].value == "ar"
    response = client.get(response["Location"])
    assert html_tag(response) == '<html lang="ar" dir="rtl">'


def test_a_learner_signing_in_keeps_the_page_asked_for(client, site, cast):
    Learner.objects.filter(user=cast.learner).update(preferred_language="fr")
    response = client.post(
        "/accounts/login/?next=/learn/profile/", {"username": "learner", "password": PASSWORD}
    )
    assert response["Location"] == "/fr/learn/profile/"


def test_a_sign_up_in_arabic_lands_on_arabic_pages(client, site):
    response = client.post(
        "/accounts/signup/",
        {
            "preferred_name": "Amal",
            "phone": "9123 4567",
            "date_of_birth": "1990-05-01",
            "english_level": "",
            "preferred_language": "ar",
            "password1": "a-long-passphrase",
            "password2": "a-long-passphrase",
        },
    )
    assert response.status_code == 302, html_of(response)
    response = client.post(
        "/accounts/login/", {"username": "+85291234567", "password": "a-long-passphrase"}
    )
    assert response["Location"] == "/ar/learn/"


def test_a_learner_who_switches_gets_messages_in_that_language(client, site, cast):
    client.force_login(cast.learner)
    response = client.get("/language/fr/?next=/learn/")
    assert response["Location"] == "/fr/learn/"
    assert Learner.objects.get(user=cast.learner).preferred_language == "fr"


def test_a_teacher_who_switches_changes_no_record(client, site, cast):
    client.force_login(cast.teacher)
    response = client.get("/language/ur/?next=/teach/")
    assert response["Location"] == "/ur/teach/"


def test_the_printed_verification_url_and_feeds_stay_unprefixed(client, site):
    assert client.get("/certificates/verify/unknown-code-0123456789/").status_code == 404
    assert languages.localised_path("/calendar/abc.ics", "ar") == "/calendar/abc.ics"
    assert languages.localised_path("/admin/pages/", "ar") == "/admin/pages/"
    assert languages.localised_path("/ar/courses/", "en") == "/courses/"


# --- gating: a language is shown from 90% of its catalogue -------------------------------------


def write_mo(path, messages: dict[str, str]) -> None:
    """A compiled catalogue as msgfmt writes it: the header, then the translated messages."""
    entries = sorted({"": "Content-Type: text/plain; charset=UTF-8\n", **messages}.items())
    ids = [k.encode() for k, _ in entries]
    strs = [v.encode() for _, v in entries]
    start = 7 * 4 + 16 * len(entries)
    id_table, str_table, data = [], [], b""
    for value in ids:
        id_table += [len(value), start + len(data)]
        data += value + b"\0"
    for value in strs:
        str_table += [len(value), start + len(data)]
        data += value + b"\0"
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(entries), 28, 28 + 8 * len(entries), 0, 0)
    path.write_bytes(
        header
        + struct.pack(f"{len(id_table)}i", *id_table)
        + struct.pack(f"{len(str_table)}i", *str_table)
        + data
    )


def write_catalogue(root, code: str, total: int, translated: int) -> None:
    folder = root / code / "LC_MESSAGES"
    folder.mkdir(parents=True)
    po = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"', ""]
    for i in range(total):
        po += [
            f'msgid "Message {i}"',
            f'msgstr "{"Ujumbe " + str(i) if i < translated else ""}"',
            "",
        ]
    # An obsolete entry is no longer asked for.
    po += ['#~ msgid "Gone"', '#~ msgstr ""']
    (folder / "django.po").write_text("\n".join(po), encoding="utf-8")
    write_mo(folder / "django.mo", {f"Message {i}": f"Ujumbe {i}" for i in range(translated)})


def test_coverage_counts_what_is_compiled_against_what_is_asked(tmp_path):
    write_catalogue(tmp_path, "sw", total=20, translated=18)
    write_catalogue(tmp_path, "so", total=20, translated=17)
    assert languages.catalogue_coverage("sw", locale_dir=tmp_path) == 0.9
    assert languages.catalogue_coverage("so", locale_dir=tmp_path) == 0.85
    assert languages.catalogue_coverage("bn", locale_dir=tmp_path) == 0.0


def test_a_language_appears_once_ninety_percent_is_translated(tmp_path, settings):
    settings.SHOWN_LANGUAGES = None
    settings.LOCALE_PATHS = [tmp_path]
    write_catalogue(tmp_path, "sw", total=20, translated=18)
    write_catalogue(tmp_path, "so", total=20, translated=17)
    languages._computed_shown.cache_clear()
    try:
        assert languages.shown_languages() == ("en", "sw")
    finally:
        languages._computed_shown.cache_clear()


@override_settings(SHOWN_LANGUAGES=None)
def test_the_startable_languages_are_configured_and_hidden_until_translated():
    codes = dict(languages.settings.LANGUAGES)
    assert {"bn", "vi", "id", "so", "sw"} <= set(codes)
    languages._computed_shown.cache_clear()
    assert not {"bn", "vi", "id", "so", "sw"} & set(languages.shown_languages())


def test_a_learner_who_changes_their_language_on_the_profile_reads_it_next(client, site, cast):
    client.force_login(cast.learner)
    learner = Learner.objects.get(user=cast.learner)
    response = client.post(
        "/learn/profile/",
        {
            "preferred_name": learner.preferred_name,
            "phone": "9123 4567",
            "email": learner.email,
            "languages": "",
            "preferred_language": "ur",
        },
    )
    assert response["Location"] == "/ur/learn/profile/"
    assert response.cookies["django_language"].value == "ur"


def test_the_menus_links_stay_in_the_pages_language(client, site):
    html = html_of(client.get("/ar/courses/"))
    assert '<a class="brand" href="/ar/">' in html
    assert '<a href="/ar/courses/">' in html
    assert 'href="/ar/accounts/login/"' in html
    html = html_of(client.get("/ar/no-such-page/"))
    assert '<a href="/ar/courses/">' in html
