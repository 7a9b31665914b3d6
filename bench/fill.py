"""Fill a PostgreSQL bench database with N realistic reports in SQL, in minutes for 1 M.

Usage (from the project root; an empty or earlier-filled database):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench_1m \\
        .venv/bin/python bench/fill.py 1000000 [--no-events] [--governments 39]

1. migrates and loads the demo city without reports (Kota Blitar's 21 kelurahan, its
   agencies and categories, the demo staff: ``koordinator`` / ``demo12345``);
2. empties every report table (TRUNCATE … CASCADE) and writes, with INSERT … SELECT over
   generate_series (no Python per row): N reports received evenly over the two years
   before now, their words drawn from a few hundred phrases (problem, place, street,
   detail, one of eight extra words in an eighth each: ``drainase`` finds 1 in 8), over
   every child category (its own agency as the lead), kelurahan and channel; life cycles
   by ``i % 20`` (10% archived, 5% received, 5% verified, 5% disposed, 5% in progress,
   20% resolved, 50% closed, a quarter of the closed rated), each step's moment a few
   days after the one before and never in the future; their dispositions, events
   (submitted, verified/archived, disposed, one or two follow-ups, done, resolved,
   auto-closed, rated), an attachment row on one report in four (no file bytes), and
   the triage row every report has once the worker read it (3% urgent);
3. sets what the actions would have left: tracking numbers ``PREFIX-YEAR-NNNNNN``
   numbered per year and the year's ``TrackingCounter`` at the last one (a submission
   afterwards takes the next), ``current_deadline`` through the model's own
   ``deadline_expression`` (the one the actions store), the id sequences, ANALYZE. The
   search vectors are expression indexes (migration 0013): PostgreSQL fills them itself;
4. makes the detail scenario's report: an in-progress report with 20 events and 3
   attachments whose files exist (``--detail`` only does this on a filled database).

``--governments N`` (issue 20's province-sized run) makes a province and N-2 more
kabupaten/kota beside the demo city (N governments in all, the city one of the province's
children), each with a copy of the city's agencies (and units), categories (their lead
agency its own copy's) and kecamatan/kelurahan, and spreads the reports over them (report
i to government i % N: the demo city gets its share, numbered with its own prefix).

``--no-events`` leaves events and attachments out, and so the monev rollup built from them
(the 10 M table of ``bench/inbox_search.py explain``: what the list pages read, not the
history). The rows go in ``--chunk`` reports per statement (1 M by default).
"""

import argparse
import contextlib
import datetime as dt
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402
from bench.common import insert  # noqa: E402

common.setup()

from django.conf import settings  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.utils import timezone  # noqa: E402

from agencies.models import Agency, Appointment, Region, Role  # noqa: E402
from governments.models import Government, home_government  # noqa: E402
from reports.models import (  # noqa: E402
    Attachment,
    Category,
    Disposition,
    Report,
    ReportEvent,
    TrackingCounter,
)
from triage.models import ReportTriage  # noqa: E402

