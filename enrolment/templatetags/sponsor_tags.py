"""Template filters for the sponsor pages."""

from django import template

from enrolment.services.sponsor_statements import hkd as format_hkd

register = template.Library()


@register.filter
def hkd(amount) -> str:
    """{{ line.total|hkd }} is "HK$6,000"."""
    return format_hkd(amount)
