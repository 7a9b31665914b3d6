"""Issue 21, read replicas: against a real PostgreSQL streaming replica (tests/replicas.py)
started once per test process from the primary the tests run on; skipped on SQLite.

What a page read is proven by a row that exists on one side only: replay on the replica is
paused (pg_wal_replay_pause()), a row is committed on the primary, and the page shows it or not.
"""

import fcntl
import os
import tempfile
import time
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings as django_settings
from django.db import DEFAULT_DB_ALIAS, connection, connections

from core import dbrouter
from reports.models import Category
from tests.factory import make_category
from tests.replicas import STARTUP_TIMEOUT, ReplicaUnavailable, StreamingReplica

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="a read replica is a PostgreSQL streaming replica: run with DATABASE_URL=postgres://…",
    ),
    # Only committed rows reach the replica.
    pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, dbrouter.REPLICA]),
    pytest.mark.urls("tests.replica_urls"),
]

# With pytest-xdist each worker that runs some of these tests starts its own replica (the tests
# pause its replay, which must not reach the other worker's tests); the lock has them take their
# base backups one after the other, each on a port of its own.
LOCK = Path(tempfile.gettempdir()) / "aduan-replica-start.lock"


@pytest.fixture(scope="session", autouse=True)
def streaming_replica(django_db_setup, django_db_blocker):
    """The replica, and the ``replica`` database on the test database's copy: added before any
    test's set-up (a session fixture comes first) so the tests may name it in ``databases``;
    the router sends nothing there unless ADUAN_DB_REPLICA_URL is set (the ``replica`` fixture)."""
    primary = django_settings.ADUAN_DB_DIRECT or connections[DEFAULT_DB_ALIAS].settings_dict
    with open(LOCK, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            replica = StreamingReplica(primary).start()
        except ReplicaUnavailable as error:
            if os.environ.get("CI"):  # CI must run them: .ci/run prepares the cluster
                pytest.fail(f"no streaming replica: {error}")
            pytest.skip(f"no streaming replica: {error}")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    # Caught up with what the primary wrote while it started (a busy cluster writes a lot).
    replica.wait_for(replica.primary_lsn(), timeout=STARTUP_TIMEOUT)
    config = dj_database_url.parse(replica.url(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]))
    config["OPTIONS"] = {"connect_timeout": 2}
    config["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
    connections.configure_settings({DEFAULT_DB_ALIAS: connections.settings[DEFAULT_DB_ALIAS], "replica": config})
    connections.settings[dbrouter.REPLICA] = config
    django_settings.DATABASES[dbrouter.REPLICA] = config
    yield replica
    with django_db_blocker.unblock():
        connections[dbrouter.REPLICA].close()
    del connections[dbrouter.REPLICA]
    connections.settings.pop(dbrouter.REPLICA, None)
    django_settings.DATABASES.pop(dbrouter.REPLICA, None)
    replica.stop()


def primary_lsn():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def db_name():
    return connections[DEFAULT_DB_ALIAS].settings_dict["NAME"]


@pytest.fixture
def replica(streaming_replica, settings):
    """The router on, the replica caught up with the primary; replay and server running again after."""
    settings.ADUAN_DB_REPLICA_URL = streaming_replica.url(db_name())
    settings.ADUAN_DB_REPLICA_CHECK_SECONDS = 0  # every request asks
    settings.ADUAN_DB_REPLICA_MAX_LAG_SECONDS = 3600  # a paused replay stays in use unless a test says
    settings.ADUAN_DB_STICKY_SECONDS = 30
    dbrouter.forget_replica_state()
    streaming_replica.wait_for(primary_lsn())
    yield streaming_replica
    connections[dbrouter.REPLICA].close()
    dbrouter.forget_replica_state()
    if not streaming_replica.started:
        streaming_replica.resume()
    streaming_replica.resume_replay()


def service_names(client):
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 200
    return {service["service_name"] for service in response.json()}


def on_replica_only_the_old(replica):
    """A category replicated, then replay paused and a second one committed on the primary."""
    old = make_category("Jalan berlubang")
    replica.wait_for(primary_lsn())
    replica.pause_replay()
    new = make_category("Lampu jalan mati")
    return old, new


def test_public_pages_read_from_the_replica(replica, client):
    on_replica_only_the_old(replica)

    assert service_names(client) == {"Jalan berlubang"}  # Open311, by its namespace
    body = client.get("/uji-replika/baca/").json()  # a view marked replica_reads
    assert (body["db"], body["standby"]) == ("replica", True)
    assert "Lampu jalan mati" not in body["names"]

    replica.resume_replay()
    replica.wait_for(primary_lsn())
    assert service_names(client) == {"Jalan berlubang", "Lampu jalan mati"}


def test_a_streamed_body_reads_from_the_replica_until_the_stream_ends(replica, client):
    on_replica_only_the_old(replica)

    response = client.get("/uji-replika/alir/")

    assert response.streaming and dbrouter.reading_from_replica()  # the body is read after the view returned
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "replica"
    assert "Jalan berlubang" in lines and "Lampu jalan mati" not in lines  # the new one: primary only
    assert dbrouter._routing.get() is None  # the stream's end closed the request's routing
    assert Category.objects.all().db == DEFAULT_DB_ALIAS


def test_pages_not_marked_read_from_the_primary(replica, client):
    on_replica_only_the_old(replica)

    body = client.get("/uji-replika/staf/").json()

    assert (body["db"], body["standby"]) == ("default", False)
    assert "Lampu jalan mati" in body["names"]


def test_writes_go_to_the_primary_and_later_reads_with_them(replica, client):
    old, _ = on_replica_only_the_old(replica)

    body = client.get(f"/uji-replika/ganti/?pk={old.pk}&name=Jalan+diperbaiki").json()

    assert body["read_from"] == "replica"  # before the write
    assert body["saved_to"] == DEFAULT_DB_ALIAS
    assert (body["db"], body["standby"]) == ("default", False)  # after it, this request reads the primary
    assert "Jalan diperbaiki" in body["names"] and "Lampu jalan mati" in body["names"]
    assert Category.objects.get(pk=old.pk).name == "Jalan diperbaiki"
    name_on_replica = replica.sql("SELECT name FROM reports_category WHERE id = %s", [old.pk], dbname=db_name())
    assert name_on_replica == ("Jalan berlubang",)  # replay paused: nothing was written there


def test_a_client_that_wrote_reads_the_primary_for_the_sticky_window(replica, client, settings):
    settings.ADUAN_DB_STICKY_SECONDS = 2
    old, _ = on_replica_only_the_old(replica)
    stranger = type(client)()

    client.get(f"/uji-replika/ganti/?pk={old.pk}&name=Jalan+diperbaiki")  # a write in a GET
    assert dbrouter.PIN_COOKIE in client.cookies
    assert service_names(client) == {"Jalan diperbaiki", "Lampu jalan mati"}  # its own write, from the primary
    assert service_names(stranger) == {"Jalan berlubang"}  # everyone else: the replica

    time.sleep(2.2)
    assert service_names(client) == {"Jalan berlubang"}  # the window is over: the replica again


def test_a_post_pins_the_client_to_the_primary(replica, client):
    on_replica_only_the_old(replica)

    client.post("/i18n/setlang/", {"language": "id", "next": "/"})

    assert service_names(client) == {"Jalan berlubang", "Lampu jalan mati"}


def test_reads_fall_back_to_the_primary_when_the_replica_is_down(replica, client):
    make_category("Jalan berlubang")
    replica.wait_for(primary_lsn())
    assert client.get("/readyz").json()["replica"] == "ok"

    replica.halt()
    make_category("Lampu jalan mati")

    assert service_names(client) == {"Jalan berlubang", "Lampu jalan mati"}
    readiness = client.get("/readyz")
    assert readiness.status_code == 200  # the primary serves: still ready
    assert (readiness.json()["replica"], readiness.json()["replica_lag_seconds"]) == ("down", None)


def test_reads_fall_back_to_the_primary_when_the_replica_lags_too_far(replica, client, settings):
    settings.ADUAN_DB_REPLICA_MAX_LAG_SECONDS = 1
    on_replica_only_the_old(replica)
    time.sleep(1.5)

    assert service_names(client) == {"Jalan berlubang", "Lampu jalan mati"}
    body = client.get("/readyz").json()
    assert body["replica"] == "lagging" and body["replica_lag_seconds"] > 1

    settings.ADUAN_DB_REPLICA_MAX_LAG_SECONDS = 3600  # the same replica, allowed to lag: read again
    assert service_names(client) == {"Jalan berlubang"}


def test_readiness_reports_a_caught_up_replica(replica, client):
    make_category("Jalan berlubang")
    replica.wait_for(primary_lsn())

    body = client.get("/readyz").json()

    assert body["replica"] == "ok"
    assert 0 <= body["replica_lag_seconds"] < 5