WORDS = ["banjir", "sampah", "parkir", "macet", "pohon", "drainase", "trotoar", "pungli"]
PROBLEMS = [
    "Jalan berlubang cukup dalam",
    "Lampu penerangan jalan mati",
    "Sampah menumpuk tidak diangkut",
    "Saluran air tersumbat dan meluap",
    "Pohon besar hampir tumbang",
    "Parkir liar memakan badan jalan",
    "Pedagang kaki lima menutup trotoar",
    "Air PDAM tidak mengalir",
    "Pelayanan KTP elektronik sangat lambat",
    "Genangan air setiap hujan",
    "Kabel listrik menjuntai rendah",
    "Jembatan kecil retak",
    "Suara bising dari tempat hiburan malam",
    "Bau menyengat dari tempat pembuangan sampah",
    "Rambu lalu lintas roboh",
    "Puskesmas tutup pada jam layanan",
    "Anjing liar berkeliaran",
    "Bantuan sosial tidak tepat sasaran",
    "Marka jalan sudah pudar",
    "Gorong-gorong ambrol",
]
# fmt: off
PLACES = [
    "di depan pasar", "dekat sekolah dasar", "di gang sempit", "di perempatan", "samping masjid",
    "depan kantor kelurahan", "di dekat alun-alun", "di belakang terminal", "dekat rel kereta", "di ujung jalan",
    "depan puskesmas", "di sekitar makam",
]
STREETS = [
    "Jl. Merdeka", "Jl. Sudanco Supriadi", "Jl. Kalimantan", "Jl. Anggrek", "Jl. Cemara", "Jl. Mastrip",
    "Jl. Veteran", "Jl. Kenari", "Jl. Ciliwung", "Jl. Tanjung", "Jl. Bali",
]
DETAILS = [
    "sejak minggu lalu", "sudah tiga hari", "membahayakan pengendara motor",
    "warga sudah lapor ke RT tapi belum ada tindakan", "mohon segera ditangani", "terutama malam hari",
    "anak-anak sekolah kesulitan lewat", "sudah berbulan-bulan",
]
# fmt: on
CHANNELS = ["web", "web", "web", "whatsapp", "whatsapp", "sms", "email", "call_center", "instagram", "android"]
NAMES = ["Budi Santoso", "Siti Aminah", "Agus Salim", "Dewi Lestari", "Rudi Hartono", "Sri Wahyuni", "Joko Susilo"]
# The life cycle of report i, by i % 20 (see the module docstring).
STATUS = (
    "CASE WHEN i % 20 < 2 THEN 'archived' WHEN i % 20 = 2 THEN 'received' WHEN i % 20 = 3 THEN 'verified'"
    " WHEN i % 20 = 4 THEN 'disposed' WHEN i % 20 = 5 THEN 'in_progress' WHEN i % 20 < 10 THEN 'resolved'"
    " ELSE 'closed' END"
)
CHUNK = 1_000_000  # reports per INSERT (--chunk)
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005"
    "0001ff89993d1d0000000049454e44ae426082"
)


def array(values):
    return "ARRAY[" + ",".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def pick(values, step):
    """SQL choosing one of ``values`` for row i, spread by a multiplier prime to the length."""
    return f"({array(values)})[1 + ((i * {step}) % {len(values)})]"


def city():
    """The demo city without reports (loaded once): its coordinator's id."""
    if not Appointment.objects.filter(role=Role.COORDINATOR).exists():
        call_command("load_demo", reports=0, verbosity=0, stdout=io.StringIO())
    # The demo city's (the first government's): the demo also has a province and a second city.
    return (
        Appointment.objects.filter(role=Role.COORDINATOR, agency__government=home_government())
        .order_by("pk")
        .values_list("person_id", flat=True)
        .first()
    )


class Tenant:
    """One government's ids for the fill: its prefix, its categories (child, lead agency)
    and kelurahan (id, latitude, longitude), in a fixed order."""

    def __init__(self, government):
        self.pk = government.pk
        self.prefix = government.tracking_prefix
        self.categories = list(
            Category.objects.filter(government=government, parent__isnull=False, default_agency__isnull=False)
            .order_by("pk")
            .values_list("pk", "default_agency")
        )
        self.kelurahan = list(
            Region.objects.filter(government=government, level=Region.Level.KELURAHAN)
            .order_by("pk")
            .values_list("pk", "latitude", "longitude")
        )


