"""What a request costs, read from /proc: the server's CPU, the database's CPU, and peak memory.

A server's CPU is its process's user and system time (/proc/PID/stat, fields 14 and 15);
the database's is the sum over the PostgreSQL backends connected to the benchmark's
database, found by the title PostgreSQL gives each backend ("postgres: USER DATABASE
HOST…", after the cluster's name where it has one). A backend that ends during a run takes its time with it, so every server under
test keeps its connections open (a pool of four). SQLite runs inside the server process,
so its CPU is part of the server's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process so far; 0 when it has gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # The command name, in brackets, may hold spaces: the fields after it are plain.
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def backends(database: str) -> list[int]:
    """The PostgreSQL backends connected to a database on this machine."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        words = title.split()
        # Debian's clusters put their name first: "postgres: 15/main: USER DATABASE …".
        if words[:1] == ["postgres:"] and database in words[2:4]:
            found.append(int(entry.name))
    return found


def backends_cpu(database: str) -> dict[int, float]:
    return {pid: cpu_seconds(pid) for pid in backends(database)}


def peak_rss_mib(pid: int) -> float:
    """The most resident memory the process has held (VmHWM), in MiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else float("nan")


@dataclass
class Cost:
    """CPU milliseconds a request, of the server and of the database."""

    server_ms: float
    database_ms: float | None  # None on SQLite, which runs inside the server


class Meter:
    """CPU of a server process, and of the database's backends, between start() and stop()."""

    def __init__(self, pid: int, database: str | None) -> None:
        self.pid = pid
        self.database = database
        self._server = 0.0
        self._backends: dict[int, float] = {}

    def start(self) -> None:
        self._server = cpu_seconds(self.pid)
        self._backends = backends_cpu(self.database) if self.database else {}

    def stop(self, requests: float) -> Cost:
        server = cpu_seconds(self.pid) - self._server
        database = None
        if self.database:
            now = backends_cpu(self.database)
            database = sum(t - self._backends.get(pid, 0.0) for pid, t in now.items())
        per = 1000 / requests if requests else float("nan")
        return Cost(server * per, None if database is None else database * per)
