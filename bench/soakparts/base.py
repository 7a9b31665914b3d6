"""The soak's constants and small helpers."""

import hashlib
import os
import socket
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the repository
OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST = "127.0.0.1"
PG_ADMIN_URL = os.environ.get("SOAK_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
RESTART_SEC = 2  # deploy/systemd/*.service: RestartSec=2
GIVE_UP_SECONDS = 120  # a client retrying one action longer than this gives up (counted)
AGENCIES = ("DPUPR", "Dishub")  # the liaisons' agencies; the coordinator disposes to them
SEED_PER_AGENCY = 20
PASSWORD = "demo12345"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def body_digest(text: str) -> str:
    """The same body whether it came from the outbox row or out of the MIME message."""
    lines = [line.rstrip() for line in (text or "").strip().splitlines()]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
