"""A PostgreSQL primary and a streaming replica of it, made from scratch for tests and benchmarks.

The primary is a fresh cluster (initdb) on a free port rather than a server already
running: its configuration is then our own (streaming replication, trust for
replication connections), and the base backup copies only the data made for the run.
The replica is a `pg_basebackup` of it in standby mode on another free port. Both
run as the `postgres` user when the tests run as root, since PostgreSQL refuses root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.run import _free_port as free_port


def server_binaries() -> Path | None:
    """The folder of PostgreSQL's server programs (initdb, postgres, pg_ctl, pg_basebackup)."""
    candidates = [os.environ.get("PG_BIN", "")]
    candidates += sorted(
        (str(path) for path in Path("/usr/lib/postgresql").glob("*/bin")),
        key=lambda path: int(Path(path).parent.name) if Path(path).parent.name.isdigit() else 0,
        reverse=True,
    )
    found = shutil.which("initdb")
    candidates.append(str(Path(found).parent) if found else "")
    for folder in candidates:
        if (
            folder
            and (Path(folder) / "initdb").exists()
            and (Path(folder) / "pg_basebackup").exists()
        ):
            return Path(folder)
    return None


MISSING = (
    "no PostgreSQL server programs (initdb, pg_basebackup, psql) found; set PG_BIN to their folder"
)


def _as_owner(command: list[str]) -> list[str]:
    """Run as `postgres` when we are root: PostgreSQL will not run as root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class Server:
    """One PostgreSQL server of the pair."""

    bin: Path
    data: Path
    port: int

    def url(self, database: str) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, program: str, *arguments: str) -> None:
        command = _as_owner([str(self.bin / program), *arguments])
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        log = str(self.data.parent / f"{self.data.name}.log")
        self.run("pg_ctl", "-D", str(self.data), "-l", log, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; `immediate` is as abrupt as a crash."""
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def sql(self, statement: str, database: str = "postgres") -> str:
        """One statement's answer as psql prints it, unaligned."""
        command = [
            str(self.bin / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
        ]
        command += ["-d", database, "-AtX", "-v", "ON_ERROR_STOP=1", "-c", statement]
        done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)
        return done.stdout.strip()


@dataclass
class Pair:
    """A primary and its streaming replica."""

    primary: Server
    replica: Server

    def new_database(self, name: str) -> tuple[str, str]:
        """Create a database on the primary (it reaches the replica too); its two URLs."""
        self.primary.sql(f'CREATE DATABASE "{name}"')
        self.wait_for_replay()
        return self.primary.url(name), self.replica.url(name)

    def wait_for_replay(self) -> None:
        """Wait until the replica has replayed everything the primary has written so far."""
        target = self.primary.sql("SELECT pg_current_wal_insert_lsn()::text")
        self.replica.sql(
            f"""DO $$ BEGIN
                  WHILE pg_last_wal_replay_lsn() < '{target}'::pg_lsn LOOP
                    PERFORM pg_sleep(0.05);
                  END LOOP;
                END $$"""
        )

    def pause_replay(self) -> None:
        self.replica.sql("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica.sql("SELECT pg_wal_replay_resume()")


@contextlib.contextmanager
def primary_and_replica(bin: Path) -> Iterator[Pair]:
    """A new primary and replica in a temporary folder, stopped and removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="bilateral-replication-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    primary = Server(bin, root / "primary", free_port())
    replica = Server(bin, root / "replica", free_port())
    started: list[Server] = []
    try:
        primary.run(
            "initdb",
            "-D",
            str(primary.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        settings = {
            "port": primary.port,
            "listen_addresses": "'127.0.0.1'",
            "unix_socket_directories": f"'{root}'",
            "wal_level": "replica",
            "max_wal_senders": 4,
            "hot_standby": "on",
            "fsync": "off",  # a test's data need not survive a power cut
            "jit": "off",
        }
        lines = "".join(f"{name} = {value}\n" for name, value in settings.items())
        _append(primary.data / "postgresql.conf", lines)
        primary.start()
        started.append(primary)
        primary.run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
            "-D", str(replica.data), "-R", "-X", "stream", "--no-sync",
        )  # fmt: skip
        _append(replica.data / "postgresql.conf", f"port = {replica.port}\n")
        replica.start()
        started.append(replica)
        yield Pair(primary, replica)
    finally:
        for server in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                server.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def _append(path: Path, text: str) -> None:
    with path.open("a") as file:
        file.write(text)