def tenants(n):
    """The demo city first, then (n > 1) a province and n-2 kabupaten/kota made as copies
    of the city's agencies, categories and regions (kept from an earlier fill)."""
    home = home_government()
    governments = [home]
    if n > 1:
        # The demo's province (Jawa Timur) when the city has one, else one made for the bench.
        province = home.parent or _government(
            "prov-bench", "Provinsi Bench", Government.Kind.PROVINCE, "PROVB", None, home
        )
        if home.parent_id != province.pk:
            home.parent = province
            home.save(update_fields=["parent"])
        # The demo's province and second city come with their own catalogues: a government
        # shaped like the city (as many child categories with a lead agency and kelurahan)
        # takes its share, any other none (today's demo: Jawa Timur, a few provincial
        # categories and no kelurahan, and Kota Kediri, which differs too, so 41
        # governments in all for N = 39); the bench kabupaten/kota make up the N that
        # receive reports.
        governments += [
            g
            for g in Government.objects.exclude(pk=home.pk).exclude(slug__startswith="kab-bench-").order_by("pk")
            if (len(Tenant(g).categories), len(Tenant(g).kelurahan))
            == (len(Tenant(home).categories), len(Tenant(home).kelurahan))
        ]
        if province not in governments and not Region.objects.filter(government=province).exists():
            print(f"  {province.name}: its own catalogue, no kelurahan; no reports of the fill", flush=True)
        elif province not in governments:
            governments.append(province)
        for k in range(1, n - len(governments) + 1):
            kind = Government.Kind.CITY if k % 4 == 0 else Government.Kind.REGENCY
            governments.append(
                _government(f"kab-bench-{k:02d}", f"Kabupaten Bench {k:02d}", kind, f"KB{k:02d}", province, home)
            )
    out = [Tenant(g) for g in governments]
    print(f"  reports spread over {len(out)} governments", flush=True)
    sizes = {(len(t.categories), len(t.kelurahan)) for t in out}
    if len(sizes) != 1:
        sys.exit(f"the governments' copies differ in size: {sizes}")
    return out


def _government(slug, name, kind, prefix, parent, home):
    government = Government.objects.filter(slug=slug).first()
    if government is not None:
        return government
    with transaction.atomic():
        government = Government.objects.create(slug=slug, name=name, kind=kind, tracking_prefix=prefix, parent=parent)
        agencies = {}
        for agency in Agency.objects.filter(government=home).order_by(F("parent").asc(nulls_first=True), "pk"):
            agencies[agency.pk] = Agency.objects.create(
                government=government,
                name=agency.name,
                short_name=agency.short_name,
                kind=agency.kind,
                parent=agencies.get(agency.parent_id),
                is_complaint_unit=agency.is_complaint_unit,
            )
        Category.objects.filter(government=home).copy_to(government)
        lead = {
            (c.parent.name, c.name): agencies[c.default_agency_id]
            for c in Category.objects.filter(government=home, default_agency__isnull=False).select_related("parent")
            if c.parent_id
        }
        for copy in Category.objects.filter(government=government, parent__isnull=False).select_related("parent"):
            if (copy.parent.name, copy.name) in lead:
                copy.default_agency = lead[(copy.parent.name, copy.name)]
                copy.save(update_fields=["default_agency"])
        regions = {}
        for region in Region.objects.filter(government=home).order_by(F("parent").asc(nulls_first=True), "pk"):
            regions[region.pk] = Region.objects.create(
                government=government,
                name=region.name,
                level=region.level,
                parent=regions.get(region.parent_id),
                latitude=region.latitude,
                longitude=region.longitude,
            )
    return government


def step_times(total):
    """SQL of each moment of report i's life; every one before now (clamped)."""
    received = f"(TIMESTAMPTZ '{(timezone.now() - dt.timedelta(days=730)).isoformat()}' + (i::float8 / {total}) * INTERVAL '730 days')"  # noqa: E501

    def at(offset, rank):
        return f"GREATEST({received}, LEAST({received} + {offset}, now() - INTERVAL '{10 - rank} minutes'))"

    verified = "((i % 3) * INTERVAL '1 day' + INTERVAL '2 hours')"
    disposed = f"({verified} + INTERVAL '5 hours')"
    follow_up = f"({disposed} + (i % 5) * INTERVAL '1 day' + INTERVAL '3 hours')"
    follow_up2 = f"({follow_up} + INTERVAL '2 days')"
    done = f"({follow_up} + (i % 9) * INTERVAL '1 day' + INTERVAL '4 days')"
    closed = f"({done} + INTERVAL '10 days')"
    return {
        "received": received,
        "verified": at(verified, 1),
        "disposed": at(disposed, 2),
        "follow_up": at(follow_up, 3),
        "follow_up2": at(follow_up2, 4),
        "done": at(done, 5),
        "closed": at(closed, 6),
    }


