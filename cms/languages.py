"""Which languages the site shows, and how a visitor reaches the page in theirs.

English pages keep today's URLs; every other language lives under its prefix (/ar/courses/).
A language is shown (in the switcher, the hreflang links and first-visit redirects) only once
its interface catalogue is at least SHOWN_LANGUAGE_MIN_COVERAGE translated, so that a half-done
language never shows a half-English page. Its prefix answers before that, for the volunteers
who translate it.
"""

import functools
import gettext
import math
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import polib
from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import Resolver404, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import (
    get_language,
    get_language_from_path,
    get_supported_language_variant,
    to_locale,
)
from django.utils.translation.trans_real import parse_accept_lang_header
from wagtail.coreutils import get_supported_content_language_variant

# Each language named in its own script: a reader finds theirs without reading English.
NAMES = {
    "en": "English",
    "zh-hant": "繁體中文",
    "ar": "العربية",
    "fr": "Français",
    "ur": "اردو",
    "bn": "বাংলা",
    "vi": "Tiếng Việt",
    "id": "Bahasa Indonesia",
    "so": "Soomaali",
    "sw": "Kiswahili",
}


def original_language() -> str:
    """The content language of the default locale: what pages and snippets are first written
    in, and what their translations are copies of."""
    return get_supported_content_language_variant(settings.LANGUAGE_CODE)


def active_language() -> str:
    """The content language of the page (or email) being written: zh-hant, ar, en ..."""
    try:
        return get_supported_content_language_variant(get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return original_language()


_MSGID = re.compile(r'^msgid "(.*)"$')


def _po_entries(po: Path) -> int:
    """How many messages the catalogue asks for: its msgids, less the header (the msgid ""
    directly followed by msgstr) and obsolete entries (#~, which are not lines of msgid)."""
    lines = po.read_text(encoding="utf-8").splitlines()
    count = 0
    for i, line in enumerate(lines):
        match = _MSGID.match(line)
        if not match:
            continue
        header = match.group(1) == "" and i + 1 < len(lines) and lines[i + 1].startswith("msgstr")
        count += not header
    return count


def catalogue_counts(code: str, *, locale_dir: Path | None = None) -> tuple[int, int]:
    """(translated, total): how many of the messages this language's .po asks for its compiled
    catalogue translates. Counted in what is served, the .mo (msgfmt leaves out untranslated
    and fuzzy entries). (0, 0) when either file is missing."""
    folder = Path(locale_dir or settings.LOCALE_PATHS[0]) / to_locale(code) / "LC_MESSAGES"
    po, mo = folder / "django.po", folder / "django.mo"
    if not po.exists() or not mo.exists():
        return 0, 0
    total = _po_entries(po)
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    # A plural message is stored once per form, as (msgid, n): count it once.
    translated = {key[0] if isinstance(key, tuple) else key for key in catalog} - {""}
    return min(len(translated), total), total


def catalogue_coverage(code: str, *, locale_dir: Path | None = None) -> float:
    """The share of the interface's messages this language's compiled catalogue translates
    (catalogue_counts); 1 for the site's own language, 0 without a catalogue."""
    if code == settings.LANGUAGE_CODE:
        return 1.0
    translated, total = catalogue_counts(code, locale_dir=locale_dir)
    return translated / total if total else 0.0


@dataclass(frozen=True)
class CatalogueStatus:
    code: str
    name: str
    translated: int  # in the compiled .mo: what the site serves
    total: int
    in_po: int  # translated in the .po; more than `translated` until it is compiled
    shown: bool

    @property
    def percent(self) -> float:
        return 100 * self.translated / self.total if self.total else 0.0

    @property
    def missing_for_shown(self) -> int:
        """How many more messages must be translated before the language is shown."""
        needed = math.ceil(settings.SHOWN_LANGUAGE_MIN_COVERAGE * self.total)
        return max(needed - self.translated, 0)


def catalogue_statuses() -> list[CatalogueStatus]:
    """Every configured language but the site's own, with how much of its interface is
    translated and whether it is shown (translation_status, for volunteers and staff)."""
    shown = shown_languages()
    statuses = []
    for code, name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        translated, total = catalogue_counts(code)
        po = Path(settings.LOCALE_PATHS[0]) / to_locale(code) / "LC_MESSAGES" / "django.po"
        in_po = len(polib.pofile(str(po)).translated_entries()) if po.exists() else 0
        statuses.append(
            CatalogueStatus(code, str(name), translated, total, in_po, shown=code in shown)
        )
    return statuses


@functools.cache
def _computed_shown() -> tuple[str, ...]:
    # Once per process: catalogues change only with a deployment.
    minimum = settings.SHOWN_LANGUAGE_MIN_COVERAGE
    return tuple(code for code, _name in settings.LANGUAGES if catalogue_coverage(code) >= minimum)


def shown_languages() -> tuple[str, ...]:
    """The codes of the languages offered to visitors, English first. SHOWN_LANGUAGES, when
    set, names them outright (tests; a deployment that must hide one)."""
    forced = getattr(settings, "SHOWN_LANGUAGES", None)
    if forced is not None:
        return tuple(code for code, _name in settings.LANGUAGES if code in forced)
    return _computed_shown()


def _is_localised(path: str) -> bool:
    """Whether `path` (unprefixed) is a page that has a version per language: one that none
    of the URLs before the i18n_patterns (the admin, feeds, /healthz) answers."""
    for pattern in get_resolver().url_patterns:
        if isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern):
            return True
        try:
            if pattern.resolve(path[1:]):
                return False
        except Resolver404:
            continue
    return False


