from django import template

from portal import presenters

register = template.Library()


@register.filter
def public_title(report):
    """The report's title for public pages, with personal data masked."""
    return presenters.scrub(report.public_title(), report)