def fill_reports(total, tenants):
    t = step_times(total)
    status = STATUS
    local_year = f"extract(year FROM received AT TIME ZONE '{settings.TIME_ZONE}')::int"
    g = f"(i % {len(tenants)})"  # report i's government: tenants[i % N]
    before = {}  # reports of each (government, year) in the chunks already written: the next chunk numbers on
    n = 0
    for low, high in chunks(total):
        rows = f"(SELECT i, {t['received']} AS received FROM generate_series({low}, {high}) AS i) r"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {g} * 10000 + {local_year.replace('received', 'r.received')}, count(*) FROM {rows} GROUP BY 1"
            )
            in_chunk = dict(cursor.fetchall())
        whens = " ".join(f"WHEN {key} THEN {k}" for key, k in before.items())
        offset = f"(CASE {g} * 10000 + {local_year} {whens} ELSE 0 END)" if before else "0"
        source = (
            f"FROM (SELECT i, received, {local_year} AS year, {g} AS g, {offset} + row_number() OVER"
            f" (PARTITION BY {g}, {local_year} ORDER BY i) AS n FROM {rows}) s"
        )
        n += _report_rows(source, t, tenants, status)
        for key, k in in_chunk.items():
            before[key] = before.get(key, 0) + k
        print(f"  reports: {n} of {total}  ({common.loadavg()})", flush=True)


def chunks(total, size=None):
    """(first, last) of each chunk of ids: a statement per chunk, so a 10 M fill shows its
    progress and no single sort or transaction holds 10 M rows."""
    size = size or CHUNK
    return [(low, min(low + size - 1, total)) for low in range(1, total + 1, size)]


def _report_rows(source, t, tenants, status):
    # Each government's categories and kelurahan one after the other (the same number each):
    # report i takes one of its government's, spread as with one government.
    n, k, r = len(tenants), len(tenants[0].categories), len(tenants[0].kelurahan)
    cat_ids = "ARRAY[" + ",".join(str(c) for t_ in tenants for c, _a in t_.categories) + "]"
    region_ids = "ARRAY[" + ",".join(str(x) for t_ in tenants for x, _la, _lo in t_.kelurahan) + "]"
    lats = "ARRAY[" + ",".join(str(la or -8.09) for t_ in tenants for _r, la, _lo in t_.kelurahan) + "]::numeric[]"
    lons = "ARRAY[" + ",".join(str(lo or 112.17) for t_ in tenants for _r, _la, lo in t_.kelurahan) + "]::numeric[]"
    governments = "ARRAY[" + ",".join(str(t_.pk) for t_ in tenants) + "]"
    prefixes = array(t_.prefix for t_ in tenants)
    place = f"(1 + g * {r} + ((i / {n}) / 7) % {r})"
    description = (
        f"{pick(PROBLEMS, 7)} || ' ' || {pick(PLACES, 11)} || ', ' || {pick(STREETS, 13)} || ', ' || "
        f"{pick(DETAILS, 17)} || '. ' || {pick(WORDS, 19)} || ' nomor ' || i"
    )
    address = f"{pick(STREETS, 13)} || ' ' || (1 + i % 120)"
    title = f"{pick(PROBLEMS, 7)}"
    return insert(
        Report,
        {
            "id": "i",
            "government_id": f"({governments})[1 + g]",
            "tracking_number": f"({prefixes})[1 + g] || '-' || year || '-' || "
            "lpad(n::text, GREATEST(6, length(n::text)), '0')",
            "secret": "md5('bench-' || i)",
            "kind": "CASE WHEN i % 10 = 0 THEN 'information_request' ELSE 'complaint' END",
            "channel": pick(CHANNELS, 3),
            "status": status,
            "title": title,
            "description": description,
            "masked_title": title,
            "masked_description": description,
            "address": address,
            "masked_address": address,
            "category_id": f"({cat_ids})[1 + g * {k} + (i / {n}) % {k}]",
            "resolution_class": "'simple'",
            "region_id": f"({region_ids})[{place}]",
            "latitude": f"({lats})[{place}] + ((i % 97) - 48) * 0.00005",
            "longitude": f"({lons})[{place}] + ((i % 89) - 44) * 0.00005",
            "is_anonymous": "i % 50 = 0",
            "is_confidential": "i % 100 = 1",
            "reporter_name": f"CASE WHEN i % 50 = 0 THEN '' ELSE {pick(NAMES, 23)} END",
            "reporter_phone": "'0812' || lpad((i % 100000000)::text, 8, '0')",
            "reporter_phone_e164": "'+62812' || lpad((i % 100000000)::text, 8, '0')",
            "reply_channel": "CASE WHEN i % 3 = 0 THEN 'none' ELSE 'whatsapp' END",
            "received_at": "received",
            "created_at": "received",
            "updated_at": "received",
            "due_at": "received + INTERVAL '3 days'",
            "verified_at": f"CASE WHEN i % 20 >= 3 THEN {t['verified']} END",
            "disposed_at": f"CASE WHEN i % 20 >= 4 THEN {t['disposed']} END",
            "resolved_at": f"CASE WHEN i % 20 >= 6 THEN {t['done']} END",
            "autoclose_due_at": f"CASE WHEN i % 20 BETWEEN 6 AND 9 THEN {t['done']} + INTERVAL '10 days' END",
            "closed_at": f"CASE WHEN i % 20 >= 10 THEN {t['closed']} END",
            "archived_at": f"CASE WHEN i % 20 < 2 THEN {t['verified']} END",
            "archive_reason": "CASE WHEN i % 20 < 2 THEN (ARRAY['spam','unclear','duplicate','outside_authority'])"
            "[1 + i % 4] ELSE '' END",
            "rating": "CASE WHEN i % 20 BETWEEN 10 AND 14 THEN 1 + i % 5 END",
            "rated_at": f"CASE WHEN i % 20 BETWEEN 10 AND 14 THEN {t['closed']} END",
        },
        source,
    )


