"""The database connections from the settings: SQLite for the embedded setup, or
PostgreSQL (``DATABASE_URL``), maybe behind PgBouncer, maybe with a streaming replica for
the read-mostly pages (core/dbrouter.py; README, "Read replica").

Read by ``aduan/settings.py``, which reads the environment variables and passes them in
(as it does for aduan/objectstorage.py); nothing here reads the environment.
"""

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

POOLERS = ("pgbouncer",)


def databases(
    url: str,
    *,
    sqlite_path: str,
    pooler: str = "",
    replica_url: str = "",
    conn_max_age: int = 600,
    replica_connect_timeout: int = 2,
) -> dict:
    """``DATABASES``: PostgreSQL (or what ``url`` names) with persistent, health-checked
    connections, and a ``replica`` alias when ``replica_url`` is set; SQLite at
    ``sqlite_path`` when ``url`` is empty. Raises ImproperlyConfigured for an unknown
    pooler, or a replica without ``url``."""
    if not url:
        if replica_url:
            raise ImproperlyConfigured("ADUAN_DB_REPLICA_URL needs DATABASE_URL: a replica is a PostgreSQL one.")
        return {"default": sqlite(sqlite_path)}
    if pooler and pooler not in POOLERS:
        raise ImproperlyConfigured(f"ADUAN_DB_POOLER must be 'pgbouncer' or empty, not {pooler!r}")
    found = {"default": dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)}
    if replica_url:
        replica = dj_database_url.parse(replica_url, conn_max_age=conn_max_age, conn_health_checks=True)
        # A replica that does not answer is left for the primary within seconds, not minutes.
        replica.setdefault("OPTIONS", {})["connect_timeout"] = replica_connect_timeout
        # The replica mirrors the whole cluster: the tests' database reaches it by replication.
        replica["TEST"] = {"MIRROR": "default"}
        found["replica"] = replica
    if pooler == "pgbouncer":
        # PgBouncer in transaction pooling mode: a server connection changes hands when a
        # transaction ends, so nothing may outlive one — no server-side cursors (iterator()
        # then reads in chunks on the client); the replica has its own pool, in the same
        # mode. Aduan keeps no session state (no session-level SET, no advisory lock, no
        # LISTEN) and psycopg's client-side binding prepares no statement. Persistent
        # connections stay on: they are connections to PgBouncer.
        for alias in found.values():
            alias["DISABLE_SERVER_SIDE_CURSORS"] = True
    return found


def sqlite(path: str) -> dict:
    """SQLite in WAL mode, with a busy timeout and IMMEDIATE transactions, so concurrent
    writers queue instead of failing."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


def direct(url: str) -> dict | None:
    """``ADUAN_DB_DIRECT``: PostgreSQL itself for pg_dump and pg_restore (core/backup.py),
    which must not go through PgBouncer (they keep session state); None: use ``DATABASES``."""
    return dj_database_url.parse(url) if url else None
