from django import template

register = template.Library()


@register.filter
def public_title(report):
    """The report's title for public pages, with personal data masked."""
    return report.headline(masked=True)