def unprefixed(path: str) -> str:
    """`path` without its language prefix: /ar/courses/ -> /courses/."""
    code = get_language_from_path(path)
    if code and path.startswith(f"/{code}/"):
        return path[len(code) + 1 :]
    return path


def localised_path(path: str, code: str) -> str:
    """The same page in language `code`: /courses/ -> /ar/courses/ and back. A path that has
    no version per language (/admin/, a calendar feed) comes back as it is."""
    base = unprefixed(path)
    return _in_language(base, code, localised=_is_localised(base))


def _in_language(base: str, code: str, *, localised: bool) -> str:
    """`base` (unprefixed) in language `code`, knowing whether it has a version per language:
    a page's links ask that once for every language, not once per language."""
    return f"/{code}{base}" if localised and code != settings.LANGUAGE_CODE else base


def language_links(request) -> list[dict]:
    """The current page in each shown language, for the switcher and the hreflang links.
    Empty when English is the only one shown (a switcher of one says nothing)."""
    shown = shown_languages()
    if len(shown) < 2 or request is None:
        return []
    current = get_language()
    query = request.GET.urlencode()
    base = unprefixed(request.path)
    localised = _is_localised(base)
    links = []
    for code in shown:
        path = _in_language(base, code, localised=localised) + (f"?{query}" if query else "")
        links.append(
            {
                "code": code,
                "name": NAMES.get(code, code),
                "url": path,
                "absolute_url": request.build_absolute_uri(path),
                "choose_url": f"{reverse('language', args=[code])}?{urlencode({'next': path})}",
                "current": code == current,
            }
        )
    return links


def home_links() -> list[dict]:
    """Each shown language's home page, for the switcher of an error page: not the current
    path, which for a 404 leads nowhere and would make one 404 differ from another (they must
    not: someone else's record answers the same 404 as none); and no host, which a refused
    request may not have."""
    shown = shown_languages()
    if len(shown) < 2:
        return []
    current = get_language()
    localised = _is_localised("/")
    return [
        {
            "code": code,
            "name": NAMES.get(code, code),
            "choose_url": reverse("language", args=[code])
            + "?"
            + urlencode({"next": _in_language("/", code, localised=localised)}),
            "current": code == current,
        }
        for code in shown
    ]


def safe_next(request, target: str | None, fallback: str = "/") -> str:
    """`target` if it stays on this site, else `fallback`."""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else fallback


def shown_variant(code: str | None) -> str | None:
    """The shown language a code such as "zh-HK" or "ar-EG" asks for, if any."""
    if not code:
        return None
    try:
        variant = get_supported_language_variant(code)
    except LookupError:
        return None
    return variant if variant in shown_languages() else None


def wanted_language(request) -> str | None:
    """The language this visitor chose (the cookie a switcher link or sign-in set), else,
    for someone not signed in, the first shown language their browser asks for."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        return shown_variant(chosen)
    if request.user.is_authenticated:
        return None
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        variant = shown_variant(code)
        if variant:
            return variant
    return None


def first_visit_language(get_response):
    """Middleware (after authentication): an unprefixed page asked for with GET goes to the
    same page in the visitor's language when that is not English. English choosers carry
    the cookie and stay; bots without Accept-Language and POSTs are left alone."""

    def middleware(request):
        path = request.path_info
        candidate = (
            request.method in ("GET", "HEAD")
            and not get_language_from_path(path)
            and len(shown_languages()) > 1
            and _is_localised(path)
        )
        if not candidate:
            return get_response(request)
        code = wanted_language(request)
        if code and code != settings.LANGUAGE_CODE:
            target = localised_path(path, code)
            query = request.META.get("QUERY_STRING", "")
            response = HttpResponseRedirect(target + (f"?{query}" if query else ""))
        else:
            response = get_response(request)
        # The answer to an unprefixed URL depends on these: no cache may give one visitor's
        # redirect to another.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return middleware


def remember_language(response, code: str) -> None:
    """Set the language cookie: the visitor chose `code`."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