def fill_dispositions(total):
    n = sum(_dispositions(total, low, high) for low, high in chunks(total))
    print(f"  dispositions: {n}", flush=True)


def _dispositions(total, low, high):
    t = step_times(total)
    agency_of = "(SELECT default_agency_id FROM reports_category c WHERE c.id = r.category_id)"
    return insert(
        Disposition,
        {
            "id": "r.id",
            "report_id": "r.id",
            "agency_id": agency_of,
            "role": "'lead'",
            "state": "CASE WHEN i % 20 = 4 THEN 'pending' WHEN i % 20 = 5 THEN 'accepted' ELSE 'done' END",
            "is_active": "TRUE",
            "created_at": "r.disposed_at",
            "follow_up_due_at": "r.disposed_at + INTERVAL '5 days'",
            "resolution_due_at": "r.disposed_at + INTERVAL '14 days'",
            "first_follow_up_at": f"CASE WHEN i % 20 >= 5 THEN {t['follow_up']} END",
            "done_at": "r.resolved_at",
        },
        f"FROM reports_report r, LATERAL (SELECT r.id AS i) s WHERE r.id BETWEEN {low} AND {high} AND r.id % 20 >= 4",
    )


def fill_events(total, coordinator):
    t = step_times(total)
    agency = "(SELECT agency_id FROM reports_disposition d WHERE d.id = i)"
    steps = [
        # action, from, to, at, which reports, disposition, agency, role, data, audience
        ("submitted", "''", "'received'", t["received"], "TRUE", "NULL", "NULL", "citizen", "'{}'", "reporter"),
        (
            "verified",
            "'received'",
            "'verified'",
            t["verified"],
            "i % 20 >= 3",
            "NULL",
            "NULL",
            "coordinator",
            "'{}'",
            "public",
        ),  # fmt: skip
        (
            "archived",
            "'received'",
            "'archived'",
            t["verified"],
            "i % 20 < 2",
            "NULL",
            "NULL",
            "coordinator",
            "jsonb_build_object('reason', (ARRAY['spam','unclear','duplicate','outside_authority'])[1 + i % 4])",
            "reporter",
        ),  # fmt: skip
        (
            "disposed",
            "'verified'",
            "'disposed'",
            t["disposed"],
            "i % 20 >= 4",
            "NULL",
            "NULL",
            "coordinator",
            "'{}'",
            "public",
        ),  # fmt: skip
        (
            "follow_up",
            "'disposed'",
            "'in_progress'",
            t["follow_up"],
            "i % 20 >= 5",
            "i",
            agency,
            "agency",
            "'{}'",
            "public",
        ),  # fmt: skip
        (
            "follow_up",
            "'in_progress'",
            "'in_progress'",
            t["follow_up2"],
            "i % 20 >= 5 AND i % 3 = 0",
            "i",
            agency,
            "agency",
            "'{}'",
            "public",
        ),  # fmt: skip
        (
            "disposition_done",
            "'in_progress'",
            "'in_progress'",
            t["done"],
            "i % 20 >= 6",
            "i",
            agency,
            "agency",
            "'{}'",
            "public",
        ),  # fmt: skip
        (
            "resolved",
            "'in_progress'",
            "'resolved'",
            t["done"],
            "i % 20 >= 6",
            "NULL",
            "NULL",
            "system",
            "'{}'",
            "public",
        ),  # fmt: skip
        (
            "auto_closed",
            "'resolved'",
            "'closed'",
            t["closed"],
            "i % 20 >= 10",
            "NULL",
            "NULL",
            "system",
            "'{}'",
            "public",
        ),  # fmt: skip
        (
            "rated",
            "'closed'",
            "'closed'",
            t["closed"],
            "i % 20 BETWEEN 10 AND 14",
            "NULL",
            "NULL",
            "citizen",
            "jsonb_build_object('rating', 1 + i % 5)",
            "staff",
        ),  # fmt: skip
    ]
    for action, from_status, to_status, at, where, disposition, agency_sql, role, data, audience in steps:
        message = {
            "follow_up": "'Petugas sudah meninjau lokasi dan menjadwalkan perbaikan.'",
            "disposition_done": "'Perbaikan selesai dikerjakan.'",
        }.get(action, "''")
        n = insert(
            ReportEvent,
            {
                "report_id": "i",
                "disposition_id": disposition,
                "action": f"'{action}'",
                "actor_id": str(coordinator) if role == "coordinator" else "NULL",
                "actor_role": f"'{role}'",
                "agency_id": agency_sql,
                "from_status": from_status,
                "to_status": to_status,
                "message": message,
                "is_public": "TRUE" if audience == "public" else "FALSE",
                "audience": f"'{audience}'",
                "data": f"{data}::jsonb",
                "created_at": at,
            },
            f"FROM generate_series(1, {total}) AS i WHERE {where}",
        )
        print(f"  events {action}: {n}", flush=True)
    n = insert(
        Attachment,
        {
            "report_id": "i",
            "file": "'reports/bench/foto-' || i || '.jpg'",
            "original_name": "'foto-' || i || '.jpg'",
            "content_type": "'image/jpeg'",
            "is_public": "TRUE",
            "uploaded_at": t["received"],
        },
        f"FROM generate_series(1, {total}) AS i WHERE i % 4 = 0",
    )
    print(f"  attachment rows: {n}", flush=True)


