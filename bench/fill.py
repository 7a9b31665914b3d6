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
import datetime as dt
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench import common  # noqa: E402
from bench.common import insert  # noqa: E402

common.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.fillparts.finish import (  # noqa: E402
    bulk_session,
    check_deadlines,
    check_foreign_keys,
    current_deadline,
    derived,
    detail_report,
    monev_rollup,
    urgency,
    without_indexes,
)
from bench.fillparts.governments import city, tenants  # noqa: E402
from reports.models import (  # noqa: E402
    Attachment,
    Disposition,
    Report,
    ReportEvent,
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


def array(values):
    return "ARRAY[" + ",".join("'" + str(v).replace("'", "''") + "'" for v in values) + "]"


def pick(values, step):
    """SQL choosing one of ``values`` for row i, spread by a multiplier prime to the length."""
    return f"({array(values)})[1 + ((i * {step}) % {len(values)})]"


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
