"""Canned replies (CannedReply): the texts offered in the workspace's message boxes, and
their placeholders filled for one report.

``fill`` replaces only the placeholders it knows and has a value for; anything else in
braces (a typo such as ``{nomer}``, a placeholder with no value yet) stays as written,
so the staff member sees it in the message box before sending, and nothing crashes on an
administrator's text.
"""

import re

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format

from notify.models import CannedReply

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def replies_for(role):
    """The active canned replies for a workflow role ("coordinator", "agency")."""
    if role not in (CannedReply.UsedBy.COORDINATOR, CannedReply.UsedBy.AGENCY):
        return []
    return list(CannedReply.objects.filter(Q(used_by=CannedReply.UsedBy.EVERYONE) | Q(used_by=role), is_active=True))


def indonesian_date(moment) -> str:
    """A deadline as residents read it in a message: "14 Maret 2026"."""
    with translation.override("id"):
        return date_format(timezone.localtime(moment), "j F Y")


def fill(text, values) -> str:
    """``text`` with each ``{name}`` that ``values`` has a non-empty value for replaced."""

    def replace(match):
        value = values.get(match.group(1))
        return str(value) if value not in (None, "") else match.group(0)

    return PLACEHOLDER.sub(replace, text)
