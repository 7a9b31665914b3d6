"""The report lists' table rows (the inbox, every report, a search), written in Python.

Why (issue 21, "Inbox rows, round 4"): 50 rows drawn through the template engine were
most of what was left of an inbox or search page's Python — about twenty variable
look-ups, filters and translations a row, each resolved through the template's context.
Here what is the same for every row (the translated words, the status and channel labels,
the report page's URL pattern, the list's own address for ``?from=``, the time zone and
the date format) is worked out once per page, the categories', kelurahan's and owners'
names once per object, and each row is one string put together from them.

The HTML is character for character what ``workspace/_report_table.html``'s loop drew
(escaped the same way: ``{{ value }}`` and ``{% translate %}`` escape, a
``{% blocktranslate %}`` escapes its values and not its words);
tests/test_workspace_rows.py keeps that loop and compares both for rows of every shape.
What a reader may read of a report (its words masked or not) is still decided per row by
reports/access.py.
"""

from html import escape
from urllib.parse import quote

from django.contrib.humanize.templatetags.humanize import naturaltime
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import dateformat, formats, timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from reports import access
from reports.models import Report

HEADLINE_CHARS = 90
# A pk no report has: reverse() once, then the URL of any report by string formatting.
_PK_MARK = 987654321987654321


def _number(value) -> str:
    """``{{ value }}`` of an integer (localised as the template would)."""
    return escape(number_format(value))


def _label(field_name):
    return {value: escape(str(label)) for value, label in Report._meta.get_field(field_name).flatchoices}


class ReportRows:
    """The rows of one page of a report list for one reader: ``bulk`` draws each row's
    check box (the inbox's bulk form), ``owner_column`` its owner."""

    def __init__(self, request, *, bulk: bool, owner_column: bool):
        self.user = request.user
        self.user_pk = request.user.pk
        self.bulk = bulk
        self.owner_column = owner_column
        url = escape(reverse("workspace:report", args=[_PK_MARK]))
        self.url_start, self.url_end = url.split(str(_PK_MARK))
        self.came_from = escape(quote(request.get_full_path(), safe=""))
        self.channels = _label("channel")
        self.statuses = _label("status")
        self.zone = timezone.get_current_timezone()
        self.datetime_format = formats.get_format("DATETIME_FORMAT")
        self.select = gettext("Pilih %(number)s")
        self.returned = gettext("dikembalikan %(n)s×")
        self.reopened = gettext("dibuka kembali %(n)s×")
        danger = escape(gettext("Laporan tentang bahaya: tangani lebih dulu"))
        self.urgent = f'<span class="ws-marker ws-marker-urgent" title="{danger}">{escape(gettext("mendesak"))}</span> '

        self.confidential = f'<span class="ws-marker">{escape(gettext("rahasia"))}</span>'
        self.anonymous = f'<span class="ws-marker">{escape(gettext("anonim"))}</span>'
        self.me = f"<strong>{escape(gettext('Saya'))}</strong>"
        self.names = {}  # (model, pk) → the escaped name shown
        self.deadlines = {}  # (deadline, overdue) → the cell drawn

    def _name(self, obj, kind):
        """An object's name as ``{{ obj|default:"—" }}`` draws it, once per object."""
        if obj is None:
            return "—"
        key = (kind, obj.pk)
        name = self.names.get(key)
        if name is None:
            if kind == "owner":
                name = escape(obj.get_full_name() or obj.get_username())
            else:
                name = escape(str(obj))
            self.names[key] = name
        return name

    def _deadline(self, deadline, overdue):
        """The deadline cell's contents, once per deadline and page: deadlines fall at the
        end of a working day, so a page's rows share a few of them."""
        if not deadline:
            return '<span class="muted">—</span>'
        key = (deadline, overdue)
        drawn = self.deadlines.get(key)
        if drawn is None:
            drawn = self.deadlines[key] = self._draw_deadline(deadline, overdue)
        return drawn

    def _draw_deadline(self, deadline, overdue):
        local = deadline.astimezone(self.zone)
        return (
            f'<time datetime="{escape(local.isoformat())}"'
            f' title="{escape(dateformat.format(local, self.datetime_format))}"'
            f' class="{"overdue" if overdue else ""}">{escape(naturaltime(local))}</time>'
        )

    def row(self, report) -> str:
        overdue = getattr(report, "deadline_overdue", False)
        number = escape(report.tracking_number)
        parts = [f'\n  <tr class="{"overdue" if overdue else ""}{" urgent" if report.is_urgent else ""}">\n    ']
        if self.bulk:
            label = self.select % {"number": number}
            parts.append(
                f'<td class="ws-check"><input type="checkbox" name="reports" value="{report.pk}" form="bulk"'
                f' aria-label="{label}"></td>'
            )
        headline = escape(truncatechars(access.words_for(self.user, report).headline, HEADLINE_CHARS))
        parts.append(
            f'\n    <td class="ws-nowrap"><a href="{self.url_start}{report.pk}{self.url_end}?from={self.came_from}">'
            f"{number}</a></td>\n    <td>{self.urgent if report.is_urgent else ''}{headline}\n      "
        )
        if report.return_count:
            parts.append(
                f'<span class="ws-marker ws-marker-return">{self.returned % {"n": _number(report.return_count)}}</span>'
            )
        parts.append("\n      ")
        if report.reopen_count:
            parts.append(
                f'<span class="ws-marker ws-marker-reopen">{self.reopened % {"n": _number(report.reopen_count)}}</span>'
            )
        parts.append("\n      ")
        if report.is_confidential:
            parts.append(self.confidential)
        parts.append("\n      ")
        if report.is_anonymous:
            parts.append(self.anonymous)
        channel, status = report.channel, report.status
        supports = _number(report.support_count) if report.support_count else '<span class="muted">0</span>'
        parts.append(
            f"\n    </td>\n    <td>{self._name(report.category, 'category')}</td>"
            f"\n    <td>{self._name(report.region, 'region')}</td>"
            f'\n    <td class="ws-nowrap"><span class="ws-channel ws-channel-{escape(channel)}">'
            f"{self.channels.get(channel, escape(channel))}</span></td>"
            f'\n    <td><span class="badge badge-{escape(status)}">'
            f"{self.statuses.get(status, escape(status))}</span></td>"
            f'\n    <td class="ws-nowrap">{self._deadline(getattr(report, "deadline", None), overdue)}</td>'
            f'\n    <td class="ws-supports">{supports}</td>'
            "\n    "
        )
        if self.owner_column:
            if report.owner_id is None:
                owner = '<span class="muted">—</span>'
            elif report.owner_id == self.user_pk:
                owner = self.me
            else:
                owner = self._name(report.owner, "owner")
            parts.append(f"<td>{owner}</td>")
        parts.append("\n  </tr>")
        return "".join(parts)

    def html(self, reports):
        return mark_safe("".join(self.row(report) for report in reports))  # noqa: S308 — escaped above
