"""Rate limits count across every worker process. The probed clone answered 25 failed
tracking lookups in a row with 200 because each gunicorn worker kept its own count in
per-process memory; production now refuses that cache (tests/test_settings.py), and Redis
or the database cache give every worker the same counter, as these tests show with two
independent cache clients — and with two real processes on Redis.

Redis tests use the server at TEST_REDIS_URL (default redis://127.0.0.1:6379/15; .ci/run
starts one) and are skipped when none answers. They touch only keys of a random client
address, and delete them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import time_machine
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from core import throttle
from tests.base import AduanTestCase

PROJECT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
LIMIT = "20/hour"


def redis_or_skip(test):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        test.skipTest(f"no Redis at {REDIS_URL}")


@override_settings(ADUAN_RATES={"portal_submit": "30/hour", "portal_track_failed": LIMIT})
class TwoWorkersTests(AduanTestCase):
    """Two workers, each with its own cache client, answer 25 failed lookups in turn."""

    def lookups(self, workers, times=25):
        # In the middle of an hour, so the fixed window does not roll over during the test.
        middle = timezone.now().replace(minute=20, second=0, microsecond=0)
        statuses = []
        with time_machine.travel(middle, tick=False):
            for n in range(times):
                with mock.patch.object(throttle, "cache", workers[n % 2]):
                    response = self.client.post(
                        reverse("portal:track"),
                        {"tracking_number": "BLT-1999-000001", "contact": f"08123456{n:04d}"},
                        REMOTE_ADDR=self.address,
                    )
                statuses.append(response.status_code)
        return statuses

    def setUp(self):
        self.address = f"2001:db8::{secrets.randbelow(2**16):x}:{secrets.randbelow(2**16):x}"

    def test_per_process_memory_lets_each_worker_count_alone(self):
        # What production refuses: the 21st to 25th failures still get an answer.
        workers = [LocMemCache("worker-a", {}), LocMemCache("worker-b", {})]

        self.assertEqual(self.lookups(workers), [200] * 25)

    def test_the_database_cache_shares_the_count_between_workers(self):
        call_command("createcachetable", "aduan_shared_test_cache", verbosity=0)
        workers = [DatabaseCache("aduan_shared_test_cache", {}) for _ in range(2)]

        self.assertEqual(self.lookups(workers), [200] * 20 + [429] * 5)

    def test_redis_shares_the_count_between_workers(self):
        redis_or_skip(self)
        workers = [RedisCache(REDIS_URL, {"KEY_PREFIX": "aduan-test"}) for _ in range(2)]
        self.addCleanup(delete_keys_of, self.address)

        self.assertEqual(self.lookups(workers), [200] * 20 + [429] * 5)


def delete_keys_of(address):
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=f"*throttle:*:{address}:*"))
    if keys:
        client.delete(*keys)


COUNT_IN_A_CHILD = """
import django; django.setup()
from django.test import RequestFactory
from core import throttle
request = RequestFactory().post("/lacak/", REMOTE_ADDR="{address}")
for _ in range({times}):
    throttle.count("portal_track_failed", request, now={now})
"""


class TwoProcessesTests(AduanTestCase):
    def test_two_processes_on_redis_share_the_tracking_lookup_counter(self):
        redis_or_skip(self)
        address = f"2001:db8::{secrets.randbelow(2**16):x}:{secrets.randbelow(2**16):x}"
        now = timezone.now().timestamp()  # the same window in both children, whatever their clock
        environment = {
            **{k: v for k, v in os.environ.items() if k not in {"ADUAN_CACHE_BACKEND", "ADUAN_PRODUCTION"}},
            "DJANGO_SETTINGS_MODULE": "aduan.settings",
            "REDIS_URL": REDIS_URL,
            "ADUAN_CACHE_KEY_PREFIX": "aduan-shared-limits",
            "ADUAN_PORTAL_RATE_TRACK_FAILED": LIMIT,
        }
        code = COUNT_IN_A_CHILD.format(address=address, times=10, now=now)
        children = [
            subprocess.Popen([sys.executable, "-c", code], cwd=PROJECT, env=environment, stderr=subprocess.PIPE)
            for _ in range(2)
        ]
        self.addCleanup(delete_keys_of, address)

        for child in children:
            _out, err = child.communicate(timeout=120)
            self.assertEqual(child.returncode, 0, err.decode())

        # A third client sees both children's 10 failures: 20, the limit reached, not 10.
        request = RequestFactory().post("/lacak/", REMOTE_ADDR=address)
        with mock.patch.object(throttle, "cache", RedisCache(REDIS_URL, {"KEY_PREFIX": "aduan-shared-limits"})):
            with self.settings(ADUAN_RATES={"portal_submit": "30/hour", "portal_track_failed": "20/hour"}):
                self.assertIsNotNone(throttle.retry_after("portal_track_failed", request, now=now))
            with self.settings(ADUAN_RATES={"portal_submit": "30/hour", "portal_track_failed": "21/hour"}):
                self.assertIsNone(throttle.retry_after("portal_track_failed", request, now=now))
