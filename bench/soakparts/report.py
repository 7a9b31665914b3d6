"""The soak's printed report and its invariants."""

import json
import os
from collections import Counter
from datetime import datetime

# ---------------------------------------------------------------------------- the report


def percentile(values, p):
    if not values:
        return 0
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(soak, drained, results):
    rows = soak.recorder.rows
    load_rows = [r for r in rows if soak.load_started <= r["t"]]
    seconds = soak.load_ended - soak.load_started
    statuses = Counter(r["status"] if r["status"] is not None else "conn" for r in load_rows)
    five_hundreds = [r for r in load_rows if r["status"] and r["status"] >= 500 and r["status"] != 503]
    retries = Counter()
    for client in soak.clients:
        retries.update(client.counts)
    print()
    print(f"Aduan soak — {datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores (shared), PostgreSQL, ", end="")
    print(f"gunicorn {soak.args.web_workers} workers, 2 task workers, 1 scheduler")
    print(
        f"load: {seconds / 60:.1f} min, {len(load_rows)} requests ({len(load_rows) / seconds:.1f}/s, bounded "
        f"{soak.args.rate:g}/s), clients: {len(soak.residents)} residents, {len(soak.liaisons)} liaisons, 1 coordinator"
    )
    ok_ms = [r["ms"] for r in load_rows if r["status"] and r["status"] < 400]
    print(
        f"latency of answered requests: p50 {percentile(ok_ms, 50)} ms, p95 {percentile(ok_ms, 95)} ms, "
        f"p99 {percentile(ok_ms, 99)} ms"
    )
    print("answers: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))))
    print(
        f"503s seen: {statuses.get(503, 0)}; other 5xx: {len(five_hundreds)}; connection errors: "
        f"{statuses.get('conn', 0)}; client re-sends: submissions {retries['submit_retries']}, follow-ups "
        f"{retries['follow_up_retries']}, GETs {retries['get_retries']}; gave up: {retries['gave_up']}"
    )
    for row in five_hundreds[:10]:
        print(f"  5xx: +{row['t'] - soak.load_started:.1f} s {row['status']} {row['method']} {row.get('path')}")
    print()
    print("faults (recovery: first healthy /health/ after the fault's end; client errors: answers ≥ 500 or lost")
    print("connections from the fault until the next one, and the last of them after the fault's end)")
    samples = soak.probe.samples
    for i, fault in enumerate(soak.faults):
        until = soak.faults[i + 1].at if i + 1 < len(soak.faults) else soak.load_ended
        # By when the answer came (or the connection broke): a request sent just before the
        # fault may fail because of it.
        bad = [
            r
            for r in load_rows
            if fault.at <= r["t"] + r["ms"] / 1000 < until and (r["status"] is None or r["status"] >= 500)
        ]
        unhealthy = [t for t, ok in samples if fault.at <= t < until and not ok]
        after = unhealthy[-1] if unhealthy else fault.ended
        healthy_again = next((t for t, ok in samples if t >= after and ok), None)
        recovery = f"{healthy_again - fault.ended:.1f} s" if unhealthy and healthy_again else "never unhealthy"
        last_bad = f"{max(b['t'] + b['ms'] / 1000 for b in bad) - fault.ended:+.1f} s" if bad else "-"
        kinds = Counter(r["status"] or "conn" for r in bad)
        print(
            f"  +{fault.at - soak.load_started:5.0f} s {fault.name:34} lasted {fault.ended - fault.at:4.1f} s; "
            f"recovery {recovery}; client errors {len(bad)} {dict(kinds)}, last at {last_bad}"
        )
    restarts = {
        name: [(round(t - soak.load_started, 1), code, "ours" if ours else "on its own") for t, code, ours in s.exits]
        for name, s in soak.supervisor.services.items()
    }
    print("process exits (restarted after 2 s): " + "; ".join(f"{n}: {v or 'none'}" for n, v in restarts.items()))
    print()
    r = results
    print(
        f"submissions: {retries['submissions']} sent, {r['accepted']} accepted (tracking number seen), "
        f"{r['refused']} refused with a form error, {r['unanswered']} given up by the client "
        f"({r['unanswered_stored']} of them stored anyway)"
    )
    print(
        f"  stored for the accepted keys: {r['accepted_stored']}; missing: {len(r['lost'])}; "
        f"other tracking number: {len(r['wrong_number'])}; reports per marker > 1: {len(r['doubled'])}; "
        f"503 page kept a different form: {sum(c.kept_mismatch for c in soak.residents)}"
    )
    print(
        f"  reports in all: {r['reports']}; tracking numbers {r['numbers']}; gaps: {r['gaps']}; "
        f"counter {r['counter']}; without a 'submitted' event: {r['without_submitted_event']}"
    )
    print(
        f"follow-ups: {r['follow_ups_seen']} seen stored by the liaison, {r['follow_ups_missing']} missing, "
        f"{r['follow_ups_doubled']} stored twice; coordinator actions seen: {r['coordinator_seen']} "
        f"({r['coordinator_already']} answered 409 on the re-send), missing: {r['coordinator_missing']}"
    )
    print(
        f"outbox after {drained['seconds']} s of draining: {r['outbox_states']}; delivery attempts "
        f"{r['attempts']} ({r['attempts_ok']} ok); messages with >1 ok attempt: {r['double_ok']}"
    )
    print(
        f"  mails at the SMTP sink: {r['mails']}; mails beyond their sent message: {r['mails_doubled']}; "
        f"sent messages not at the sink: {r['sent_not_received']}; mails for no sent message: "
        f"{r['mails_unmatched']}"
    )
    lost_notes = r["notifications_never_queued"]
    print(
        f"notifications never queued (event committed, outbox row lost with the database): {len(lost_notes)}"
        + (f" e.g. {lost_notes[:3]}" if lost_notes else "")
        + f"; triage jobs not done yet (the sweep's): {r.get('triage_jobs_left', '-')}"
    )
    failures = []
    if lost_notes:
        # The outbox rows are written in the event's transaction: a committed event
        # without its messages is a loss.
        failures.append(f"{len(lost_notes)} notifications never queued: {lost_notes[:3]}")
    if r["lost"]:
        failures.append(f"{len(r['lost'])} accepted submissions not stored: {r['lost'][:5]}")
    if r["wrong_number"]:
        failures.append(f"{len(r['wrong_number'])} accepted submissions stored under another number")
    if r["doubled"]:
        failures.append(f"{len(r['doubled'])} submissions stored twice: {r['doubled'][:5]}")
    if r["gaps"]:
        failures.append(f"tracking numbers have gaps: {r['gaps']}")
    if r["without_submitted_event"]:
        failures.append(f"{r['without_submitted_event']} reports without their 'submitted' event")
    if r["follow_ups_missing"]:
        failures.append(f"{r['follow_ups_missing']} follow-ups seen stored are missing")
    if r["follow_ups_doubled"]:
        failures.append(f"{r['follow_ups_doubled']} follow-ups stored twice: {r['follow_ups_doubled_markers'][:5]}")
    if r["coordinator_missing"]:
        failures.append(f"{r['coordinator_missing']} coordinator actions seen done are missing")
    if r["double_ok"]:
        failures.append(f"{r['double_ok']} messages with more than one successful delivery")
    if r["mails_doubled"]:
        failures.append(f"{r['mails_doubled']} mails sent twice: {r['mails_doubled_examples'][:3]}")
    if r["mails_unmatched"]:
        failures.append(f"{r['mails_unmatched']} mails at the sink for no sent message (sent, not recorded)")
    if five_hundreds:
        failures.append(f"{len(five_hundreds)} answers 5xx other than 503")
    if retries["gave_up"]:
        failures.append(f"clients gave up {retries['gave_up']} times")
    if sum(c.kept_mismatch for c in soak.residents):
        failures.append("the 503 page kept other fields than were sent")
    for client in soak.clients:
        if client.crashed:
            failures.append(f"client {client.name} crashed: {client.crashed.strip().splitlines()[-1]}")
            (soak.dir / f"crash-{client.name}.txt").write_text(client.crashed)
    if not r["accepted"] or not r["follow_ups_seen"] or not r["coordinator_seen"]:
        failures.append("too little load to judge: no accepted submission, follow-up or coordinator action")
    errors = [e for c in soak.clients for e in c.errors]
    if errors:
        print(f"client notes ({len(errors)}): {errors[:8]}")
    print()
    print("INVARIANTS: " + ("all hold" if not failures else "FAILED"))
    for failure in failures:
        print(f"  - {failure}")
    (soak.dir / "summary.json").write_text(json.dumps({"results": r, "failures": failures}, indent=1, default=str))
    return failures
