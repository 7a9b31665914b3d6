"""What the soak runs inside Django, in a child process with the soak's environment:
the seed, the outbox's state, the final check."""

import os
import sys
from collections import Counter

from soakparts.base import AGENCIES, ROOT, SEED_PER_AGENCY, body_digest

# ---------------------------------------------------------------------------- inside Django


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aduan.settings")
    import django

    django.setup()


def inside_seed(payload):
    """Disposed reports for the liaisons to follow up (reporters reachable by email), and
    the ids the clients need. Muted: the seed itself sends nothing."""
    _django()
    from django.db import transaction

    from agencies.models import Agency, Appointment, Region, Role
    from notify import muted
    from reports import actions
    from reports.models import Category, ReportEvent

    coordinator = Appointment.objects.active().filter(role=Role.COORDINATOR, person__username="koordinator").get()
    # The coordinator's government only: the demo also has a province and a second city.
    government = coordinator.agency.government
    categories = list(Category.objects.filter(parent__isnull=False, is_active=True, government=government))
    kelurahan = list(Region.objects.filter(level=Region.Level.KELURAHAN, government=government))
    agencies, liaisons = {}, {}
    with muted(), transaction.atomic():
        for short in AGENCIES:
            agency = Agency.objects.get(short_name=short, government=government)
            agencies[short] = agency.pk
            liaisons[short] = (
                Appointment.objects.active().filter(role=Role.LIAISON, agency=agency).get().person.username
            )
            for i in range(SEED_PER_AGENCY):
                report = actions.submit_report(
                    description=f"Laporan awal uji ketahanan {short} {i}: jalan berlubang.",
                    category=categories[i % len(categories)],
                    region=kelurahan[i % len(kelurahan)],
                    reporter_name="Warga Awal",
                    reporter_email=f"awal.{short.lower()}.{i}@soak.test",
                    reply_channel="email",
                )
                report = actions.verify_report(report, actor=coordinator.person)
                actions.dispose_report(report, actor=coordinator.person, lead_agency=agency)
    return {
        "last_seed_event": ReportEvent.objects.order_by("-pk").values_list("pk", flat=True).first(),
        "categories": [[c.parent_id, c.pk] for c in categories],
        "kelurahan": [[r.parent_id, r.pk] for r in kelurahan],
        "agencies": agencies,
        "liaisons": liaisons,
    }


def inside_outbox(payload):
    _django()
    from django_tasks_db.models import DBTaskResult

    from notify.models import OutboxMessage

    return {
        "queued": OutboxMessage.objects.filter(state="queued").count(),
        "tasks_ready": DBTaskResult.objects.filter(status="READY").count(),
        "states": dict(Counter(OutboxMessage.objects.values_list("state", flat=True))),
    }


