"""core/singleflight.py: a cached value that runs out while many ask for it is built
once, not once per request; a builder that never finishes delays the others, never
loses their answer."""

import threading
import time

from django.core.cache import cache
from django.test import SimpleTestCase

from core import singleflight


class SingleFlightTest(SimpleTestCase):
    def setUp(self):
        cache.clear()
        self.calls = 0
        self.lock = threading.Lock()

    def slow_build(self):
        with self.lock:
            self.calls += 1
        time.sleep(0.3)
        return {"board": "figures"}

    def test_concurrent_misses_build_once_and_all_get_the_value(self):
        answers = []

        def ask():
            answers.append(singleflight.cached("sf:board", self.slow_build, 60))

        threads = [threading.Thread(target=ask) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(self.calls, 1)
        self.assertEqual(answers, [{"board": "figures"}] * 6)
        self.assertIsNone(cache.get("sf:board:building"))  # the lock is gone

    def test_a_lock_nobody_releases_delays_the_page_then_it_is_built(self):
        cache.add("sf:stuck:building", 1, 60)  # a builder that died
        started = time.monotonic()
        value = singleflight.cached("sf:stuck", lambda: "built here", 60, wait=0.2)
        self.assertEqual(value, "built here")
        self.assertGreaterEqual(time.monotonic() - started, 0.2)
        self.assertEqual(cache.get("sf:stuck"), "built here")

    def test_a_failed_build_releases_the_lock(self):
        def broken():
            raise RuntimeError("database gone")

        with self.assertRaises(RuntimeError):
            singleflight.cached("sf:broken", broken, 60)
        self.assertIsNone(cache.get("sf:broken:building"))
        started = time.monotonic()
        self.assertEqual(singleflight.cached("sf:broken", lambda: 7, 60), 7)
        self.assertLess(time.monotonic() - started, singleflight.WAIT_SECONDS / 2)  # did not wait

    def test_a_cached_value_is_returned_and_refresh_builds_again(self):
        cache.set("sf:warm", "old", 60)
        self.assertEqual(singleflight.cached("sf:warm", lambda: "new", 60), "old")
        self.assertEqual(singleflight.cached("sf:warm", lambda: "new", 60, refresh=True), "new")
        self.assertEqual(cache.get("sf:warm"), "new")
