"""The faults a soak run injects: kill a web worker, a task worker, the web master; cut
the database."""

import os
import signal
from dataclasses import dataclass

from soakparts.base import RESTART_SEC
from soakparts.processes import children

# ---------------------------------------------------------------------------- faults


@dataclass
class Fault:
    name: str
    at: float  # seconds since the start of the load
    ended: float = 0.0
    note: str = ""


def fault_kill_web_worker(soak):
    master = soak.supervisor.pid("web")
    workers = children(master)
    if not workers:
        return "no worker found"
    victim = soak.rng.choice(workers)
    os.kill(victim, signal.SIGKILL)
    return f"killed worker {victim} of master {master}"


def fault_kill_task_worker(soak):
    name = soak.rng.choice(["worker-1", "worker-2"])
    pid = soak.supervisor.kill9(name)
    return f"killed {name} (pid {pid}); started again after {RESTART_SEC} s"


def fault_database_outage(soak):
    killed = soak.db.outage(10)
    return f"sessions killed for 5 s, then connections refused for 5 s; {killed} sessions terminated"


def fault_kill_web_master(soak):
    master = soak.supervisor.pid("web")
    orphans = children(master)
    soak.supervisor.kill9("web")
    soak.orphans.extend(orphans)
    return f"killed master {master}; {len(orphans)} orphaned workers; new master after {RESTART_SEC} s"


FAULTS = [
    ("kill -9 gunicorn worker", fault_kill_web_worker),
    ("kill -9 task worker", fault_kill_task_worker),
    ("database cut 10 s", fault_database_outage),
    ("kill -9 gunicorn master", fault_kill_web_master),
]
