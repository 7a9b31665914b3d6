"""Outbox benchmark: messages queued per second, and delivered per second by one worker
loop calling notify.actions.deliver (claim, send, record the attempt, mark sent), for email
(Django's locmem backend: no network) and SMS (tests/fakes/server.py as the gateway, over
local HTTP). Prints its numbers; asserts nothing.

Usage: .venv/bin/python bench/notify_throughput.py [--messages 500]
Uses a fresh SQLite file in bench/out/ unless DATABASE_URL is set (then that database is
migrated and used: give it an empty one).
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import migrated  # noqa: E402


def setup(gateway_url):
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["ADUAN_SMS_GATEWAY_URL"] = gateway_url
    os.environ["ADUAN_SMS_GATEWAY_TOKEN"] = "bench-token"
    migrated("notify")


def run(channel, count, recipient):
    from django.db import transaction

    from notify import actions
    from notify.models import OutboxMessage

    started = time.perf_counter()
    ids = []
    for offset in range(0, count, 100):
        with transaction.atomic():
            for i in range(offset, min(count, offset + 100)):
                message = actions.queue(
                    channel=channel,
                    recipient=recipient,
                    subject=f"[BLT-2026-{i:06d}] Laporan Anda terverifikasi",
                    body=f"Laporan BLT-2026-{i:06d} telah diverifikasi dan akan segera diteruskan.",
                    dedupe_key=f"bench:{channel}:{i}",
                )
                ids.append(message.pk)
    queued = time.perf_counter() - started

    started = time.perf_counter()
    states = [actions.deliver(pk) for pk in ids]
    delivered = time.perf_counter() - started
    sent = OutboxMessage.objects.filter(channel=channel, state="sent").count()
    return {
        "channel": channel,
        "messages": count,
        "queued_per_s": count / queued,
        "delivered_per_s": count / delivered,
        "ms_per_delivery": 1000 * delivered / count,
        "sent": sent,
        "not_won": states.count(None),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()

    from tests.fakes.server import FakeServer

    with FakeServer(respond=lambda recorded: (200, {}, {"id": "sms-bench"})) as gateway:
        setup(gateway.url)
        from django.conf import settings
        from django.db import connection

        print(f"database: {connection.vendor}; tasks: {settings.TASKS['default']['BACKEND']}")
        results = [run("email", args.messages, "warga@example.org"), run("sms", args.messages, "081234567890")]
        print(f"{'channel':8} {'messages':>8} {'queued/s':>10} {'delivered/s':>12} {'ms/delivery':>12} {'sent':>6}")
        for r in results:
            print(
                f"{r['channel']:8} {r['messages']:>8} {r['queued_per_s']:>10.0f} {r['delivered_per_s']:>12.0f} "
                f"{r['ms_per_delivery']:>12.2f} {r['sent']:>6}"
            )
        print(f"gateway requests: {len(gateway.requests)}")
        # The same gateway call without the outbox, to tell its cost from the outbox's.
        from gateways import sms

        started = time.perf_counter()
        for _ in range(50):
            sms.send_text("081234567890", "Laporan BLT-2026-000001 telah diverifikasi.")
        print(f"bare gateways.sms.send_text: {1000 * (time.perf_counter() - started) / 50:.2f} ms per SMS")


if __name__ == "__main__":
    main()
