"""The demo town's places, agencies, categories and people: kecamatan and kelurahan on
the map, the agencies and their units, the categories with their lead agencies, the staff
named in last year's and this year's decrees (SK), and the canned replies. The tables are
in demo/data.py; demo/city.py's loader calls these in order."""

import datetime as dt
import math
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from agencies.actions import issue_decree
from agencies.models import Agency, Decree, DecreeMember, Region
from demo.clock import Clock, simulated_time
from demo.data import (
    AGENCIES,
    CANNED_REPLIES,
    CATEGORIES,
    COMPLAINT_UNIT,
    DEMO_PASSWORD,
    KECAMATAN,
    KECAMATAN_CENTRE,
    ROOT,
    STAFF,
)
from notify.models import CannedReply
from reports.models import (
    Category,
)


def _make_canned_replies():
    CannedReply.objects.bulk_create(
        CannedReply(title=title, body=body, used_by=used_by, position=i)
        for i, (title, body, used_by) in enumerate(CANNED_REPLIES)
    )


def _make_regions(government, kecamatan_table=KECAMATAN, centres=KECAMATAN_CENTRE):
    """The kecamatan at their rough centres, each one's kelurahan on a ring around it (the
    public map's plain base layer and anonymous reports' places; real boundaries are the
    installer's to enter)."""
    kelurahan = []
    for kecamatan_name, names in kecamatan_table.items():
        lat, lng = centres[kecamatan_name]
        kecamatan = Region.objects.create(
            government=government,
            name=kecamatan_name,
            level=Region.Level.KECAMATAN,
            latitude=round(lat, 6),
            longitude=round(lng, 6),
        )
        for i, name in enumerate(names):
            angle = 2 * math.pi * i / len(names)
            kelurahan.append(
                Region.objects.create(
                    government=government,
                    name=name,
                    level=Region.Level.KELURAHAN,
                    parent=kecamatan,
                    latitude=round(lat + 0.006 * math.sin(angle), 6),
                    longitude=round(lng + 0.006 * math.cos(angle), 6),
                )
            )
    return kelurahan


def _make_agencies(government, table=AGENCIES, complaint_unit=COMPLAINT_UNIT, made=None):
    made = dict(made or {})
    for name, short, kind, parent in table:
        made[short] = Agency.objects.create(
            government=government,
            name=name,
            short_name=short,
            kind=kind,
            parent=made[parent] if parent else None,
            is_complaint_unit=short == complaint_unit,
        )
    return made


@dataclass
class _Cat:
    key: str
    category: Category
    agency: Agency
    support: Agency | None


def _make_categories(agencies, government):
    made = {}
    for parent_name, children in CATEGORIES.items():
        parent = Category.objects.create(government=government, name=parent_name)
        for key, name, agency, resolution_class, support in children:
            category = Category.objects.create(
                government=government,
                name=name,
                parent=parent,
                default_agency=agencies[agency],
                resolution_class=resolution_class,
            )
            made[key] = _Cat(key, category, agencies[agency], agencies[support] if support else None)
    return made


# Decrees (SK) naming the demo staff: (issuer's short name, number pattern, title, last
# day of the current decree in days from today). Staff of an agency listed under another
# issuer are named only by that issuer's decrees. PDAM, a city-owned enterprise, appoints
# its own people on its own calendar, and its decree runs out within staffing coverage's
# 30-day horizon with no renewal issued yet: the SK coverage page warns about it.
DECREES = [
    (
        ROOT,
        "188/{n}/410.010/{year}",
        "Tim Pengelola Pengaduan Pelayanan Publik Pemerintah Kota Blitar",
        None,
    ),
    (
        "PDAM",
        "{n}/SK/DIR/TP/{year}",
        "Penghubung dan Operator Pengaduan Perumda Air Minum Tirta Penataran",
        19,
    ),
]
YEAR_DAYS = 365


def _make_users(agencies, now, government):
    """Every demo person is named in last year's decree (ended) and this year's (active,
    renewing it), issued through agencies.actions.issue_decree, so the reports of the past
    twelve months were handled by people in office at the time."""
    User = get_user_model()
    # One hash for every demo account: hashing 40 passwords would take longer than the city.
    password = make_password(DEMO_PASSWORD)
    admin = User.objects.create(
        username="admin", password=password, is_staff=True, is_superuser=True, email="admin@aduan.test"
    )
    users = {}
    for username, full_name, _role, _agency in STAFF:
        first, __, last = full_name.partition(" ")
        users[username] = User.objects.create(
            username=username, password=password, first_name=first, last_name=last, email=f"{username}@aduan.test"
        )
    today = timezone.localdate(now)
    issuers = {short for short, *_ in DECREES}
    for number, (issuer, pattern, title, ends_in) in enumerate(DECREES, start=101):
        if issuer == ROOT:
            members = [row for row in STAFF if row[3] not in issuers - {ROOT}]
        else:
            members = [row for row in STAFF if row[3] == issuer]
        # This year's decree began 60 days ago unless it ends on a given day.
        last_day = today + dt.timedelta(days=ends_in if ends_in is not None else YEAR_DAYS - 61)
        current_from = last_day - dt.timedelta(days=YEAR_DAYS - 1)
        previous = None
        for first_day in (current_from - dt.timedelta(days=YEAR_DAYS), current_from):
            previous = _issue_decree(
                admin,
                government,
                now,
                number=pattern.format(n=number, year=(first_day - dt.timedelta(days=7)).year),
                title=title,
                first_day=first_day,
                renews=previous,
                members=[(users[username], agencies[agency], role) for username, _name, role, agency in members],
            )
    return users


def _issue_decree(admin, government, now, *, number, title, first_day, renews, members):
    """Draft a decree dated a week before its first day, list its members and issue it
    that day at 10:00, as the administrator would have."""
    date = first_day - dt.timedelta(days=7)
    issued_at = timezone.make_aware(dt.datetime.combine(date, dt.time(10, 0)))
    decree = Decree.objects.create(
        government=government,
        number=number,
        date=date,
        title=title,
        valid_from=first_day,
        valid_until=first_day + dt.timedelta(days=YEAR_DAYS - 1),
        renews=renews,
        created_at=issued_at - dt.timedelta(hours=1),
    )
    DecreeMember.objects.bulk_create(
        DecreeMember(decree=decree, person=person, agency=agency, role=role) for person, agency, role in members
    )
    with simulated_time(Clock(moment=issued_at, limit=now)):
        issue_decree(decree, actor=admin)
    return decree


# The final state of each report's story, how often it occurs, and how many days ago
# (oldest, newest) its story may start, so that it can end before now.