def fill_triage(total):
    n = 0
    for low, high in chunks(total):
        n += _triage(total, low, high)
        print(f"  triage rows: {n} of {total}", flush=True)


def _triage(total, low, high):
    return insert(
        ReportTriage,
        {
            "report_id": "i",
            "is_urgent": "i % 33 = 7",
            "urgency_reasons": "CASE WHEN i % 33 = 7 THEN '[\"membahayakan\"]'::jsonb ELSE '[]'::jsonb END",
            "model_version": "'bench'",
            "suggested_at": step_times(total)["received"],
            "category_decision": "''",
            "agency_decision": "''",
        },
        f"FROM generate_series({low}, {high}) AS i",
    )


def urgency():
    """Report.is_urgent, the copy of triage's flag the coordinator's queue sorts by."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_report r SET is_urgent = true FROM triage_reporttriage t"
            " WHERE t.report_id = r.id AND t.is_urgent"
        )
        print(f"  is_urgent on {cursor.rowcount} reports", flush=True)


def monev_rollup():
    """The monev rollup from the events, as ``manage.py rebuild_monev_rollup`` builds it
    (the SQL fill writes no event through the receivers that keep it)."""
    from monev import rollup

    started = time.perf_counter()
    n = rollup.rebuild()
    print(f"  monev rollup of {n} reports in {time.perf_counter() - started:.0f} s", flush=True)


def current_deadline():
    """Report.current_deadline in one set-based UPDATE (before the indexes are built again,
    so no index entry is written per row), then checked against the model's own
    ``deadline_expression()`` (what the actions store) on a sample of open reports."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE reports_report r SET current_deadline = CASE"
            " WHEN r.status IN ('received', 'verified', 'on_hold') THEN r.due_at"
            " WHEN r.status = 'objection' THEN r.objection_due_at"
            " WHEN r.status IN ('disposed', 'in_progress') THEN d.next_due END"
            " FROM reports_report r2 LEFT JOIN (SELECT report_id, min(CASE WHEN state = 'pending'"
            " THEN follow_up_due_at ELSE resolution_due_at END) AS next_due FROM reports_disposition"
            " WHERE is_active AND state IN ('pending', 'accepted') GROUP BY report_id) d ON d.report_id = r2.id"
            " WHERE r.id = r2.id AND r2.status IN ('received', 'verified', 'on_hold', 'objection', 'disposed',"
            " 'in_progress')"
        )
        n = cursor.rowcount
    print(f"  current_deadline of {n} open reports in {time.perf_counter() - started:.0f} s", flush=True)


