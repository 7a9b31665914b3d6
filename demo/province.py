"""The demo's province: Provinsi Jawa Timur above Kota Blitar, with its own agencies, staff
and a few reports, and Kota Kediri, a second, smaller city under it (issue 20).

demo/city.py builds Kota Blitar first (the installation's first government) and then calls
``load`` here, in the same transaction and with the same seed, so the whole demo is one
deterministic load. Each government is made as an installer would make it
(agencies.actions.add_government: the government and its complaint unit; its categories
copied from the shared default set, Kota Blitar's), its people appointed by issued
decrees, and its reports told through reports.actions under the simulated clock.
Two reports are referred between the governments (``_referrals``).
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from agencies.actions import add_government
from demo import city
from demo.data import CATEGORIES, FIRST_NAMES, LAST_NAMES
from demo.province_data import (
    BLITAR_REFERRAL_REASON,
    BLITAR_REPORT_FOR_KEDIRI,
    KEDIRI,
    KEDIRI_AGENCIES,
    KEDIRI_AGENCY_FOR,
    KEDIRI_CENTRE,
    KEDIRI_DECREE,
    KEDIRI_FORWARD_INSTRUCTION,
    KEDIRI_KECAMATAN,
    KEDIRI_LANDMARKS,
    KEDIRI_PROVINCIAL_ROAD,
    KEDIRI_REFERRAL_REASON,
    KEDIRI_RENAMES,
    KEDIRI_STAFF,
    KEDIRI_STAFFED,
    KEDIRI_STREETS,
    KEDIRI_TYPED_IN,
    KEDIRI_UNIT_FOLLOW_UP,
    PROVINCE,
    PROVINCE_AGENCIES,
    PROVINCE_CATEGORIES,
    PROVINCE_DECREE,
    PROVINCE_REFERRAL_REASON,
    PROVINCE_REPORTS,
    PROVINCE_RETURN_REASON,
    PROVINCE_STAFF,
)
from demo.texts import COMPLAINTS, DONE_ANY, INSTRUCTIONS, PROGRESS_ANY, RATING_COMMENTS
from governments.models import Government
from reports import actions
from reports.access import Reporter
from reports.models import Audience, Category, Channel, Disposition, Kind, ReplyChannel, Report, Status

# Kota Kediri's stories: Kota Blitar's, without those whose texts only fit Blitar (reports
# from outside the city, information requests about Blitar's data).
KEDIRI_STORIES = {
    name: story for name, story in city.STORIES.items() if name not in city.INFO_STORIES and name != "archived_outside"
}


def second_city_size(reports: int) -> int:
    """Kota Kediri's reports for ``reports`` of Kota Blitar's: about one in six (48 for
    the default 300)."""
    return round(reports * 0.16)


@dataclass
class Demo:
    province: Government
    kediri: Government
    users: dict


def load(*, city, users, now, seed, reports) -> Demo:
    """The province and Kota Kediri, after Kota Blitar (``city``) is built."""
    User = get_user_model()
    admin = User.objects.get(username="admin")
    province, province_unit = add_government(
        name=PROVINCE["name"],
        kind=Government.Kind.PROVINCE,
        slug=PROVINCE["slug"],
        prefix=PROVINCE["prefix"],
        unit_name=PROVINCE["unit_name"],
    )
    city.parent = province
    city.save(update_fields=["parent"])
    kediri, kediri_unit = add_government(
        name=KEDIRI["name"],
        kind=Government.Kind.CITY,
        slug=KEDIRI["slug"],
        prefix=KEDIRI["prefix"],
        parent=province,
        unit_name=KEDIRI["unit_name"],
    )
    made = {}
    made.update(_kediri(kediri, kediri_unit, source=city, admin=admin, now=now, seed=seed, reports=reports))
    made.update(_province(province, province_unit, source=city, admin=admin, now=now, seed=seed))
    demo = Demo(province=province, kediri=kediri, users={**users, **made})
    _referrals(demo, now, city)
    return demo


def _referrals(demo: Demo, now, blitar):
    """Referral between governments, each a while after the report's last step (under the
    simulated clock): Kota Blitar's coordinator refers a resident's report on a street of
    Kota Kediri to Kota Kediri (BLITAR_REPORT_FOR_KEDIRI, submitted this morning); Kota
    Kediri's coordinator refers the report on a provincial road (KEDIRI_PROVINCIAL_ROAD) to
    the province; the province's coordinator refers the SMP report its Dinas Pendidikan
    returned (PROVINCE_RETURN_REASON) to Kota Kediri."""
    title, description = BLITAR_REPORT_FOR_KEDIRI
    with city.simulated_time(city.Clock(moment=now - dt.timedelta(hours=4), limit=now - dt.timedelta(minutes=3))):
        dhoho = actions.submit_report(
            government=blitar,
            kind=Kind.COMPLAINT,
            channel=Channel.WHATSAPP,
            title=title,
            description=description,
            address="Jl. Dhoho, Kota Kediri",
            reporter_name="Hendra Wijaya",
            reporter_phone="081334567890",
            reply_channel=ReplyChannel.WHATSAPP,
        )
    road = Report.objects.get(government=demo.kediri, title=KEDIRI_PROVINCIAL_ROAD[0])
    smp = Disposition.objects.get(report__government=demo.province, state=Disposition.State.RETURNED).report
    for report, coordinator, receiver, reason in (
        (dhoho, "koordinator", demo.kediri, BLITAR_REFERRAL_REASON),
        (road, "koordinator_kediri", demo.province, KEDIRI_REFERRAL_REASON),
        (smp, "koordinator_jatim", demo.kediri, PROVINCE_REFERRAL_REASON),
    ):
        last_step = report.events.latest("created_at").created_at
        moment = min(last_step + dt.timedelta(hours=2), now - dt.timedelta(minutes=2))
        with city.simulated_time(city.Clock(moment=moment, limit=now - dt.timedelta(minutes=1))):
            actions.refer_report(report, actor=demo.users[coordinator], government=receiver, reason=reason)


# ---------------------------------------------------------------------------- people


def _appoint(government, agencies, staff, decree, *, admin, now):
    """The people of ``staff`` (same password as the admin's), named in last year's decree
    and this year's renewal, as in Kota Blitar (demo/people.py _make_users)."""
    User = get_user_model()
    users = {}
    for username, full_name, _role, _agency in staff:
        first, __, last = full_name.partition(" ")
        users[username] = User.objects.create(
            username=username,
            password=admin.password,
            first_name=first,
            last_name=last,
            email=f"{username}@aduan.test",
        )
    pattern, title = decree
    today = timezone.localdate(now)
    last_day = today + dt.timedelta(days=city.YEAR_DAYS - 61)
    current_from = last_day - dt.timedelta(days=city.YEAR_DAYS - 1)
    previous = None
    for first_day in (current_from - dt.timedelta(days=city.YEAR_DAYS), current_from):
        previous = city._issue_decree(
            admin,
            government,
            now,
            number=pattern.format(n=11, year=(first_day - dt.timedelta(days=7)).year),
            title=title,
            first_day=first_day,
            renews=previous,
            members=[(users[username], agencies[short], role) for username, _name, role, short in staff],
        )
    return users


def _copy_categories(government, source):
    """The shared default set (Kota Blitar's categories), copied; answers the copies by
    (parent name, name)."""
    Category.objects.of(source).copy_to(government)
    return {
        (c.parent.name, c.name): c
        for c in Category.objects.of(government).filter(parent__isnull=False).select_related("parent")
    }


# ---------------------------------------------------------------------------- Kota Kediri


def _kediri(kediri, unit, *, source, admin, now, seed, reports):
    regions = city._make_regions(kediri, KEDIRI_KECAMATAN, KEDIRI_CENTRE)
    agencies = city._make_agencies(kediri, KEDIRI_AGENCIES, complaint_unit=None, made={"ULP": unit})
    copies = _copy_categories(kediri, source)
    categories = {}
    for parent_name, children in CATEGORIES.items():
        for key, name, agency, _resolution, support in children:
            short = KEDIRI_AGENCY_FOR.get(agency)
            if short is None:
                continue
            category = copies[(parent_name, name)]
            category.default_agency = agencies[short]
            category.save(update_fields=["default_agency"])
            helper = agencies.get(KEDIRI_AGENCY_FOR.get(support)) if support else None
            categories[key] = city._Cat(key, category, agencies[short], helper if helper != agencies[short] else None)
    users = _appoint(kediri, agencies, KEDIRI_STAFF, KEDIRI_DECREE, admin=admin, now=now)
    town = city.Town(
        kediri,
        coordinators=("koordinator_kediri", "koordinator_kediri"),
        staffed=KEDIRI_STAFFED,
        centres=KEDIRI_CENTRE,
        streets=KEDIRI_STREETS,
        landmarks=KEDIRI_LANDMARKS,
        confused_with={
            key: KEDIRI_AGENCY_FOR[short]
            for key, short in city.CONFUSED_WITH.items()
            if key in categories
            and KEDIRI_AGENCY_FOR.get(short) in KEDIRI_STAFFED
            and KEDIRI_AGENCY_FOR[short] != categories[key].agency.short_name
        },
        complaint_keys=[key for key in COMPLAINTS if key != "informasi" and key in categories],
        stories=KEDIRI_STORIES,
        typed_in=KEDIRI_TYPED_IN,
        info_requests=False,
        renames=KEDIRI_RENAMES,
    )
    rng = random.Random(seed + 1)
    builder = city._ReportBuilder(rng, now, regions, agencies, categories, users, town)
    builder.run(reports)
    _forward_to_unit(agencies["DPUPR"], agencies["Bina Marga"], users, "kediri")
    _provincial_road(kediri, regions, rng, now)
    return users


def _forward_to_unit(agency, unit, users, suffix):
    """The agency's newest open report goes down to its Bidang Bina Marga, which answers
    (as Kota Blitar's DPUPR does, demo/city.py _forward_to_units)."""
    disposition = (
        Disposition.objects.top_level()
        .open()
        .filter(agency=agency, report__status__in=[Status.DISPOSED, Status.IN_PROGRESS])
        .order_by("-created_at", "-pk")
        .first()
    )
    if disposition is None:
        return
    forwarded = actions.forward_to_unit(
        disposition, actor=users[f"penghubung_dpupr_{suffix}"], unit=unit, instruction=KEDIRI_FORWARD_INSTRUCTION
    )
    actions.post_follow_up(forwarded, actor=users[f"penghubung_binamarga_{suffix}"], message=KEDIRI_UNIT_FOLLOW_UP)


def _provincial_road(kediri, regions, rng, now):
    """A Kediri resident's report about a provincial road, received this morning."""
    sukorame = next(r for r in regions if r.name == "Sukorame")
    clock = city.Clock(moment=now - dt.timedelta(hours=5), limit=now - dt.timedelta(minutes=1))
    title, description = KEDIRI_PROVINCIAL_ROAD
    with city.simulated_time(clock):
        actions.submit_report(
            government=kediri,
            kind=Kind.COMPLAINT,
            channel=Channel.WEB,
            title=title,
            description=description,
            address=f"Jl. Kapten Tendean, Kel. {sukorame.name}",
            reporter_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
            reporter_phone="0857" + f"{rng.randrange(10**8):08d}",
            reply_channel=ReplyChannel.WHATSAPP,
        )


# ---------------------------------------------------------------------------- the province


def _province(province, unit, *, source, admin, now, seed):
    agencies = city._make_agencies(province, PROVINCE_AGENCIES, complaint_unit=None, made={"ULP": unit})
    _copy_categories(province, source)
    parents = {c.name: c for c in Category.objects.of(province).filter(parent__isnull=True)}
    categories = {
        key: Category.objects.create(
            government=province,
            parent=parents[parent],
            name=name,
            default_agency=agencies[agency],
            resolution_class=resolution,
        )
        for key, (parent, name, agency, resolution) in PROVINCE_CATEGORIES.items()
    }
    users = _appoint(province, agencies, PROVINCE_STAFF, PROVINCE_DECREE, admin=admin, now=now)
    rng = random.Random(seed + 2)
    # Oldest first, so the tracking numbers follow the dates.
    for days_ago, story, key, title, description in sorted(PROVINCE_REPORTS, key=lambda row: -row[0]):
        _ProvinceStory(rng, now, agencies, users).tell(
            days_ago, story, categories.get(key), title, description, province=province
        )
    return users


class _ProvinceStory:
    """One of the province's reports, step by step, under the simulated clock."""

    def __init__(self, rng, now, agencies, users):
        self.rng, self.agencies, self.users = rng, agencies, users
        self.now = now
        self.coordinator = users["koordinator_jatim"]

    def step(self, clock, low, high):
        clock.advance(self.rng.uniform(low, high))
        clock.set(city._office_hours(clock.moment, self.rng))

    def liaison(self, agency):
        return self.users[
            "penghubung_dindik_jatim" if agency.short_name == "Dindik Jatim" else "penghubung_binamarga_jatim"
        ]

    def tell(self, days_ago, story, category, title, description, *, province):
        rng = self.rng
        clock = city.Clock(moment=self.now - dt.timedelta(days=days_ago), limit=self.now - dt.timedelta(minutes=1))
        with city.simulated_time(clock):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            report = actions.submit_report(
                government=province,
                kind=Kind.COMPLAINT,
                channel=rng.choice([Channel.WEB, Channel.WEB, Channel.ANDROID]),
                title=title,
                description=description,
                category=category,
                reporter_name=f"{first} {last}",
                reporter_email=f"{first.lower()}.{last.lower()}{rng.randint(1, 99)}@example.com",
                reply_channel=ReplyChannel.EMAIL,
            )
            if story == "received":
                return
            self.step(clock, 1, 20)
            report = actions.verify_report(report, actor=self.coordinator)
            if story == "verified":
                return
            self.step(clock, 1, 20)
            agency = category.default_agency
            report = actions.dispose_report(
                report, actor=self.coordinator, lead_agency=agency, instruction=rng.choice(INSTRUCTIONS)
            )
            if story == "disposed":
                return
            disposition = report.dispositions.open().get()
            if story == "returned":
                self.step(clock, 4, 30)
                actions.return_disposition(disposition, actor=self.liaison(agency), reason=PROVINCE_RETURN_REASON)
                return
            if story == "forwarded":
                self.step(clock, 4, 30)
                unit = self.agencies["UPT PJJ Kediri"]
                forwarded = actions.forward_to_unit(
                    disposition,
                    actor=self.liaison(agency),
                    unit=unit,
                    instruction="Mohon UPT meninjau jembatan dan melaporkan hasilnya.",
                )
                self.step(clock, 8, 48)
                actions.post_follow_up(
                    forwarded,
                    actor=self.users["penghubung_upt_kediri"],
                    message="Tim UPT sudah memasang rambu dan membatasi tonase; perbaikan sambungan dijadwalkan.",
                )
                return
            self.step(clock, 4, 40)
            actions.post_follow_up(
                disposition, actor=self.liaison(agency), message=rng.choice(PROGRESS_ANY), audience=Audience.PUBLIC
            )
            if story == "in_progress":
                return
            self.step(clock, 24, 200)
            actions.finish_disposition(
                disposition, actor=self.liaison(agency), message=rng.choice(DONE_ANY), audience=Audience.PUBLIC
            )
            if story == "resolved":
                return
            clock.advance(rng.uniform(6, 72))
            report.refresh_from_db()
            report = actions.confirm_resolution(report, actor=Reporter(report.pk))
            rating = rng.choice([3, 4, 5, 5])
            actions.rate_report(
                report,
                actor=Reporter(report.pk),
                rating=rating,
                comment=rng.choice(RATING_COMMENTS[rating]).replace("Pemkot Blitar", "Pemprov Jatim"),
            )
