"""{{ day|local_date:"WEEKDAY_DATE_FORMAT" }}: a date in the page's language (cms.formats).
A builtin (settings.TEMPLATES), so that every template has it without a {% load %}."""

from django import template

from cms.formats import local_date as format_local_date

register = template.Library()


@register.filter
def local_date(value, name: str) -> str:
    return format_local_date(value, name)