def check_deadlines(sample=5000):
    """The stored deadline is what with_deadline() computes, on a sample of open reports."""
    from django.db.models import F, Q

    ids = list(
        Report.objects.filter(status__in=["received", "verified", "disposed", "in_progress"])
        .order_by("?")
        .values_list("pk", flat=True)[:sample]
    )
    wrong = (
        Report.objects.filter(pk__in=ids)
        .with_deadline()
        .exclude(Q(deadline=F("current_deadline")) | Q(deadline__isnull=True, current_deadline__isnull=True))
        .count()
    )
    print(f"  current_deadline checked against deadline_expression() on {len(ids)} open reports: {wrong} differ")
    if wrong:
        sys.exit("the stored deadlines are wrong")


def derived():
    """What the actions keep: the counters (per government's prefix and year), the sequences."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT g.tracking_prefix, extract(year FROM r.received_at AT TIME ZONE %s)::int, count(*)"
            " FROM reports_report r JOIN governments_government g ON g.id = r.government_id GROUP BY 1, 2",
            [settings.TIME_ZONE],
        )
        per_year = cursor.fetchall()
    TrackingCounter.objects.all().delete()
    TrackingCounter.objects.bulk_create(TrackingCounter(prefix=p, year=y, last=n) for p, y, n in per_year)
    with connection.cursor() as cursor:
        for model in (Report, Disposition, ReportEvent, Attachment, ReportTriage):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST(1, (SELECT max(id) FROM {table})))"
            )


def detail_report():
    """An in-progress report with 20 events and 3 attachments with their files."""
    report = (
        Report.objects.filter(government=home_government(), status="in_progress", is_confidential=False)
        .order_by("-pk")
        .first()
    )
    disposition = report.dispositions.get()
    events = report.events.count()
    now = timezone.now()
    with transaction.atomic():
        ReportEvent.objects.bulk_create(
            ReportEvent(
                report=report,
                disposition=disposition,
                action="follow_up",
                actor_role="agency",
                agency_id=disposition.agency_id,
                from_status="in_progress",
                to_status="in_progress",
                message=f"Tindak lanjut ke-{k}: petugas memeriksa lokasi dan mencatat kemajuan pekerjaan.",
                is_public=True,
                audience="public",
                created_at=now - dt.timedelta(hours=40 - k),
            )
            for k in range(20 - events)
        )
        report.attachments.all().delete()
        for k in range(3):
            attachment = Attachment(
                report=report, original_name=f"foto-{k}.png", content_type="image/png", size=len(TINY_PNG)
            )
            attachment.file.save(f"foto-{k}.png", ContentFile(TINY_PNG), save=False)
            attachment.save()
    print(f"detail report: {report.pk} ({report.events.count()} events, {report.attachments.count()} attachments)")
    return report


@contextlib.contextmanager
def bulk_session():
    """This connection's settings while the rows go in: no wait for the WAL flush at each
    statement's commit, room to sort in memory, and no foreign-key trigger per row
    (``session_replication_role = replica``, the setting logical replication's apply uses:
    the rows are made to match their foreign keys, and ``check_foreign_keys`` below proves it).
    The bench databases are throw-away; the application never runs with these."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
        cursor.execute("SET work_mem = '256MB'")
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET session_replication_role")
            cursor.execute("RESET work_mem")
            cursor.execute("RESET synchronous_commit")


