"""{% language_links as links %}: the current page in each shown language (cms.languages),
for the switcher in the header and the hreflang links in <head>; and the |localised filter.
A builtin (settings.TEMPLATES): every template has them without a {% load %}."""

from django import template
from django.utils.translation import get_language

from cms.languages import home_links, localised_path
from cms.languages import language_links as links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    # Error pages may render without a request (a 500): they get no switcher then.
    return links_for(context.get("request"))


@register.simple_tag
def language_home_links() -> list[dict]:
    """For the error pages: each language's home page (cms.languages.home_links)."""
    return home_links()


@register.filter
def localised(path: str) -> str:
    """{{ "/courses/"|localised }}: a page of the site in the page's language (/ar/courses/)."""
    return localised_path(path, get_language())
