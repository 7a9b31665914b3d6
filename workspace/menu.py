"""The staff menu: four groups ("Laporan", "Staf", "Monev", "Sistem"), each entry shown to
the people its page lets in (the same profiles as the views' guards in agencies/roles.py).
On a small screen the groups fold behind one "Menu" button (static/js/base.js)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def _reads_dispositions(profile, user):
    return bool(profile.reading_agency_ids or profile.sees_everything)


def _staff_member(profile, user):
    return profile.is_staff_member


def _coordinator(profile, user):
    return profile.is_coordinator


@dataclass(frozen=True)
class Entry:
    label: str
    url_name: str
    shown: object  # (profile, user) -> bool
    app: str = ""  # every page of this app counts as this entry's (monev, lapor, accounts)

    def url(self, profile):
        return reverse(self.url_name)


@dataclass(frozen=True)
class LaporEntry(Entry):
    """Coordinators land on the import, other staff on the export."""

    def url(self, profile):
        return reverse("lapor:import" if profile.is_coordinator else "lapor:export")


MENU = (
    (
        pgettext_lazy("staff menu", "Laporan"),
        (
            Entry(_("Kotak masuk"), "workspace:inbox", lambda profile, user: profile.sees_everything),
            Entry(_("Disposisi"), "workspace:dispositions", _reads_dispositions),
            Entry(_("Semua laporan"), "workspace:reports", _staff_member),
            Entry(_("Input laporan"), "workspace:manual_entry", _coordinator),
        ),
    ),
    (
        pgettext_lazy("staff menu", "Staf"),
        (
            Entry(_("Beban kerja"), "staffing:workload", _reads_dispositions),
            Entry(_("Cakupan SK"), "staffing:coverage", lambda profile, user: profile.sees_everything or user.is_staff),
        ),
    ),
    (
        _("Monev"),
        (
            Entry(_("Monev"), "monev:dashboard", _staff_member, app="monev"),
            Entry(_("Rekap kanal"), "workspace:channel_recap", _staff_member),
        ),
    ),
    (
        _("Sistem"),
        (
            LaporEntry(_("SP4N-LAPOR!"), "lapor:import", _staff_member, app="lapor"),
            Entry(_("Pengiriman"), "workspace:deliveries", _coordinator),
            Entry(_("Admin"), "admin:index", lambda profile, user: user.is_superuser),
            Entry(_("Akun"), "accounts:security", lambda profile, user: user.is_authenticated, app="accounts"),
        ),
    ),
)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool


def menu_for(request, profile) -> list[tuple[str, list[Link]]]:
    """The groups this person sees, each with its links; a group without one is left out."""
    if profile is None:
        return []
    match = request.resolver_match
    groups = []
    for name, entries in MENU:
        links = [
            Link(
                entry.label,
                entry.url(profile),
                bool(match) and (match.view_name == entry.url_name or (entry.app and match.app_name == entry.app)),
            )
            for entry in entries
            if entry.shown(profile, request.user)
        ]
        if links:
            groups.append((name, links))
    return groups