def check_foreign_keys(tables):
    """Every foreign key of the filled tables points at a row (the fill skipped the triggers)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, fa.attname"
            " FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
            " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]"
            " WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)",
            [list(tables)],
        )
        keys = cursor.fetchall()
        for table, column, target, target_column in keys:
            cursor.execute(
                f'SELECT count(*) FROM {table} t WHERE t."{column}" IS NOT NULL AND NOT EXISTS'
                f' (SELECT 1 FROM {target} f WHERE f."{target_column}" = t."{column}")'
            )
            if missing := cursor.fetchone()[0]:
                sys.exit(f"{missing} rows of {table}.{column} point at no {target}")
    print(f"  {len(keys)} foreign keys checked", flush=True)


@contextlib.contextmanager
def without_indexes(tables, *, resume=False):
    """Drop the tables' indexes that back no constraint while the rows go in, and build them
    again afterwards from their own definitions: one sort per index instead of an insert
    into every index (the GIN search indexes above all) per row. The definitions are kept
    in bench/out/ first, so a run stopped half-way can be resumed (``resume``)."""
    saved = common.OUT / f"indexes-{connection.settings_dict['NAME']}.sql"
    if resume:
        indexes = [line.split("\t", 1) for line in saved.read_text().splitlines() if line]
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s)"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                [list(tables)],
            )
            indexes = cursor.fetchall()
        saved.write_text("".join(f"{name}\t{definition}\n" for name, definition in indexes))
        with connection.cursor() as cursor:
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
    yield
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    print(f"  {len(indexes)} indexes built again in {time.perf_counter() - started:.0f} s", flush=True)


def fill(total, *, events=True, resume_after=None, governments=1):
    """Every step; ``resume_after="reports"`` resumes a run stopped after its reports went in."""
    if connection.vendor != "postgresql":
        sys.exit("bench/fill.py writes PostgreSQL's SQL: set DATABASE_URL.")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    coordinator = city()
    spread = tenants(governments)
    tables = [m._meta.db_table for m in (Report, Disposition, ReportEvent, Attachment, ReportTriage)]
    if not resume_after:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE reports_report, reports_trackingcounter RESTART IDENTITY CASCADE")
    with without_indexes(tables, resume=bool(resume_after)), bulk_session():
        if not resume_after:
            fill_reports(total, spread)
        fill_dispositions(total)
        if events:
            fill_events(total, coordinator)
        fill_triage(total)
        urgency()
        current_deadline()
    check_foreign_keys(tables)
    derived()
    if events:
        monev_rollup()  # from the events: without them (the 10 M table) there is nothing to sum
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(f"filled {total} reports in {time.perf_counter() - started:.0f} s (load {common.loadavg()})", flush=True)
    check_deadlines()
    if events:
        detail_report()


def main():
    global CHUNK
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("reports", type=int)
    parser.add_argument("--no-events", action="store_true")
    parser.add_argument("--chunk", type=int, default=CHUNK, help="reports per INSERT (default 1,000,000)")
    parser.add_argument("--governments", type=int, default=1, help="a province and N-1 kabupaten/kota (issue 20)")
    parser.add_argument("--detail", action="store_true", help="only (re)make the detail scenario's report")
    parser.add_argument("--resume-after", choices=["reports"], help="resume a run stopped after this step")
    args = parser.parse_args()
    CHUNK = args.chunk
    if args.detail:
        detail_report()
    else:
        fill(args.reports, events=not args.no_events, resume_after=args.resume_after, governments=args.governments)


if __name__ == "__main__":
    main()
