"""A report's free text as one reader may read it (reports/access.py decides):

{{ report|headline_for:request.user }}     the title, masked for this reader if need be
{{ event.message|read_as:reading }}        any text on the report, with the page's Reading
"""

from django import template

from reports import access

register = template.Library()


@register.filter
def headline_for(report, user) -> str:
    return access.words_for(user, report).headline


@register.filter
def read_as(text, reading) -> str:
    if reading is None:  # a page that forgot to say how it is read shows nothing private
        return access.Reading(masked=True).text(text)
    return reading.text(text)
