"""PgBouncer in transaction mode, started for tests and benchmarks in front of PostgreSQL servers.

Debian's package puts it at /usr/sbin/pgbouncer (`make pgbouncer` installs it). Like
PostgreSQL, it will not run as root, so it runs as `postgres` when the tests are root.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.run import _free_port as free_port


def pgbouncer_program() -> str | None:
    """Where the pgbouncer program is, if it is installed."""
    return shutil.which("pgbouncer") or next(
        (path for path in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if Path(path).exists()),
        None,
    )


MISSING = "pgbouncer is not installed (Debian: apt-get install pgbouncer, or `make pgbouncer`)"


@contextlib.contextmanager
def pgbouncer(servers: dict[str, int]) -> Iterator[int]:
    """PgBouncer in transaction mode on a free port, with one pooled database per entry
    (`name` -> port of a PostgreSQL server on 127.0.0.1, whose database of the same name
    it leads to); yields its port."""
    program = pgbouncer_program()
    assert program is not None, MISSING
    folder = Path(tempfile.mkdtemp(prefix="bilateral-pgbouncer-"))
    port = free_port()
    # JIT off for compiled statements: the app sends no session settings through a pooler.
    databases = "".join(
        f"{name} = host=127.0.0.1 port={server} dbname={name} connect_query='SET jit = off'\n"
        for name, server in servers.items()
    )
    (folder / "userlist.txt").write_text('"postgres" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
{databases}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "userlist.txt"}
pool_mode = transaction
max_client_conn = 500
default_pool_size = 10
logfile = {folder / "pgbouncer.log"}
"""
    )
    command = [program, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        command = ["runuser", "-u", "postgres", "--", *command]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 10
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"pgbouncer did not start (exit status {process.poll()})")
        time.sleep(0.1)
