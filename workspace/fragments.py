"""The report page's costly parts kept as HTML between views (issue 21): the timeline, the
action forms and the triage panel, each under a key made of

- the report's version: its ``updated_at``, its last event, its dispositions' states and
  deadlines and its attachments (a new event, a saved report or a changed disposition is
  a new key: the page never shows an older timeline or forms for an older state);
- the viewer's part in it: workflow role, own disposition, allowed actions, what they may
  read (masked words or not, the identity shown or not), coordinator / executive / agency;
- the language and the time zone of the page.

The access check (``access.get_report_for``) runs on every view before any of this, and
the page's own data (report, dispositions, events) are still read: only their drawing
is kept. Two viewers share a fragment only when every part of the key is the same, so a
fragment drawn for a coordinator (unmasked words, the triage panel, the coordinator's
forms) is never shown to an agency's liaison, nor one agency's forms to another agency.

Forms carry a CSRF token, which is the viewer's own: a kept fragment holds ``CSRF_MARK``
instead, and ``personalise`` writes the viewer's token in its place in the response, and
a new one-time key into each form that has one (action_forms.OneTimeKeyForm).
"""

import hashlib
import re
import uuid

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.html import format_html

from core import choice_lists
from reports import access
from reports.models import OPEN_STATES
from triage.duplicates import stored_duplicates

# Kept this long at most; any change to what a fragment shows is a new key before that.
FRAGMENT_SECONDS = 600
CSRF_MARK = "csrf-token-of-the-viewer"


def _csrf_input(token):
    # What {% csrf_token %} writes (django.template.defaulttags.CsrfTokenNode).
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


MARKED_INPUT = _csrf_input(CSRF_MARK).encode()


# A one-time key (action_forms.OneTimeKeyForm: a message sent twice is recorded once)
# belongs to one page: every page gets new ones, kept forms or not.
_ONE_TIME_KEY = re.compile(rb'name="submission_key" value="[0-9a-f]{32}"')


def personalise(request, response):
    """The viewer's CSRF token where the kept fragments hold the mark, and a new one-time
    key in each form (user text is escaped: neither pattern can come from it)."""
    content = response.content
    if MARKED_INPUT in content:
        content = content.replace(MARKED_INPUT, _csrf_input(get_token(request)).encode())
    content = _ONE_TIME_KEY.sub(lambda _m: b'name="submission_key" value="%s"' % uuid.uuid4().hex.encode(), content)
    response.content = content
    return response


def _digest(*parts) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def panel_reads_first(profile, report):
    """Whether the triage panel will make the report's first read on this page (the worker
    has not read it yet): the action forms are then built before it, as they always were."""
    return profile.sees_everything and report.status in OPEN_STATES and _triage_state(report) is None


def triage_duplicates(user, profile, report):
    """The likely duplicates the triage panel lists, read for its key (they are other
    reports: one merged, closed or grown too old drops out at once), and handed to the
    panel; None when the panel reads them itself (not shown, or its first read)."""
    if not profile.sees_everything or report.status not in OPEN_STATES or _triage_state(report) is None:
        return None
    return stored_duplicates(report, access.reports_visible_to(user))


def keys(
    *,
    report,
    profile,
    part,
    reading,
    show_identity,
    may_see_identity,
    dispositions,
    events,
    attachments,
    duplicates,
    extra,
):
    """The fragments' keys: ``timeline``, ``actions`` and ``triage`` (None: not kept, e.g.
    a refused form shown with its errors)."""
    version = (
        report.pk,
        report.updated_at.isoformat() if report.updated_at else None,
        max((event.pk for event in events), default=0),
        len(events),
        tuple((d.pk, d.state, d.is_active, str(d.follow_up_due_at), str(d.resolution_due_at)) for d in dispositions),
        tuple((a.pk, a.is_public, a.event_id) for a in attachments),
    )
    viewer = (
        part.role,
        part.disposition.pk if part.disposition is not None else None,
        tuple(sorted(part.actions)),
        bool(reading.masked),
        bool(show_identity),
        bool(may_see_identity),
        profile.sees_everything,
        profile.is_coordinator,
        profile.is_executive,
        bool(profile.acting_agency_ids),
    )
    page = (translation.get_language(), timezone.get_current_timezone_name(), settings.FORM_RENDERER)
    triage = _triage_state(report)
    if triage is not None:
        triage += tuple((d.pk, str(d.similarity), str(d.updated_at), d.status) for d in duplicates or ())
    return {
        "timeline": _digest("timeline", version, viewer, page),
        "actions": None
        if extra.get("rejected")
        else _digest("actions", version, viewer, page, extra, choice_lists.version()),
        "triage": None if triage is None else _digest("triage", version, viewer, page, triage),
    }


def _triage_state(report):
    """The report's triage row as the panel reads it; None (not kept) before its first
    read, which the panel itself makes."""
    try:
        triage = report.triage
    except ObjectDoesNotExist:  # ReportTriage.DoesNotExist: the panel reads it the first time
        return None
    if triage.duplicates_at is None:
        return None
    return (
        str(triage.suggested_at),
        str(triage.duplicates_at),
        str(triage.decided_at),
        triage.category_decision,
        triage.agency_decision,
        triage.is_urgent,
    )
