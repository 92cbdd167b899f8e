"""{% language_links as links %}: the current page in each shown language (cms.languages),
for the switcher in the header and the hreflang links in <head>."""

from django import template

from cms.languages import language_links as links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context) -> list[dict]:
    # Error pages may render without a request (a 500): they get no switcher then.
    return links_for(context.get("request"))