def inside_check(obs):
    """Every invariant, from the database and what the clients saw."""
    _django()
    from django.conf import settings
    from django.db.models import Count, Q

    from notify.models import DeliveryAttempt, OutboxMessage
    from notify.receivers import REPORTER_TEMPLATES
    from reports.models import Report, ReportEvent, TrackingCounter

    r = {}
    accepted = obs["accepted"]
    # portal/forms.py stores the page's key as "web:<key>".
    by_key = {
        rep.submission_key.removeprefix("web:"): rep
        for rep in Report.objects.filter(submission_key__in=[f"web:{a['key']}" for a in accepted if a["key"]])
    }
    r["accepted"] = len(accepted)
    r["accepted_stored"] = sum(1 for a in accepted if a["key"] in by_key)
    r["lost"] = [a["tracking_number"] for a in accepted if a["key"] not in by_key]
    r["wrong_number"] = [
        (a["tracking_number"], by_key[a["key"]].tracking_number)
        for a in accepted
        if a["key"] in by_key and by_key[a["key"]].tracking_number != a["tracking_number"]
    ]
    r["refused"] = len(obs["refused"])
    markers = [a["marker"] for a in accepted] + [u["marker"] for u in obs["unanswered"]]
    per_marker = Counter()
    for title in Report.objects.filter(title__startswith="Uji ketahanan ").values_list("title", flat=True):
        per_marker[title.rsplit(" ", 1)[1]] += 1
    r["doubled"] = [m for m in markers if per_marker[m] > 1]
    r["unanswered"] = len(obs["unanswered"])
    r["unanswered_stored"] = sum(1 for u in obs["unanswered"] if per_marker[u["marker"]])

    numbers = sorted(
        int(n.rsplit("-", 1)[1])
        for n in Report.objects.filter(tracking_number__startswith=settings.ADUAN_TRACKING_PREFIX + "-").values_list(
            "tracking_number", flat=True
        )
    )
    r["reports"] = len(numbers)
    r["numbers"] = f"1..{numbers[-1]}" if numbers else "none"
    r["gaps"] = sorted(set(range(1, (numbers[-1] if numbers else 0) + 1)) - set(numbers))[:20]
    counters = list(TrackingCounter.objects.values_list("year", "last"))
    r["counter"] = counters
    if numbers and any(last != numbers[-1] for _, last in counters):
        r["gaps"].append("counter differs from the last number")
    r["without_submitted_event"] = Report.objects.exclude(
        pk__in=ReportEvent.objects.filter(action="submitted").values("report_id")
    ).count()

    seen = obs["follow_ups"]
    per_follow_up = Counter()
    for message in ReportEvent.objects.filter(action="follow_up", message__startswith="Tindak lanjut uji ").values_list(
        "message", flat=True
    ):
        per_follow_up[message.split()[3].rstrip(":")] += 1
    r["follow_ups_seen"] = len(seen)
    r["follow_ups_missing"] = sum(1 for f in seen if per_follow_up[f["marker"]] == 0)
    all_markers = [f["marker"] for f in seen] + [f["marker"] for f in obs["follow_ups_unanswered"]]
    r["follow_ups_doubled_markers"] = [m for m in all_markers if per_follow_up[m] > 1]
    r["follow_ups_doubled"] = len(r["follow_ups_doubled_markers"])

    actions = {"verifikasi": "verified", "disposisi": "disposed"}
    r["coordinator_seen"] = len(obs["coordinator"])
    r["coordinator_already"] = sum(1 for d in obs["coordinator"] if d["already"])
    r["coordinator_missing"] = sum(
        1
        for d in obs["coordinator"]
        if not ReportEvent.objects.filter(report_id=d["report"], action=actions[d["action"]]).exists()
    )

    # Every event of the run that tells the reporter (all reporters gave an email) or, when
    # disposed, the agency's staff, has its outbox message: written in the event's own
    # transaction, so none may be missing (before, they were queued after the commit and a
    # database gone right then lost them: "Notifications for event … failed").
    keys = set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    staff_told = {k.split(":")[1] for k in keys if ":user:" in k}
    missing = []
    for pk, action, created in ReportEvent.objects.filter(
        pk__gt=obs["last_seed_event"] or 0, is_public=True, action__in=list(REPORTER_TEMPLATES)
    ).values_list("pk", "action", "created_at"):
        if f"event:{pk}:reporter:email" not in keys or (action == "disposed" and str(pk) not in staff_told):
            missing.append((pk, action, created.isoformat(timespec="seconds")))
    r["notifications_never_queued"] = missing
    # Triage written down with its event and not done yet (the after-commit run lost; the
    # sweep triage-stranded-jobs does it within 5 minutes, after this check).
    from triage.models import TriageJob

    r["triage_jobs_left"] = TriageJob.objects.count()

    r["outbox_states"] = dict(Counter(OutboxMessage.objects.values_list("state", flat=True)))
    r["attempts"] = DeliveryAttempt.objects.count()
    r["attempts_ok"] = DeliveryAttempt.objects.filter(ok=True).count()
    r["double_ok"] = (
        OutboxMessage.objects.annotate(ok=Count("delivery_attempts", filter=Q(delivery_attempts__ok=True)))
        .filter(ok__gt=1)
        .count()
    )
    # Every mail at the sink belongs to one sent message (recipient, subject, body); more
    # mails than sent messages with that content is a double send.
    sent = Counter()
    unsettled = Counter()
    for message in OutboxMessage.objects.filter(channel="email"):
        key = (message.recipient, message.subject.replace("\n", " ").strip(), body_digest(message.body))
        if message.state == "sent":
            sent[key] += 1
        else:
            unsettled[key] += 1
    mails = Counter((m["to"], m["subject"], m["body"]) for m in obs["mails"])
    r["mails"] = len(obs["mails"])
    extra = {k: n - sent[k] for k, n in mails.items() if n > sent[k] and sent[k]}
    r["mails_doubled"] = sum(extra.values())
    r["mails_doubled_examples"] = [list(k[:2]) + [n] for k, n in list(extra.items())[:5]]
    r["mails_unmatched"] = sum(n for k, n in mails.items() if not sent[k])
    r["mails_unmatched_unsettled"] = sum(n for k, n in mails.items() if not sent[k] and unsettled[k])
    r["sent_not_received"] = sum(n - mails[k] for k, n in sent.items() if n > mails[k])
    return r
