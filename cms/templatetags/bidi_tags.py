"""Text whose direction the page cannot know: a name, a code or a course title inside an Arabic
sentence. ``{{ name|isolate }}`` wraps it in <bdi>, so that "Amina" or "+852 9123 4567" never
reorders the words around it; ``|isolate:"ltr"`` also fixes the direction (phone numbers,
codes, e-mail addresses read left to right in every language).

As a filter, it works inside {% blocktranslate with name=...|isolate %} too, where the
catalogue's msgid stays free of markup.
"""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def isolate(value, direction=""):
    if value in (None, ""):
        return ""
    if direction in ("ltr", "rtl"):
        return format_html('<bdi dir="{}">{}</bdi>', direction, value)
    return format_html("<bdi>{}</bdi>", value)
