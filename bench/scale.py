"""`make bench` (its scale-out part): 2 server processes reading from a streaming replica,
against 1 process on the primary alone, on the world's posts; then a 60-second soak.

    python -m bench.scale [--seconds 20] [--soak 60] [--code BE]

Makes its own primary and replica (bench/replication.py: initdb, pg_basebackup) so it
needs PostgreSQL's server programs, not a running server. Both set-ups answer QW
(bench/queries/qw.graphql) under wrk at concurrency 64; the answers are first checked
to be the same. The soak keeps the same load on the 2 processes for 60 seconds,
sampling each worker's resident memory every second, and counts every answer that is
not a 200 without GraphQL errors. Last, where PgBouncer is installed, the 2 processes
run once more with both databases through it in transaction mode. Replaces the "Scale-out" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.pooler import pgbouncer, pgbouncer_program
from bench.replication import MISSING, primary_and_replica, server_binaries
from bench.run import BIN, HERE, Measure, _free_port, _post, _start, _wrk, parse_wrk, run_wrk

CONNECTIONS = 64
SECTION = "## Scale-out: 2 processes and a read replica"


def _serve(
    url: str, workers: int, environment: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, **environment, "DATABASE_URL": url, "PORT": str(port)}
    command = [str(BIN / "bilateral"), "serve", "--no-access-log", "--workers", str(workers)]
    return _start(command, env, port), f"http://127.0.0.1:{port}/graphql"


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def _workers(process: subprocess.Popen[bytes]) -> list[int]:
    """The processes that serve requests: uvicorn's children (less multiprocessing's
    resource tracker), or the process itself."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    serving = [
        int(pid)
        for pid in children
        if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    return serving or [process.pid]


def _rss_mib(pid: int) -> float:
    found = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(found.group(1)) / 1024 if found else float("nan")


@dataclass
class Soak:
    """The soak's load figures and each worker's resident memory, second by second."""

    measure: Measure
    memory: dict[int, list[float]]  # pid -> MiB at 1, 2, … seconds

    def drift(self, pid: int, start: int) -> float:
        """The largest change of a worker's memory from second `start` on, relative to it."""
        samples = self.memory[pid][start - 1 :]
        return max(abs(value - samples[0]) / samples[0] for value in samples)


def _soak(process: subprocess.Popen[bytes], url: str, body: bytes, seconds: int) -> Soak:
    result: list[subprocess.CompletedProcess[str]] = []
    load = threading.Thread(
        target=lambda: result.append(run_wrk(url, body, seconds, CONNECTIONS, graphql_errors=True))
    )
    workers = _workers(process)
    memory: dict[int, list[float]] = {pid: [] for pid in workers}
    began = time.monotonic()
    load.start()
    for second in range(1, seconds + 1):
        time.sleep(max(began + second - time.monotonic(), 0))
        for pid in workers:
            memory[pid].append(_rss_mib(pid))
    load.join()
    return Soak(parse_wrk(result[0].stdout), memory)


def run(args: argparse.Namespace) -> str:
    binaries = server_binaries()
    if binaries is None:
        raise SystemExit(MISSING)
    body = json.dumps(
        {"query": (HERE / "queries" / "qw.graphql").read_text(), "variables": {"code": args.code}}
    ).encode()
    with primary_and_replica(binaries) as pair:
        primary_url, replica_url = pair.new_database("bilateral_bench_scale")
        # One process on the primary alone; its first start loads the world's posts.
        alone, url = _serve(primary_url, 1, {})
        try:
            expected = json.loads(_post(url, body))["data"]
            _wrk(url, body, 2, CONNECTIONS)
            single = _wrk(url, body, args.seconds, CONNECTIONS, graphql_errors=True)
        finally:
            _stop(alone)
        pair.wait_for_replay()
        both, url = _serve(primary_url, 2, {"DATABASE_REPLICA_URLS": replica_url})
        try:
            assert json.loads(_post(url, body))["data"] == expected, "the replica answers otherwise"
            _wrk(url, body, 2, CONNECTIONS)
            scaled = _wrk(url, body, args.seconds, CONNECTIONS, graphql_errors=True)
            soak = _soak(both, url, body, args.soak)
        finally:
            _stop(both)
        pooled = _through_pgbouncer(pair.primary.port, pair.replica.port, body, expected, args)
    return _section(args, single, scaled, soak, pooled)


def _through_pgbouncer(
    primary: int, replica: int, body: bytes, expected: object, args: argparse.Namespace
) -> Measure | None:
    """The 2 processes and the replica again, both databases through PgBouncer in transaction
    mode (statement caches off); None where PgBouncer is not installed."""
    if pgbouncer_program() is None:
        return None
    name = "bilateral_bench_scale"
    with pgbouncer({name: primary, f"{name}_replica": replica}) as port:
        through = f"postgresql+asyncpg://postgres@127.0.0.1:{port}"
        environment = {
            "DATABASE_REPLICA_URLS": f"{through}/{name}_replica",
            "DATABASE_POOL_MODE": "transaction",
            "DATABASE_LISTEN_URL": f"postgresql+asyncpg://postgres@127.0.0.1:{primary}/{name}",
        }
        server, url = _serve(f"{through}/{name}", 2, environment)
        try:
            assert json.loads(_post(url, body))["data"] == expected, "PgBouncer answers otherwise"
            _wrk(url, body, 2, CONNECTIONS)
            return _wrk(url, body, args.seconds, CONNECTIONS, graphql_errors=True)
        finally:
            _stop(server)


def _section(
    args: argparse.Namespace,
    single: Measure,
    scaled: Measure,
    soak: Soak,
    pooled: Measure | None,
) -> str:
    def row(name: str, measure: Measure) -> str:
        return (
            f"| {name} | {measure.rps:,.0f} | {measure.p50_ms:.2f} | {measure.p99_ms:.2f} |"
            f" {measure.failures} |"
        )

    memory = "\n".join(
        f"| {number} | {samples[args.settle - 1]:.0f} | {samples[-1]:.0f} |"
        f" {min(samples[args.settle - 1 :]):.0f}–{max(samples[args.settle - 1 :]):.0f} |"
        f" {soak.drift(pid, args.settle):.1%} |"
        for number, (pid, samples) in enumerate(soak.memory.items(), 1)
    )
    flat = all(soak.drift(pid, args.settle) <= 0.10 for pid in soak.memory)
    return f"""{SECTION}

Command: `python -m bench.scale --seconds {args.seconds} --soak {args.soak} --code {args.code}`
(part of `make bench`), run on {time.strftime("%Y-%m-%d %H:%M")} UTC on {os.cpu_count()} cores;
the machine's load average was {args.load:.1f} when the run began (anything above 0 is
other work sharing those cores, which makes the figures indicative only). A primary and a streaming replica made for the run
(PostgreSQL's own replication: initdb, pg_basebackup, standby mode), on the same machine;
the world's posts; QW (`bench/queries/qw.graphql`, code {args.code}) under wrk, 2 threads,
{CONNECTIONS} connections, {args.seconds} s after a 2 s warm-up. Both set-ups gave the same answer.
"Failures" counts every answer that was not a 200 without GraphQL errors. Through
PgBouncer (Debian's 1.18, transaction mode) the statement caches are off
(`DATABASE_POOL_MODE=transaction`): 1.18 cannot track named prepared statements.

| Set-up | req/s | p50 ms | p99 ms | Failures |
|---|---|---|---|---|
{row("1 process, primary alone", single)}
{row("2 processes, reads on the replica", scaled)}
{row("2 processes, reads on the replica, both through PgBouncer", pooled) if pooled else "| 2 processes through PgBouncer | not run: pgbouncer is not installed | | | |"}

On 2 cores the server processes, the two PostgreSQL servers and wrk share the same two
cores, so a second process and a replica cannot add capacity here; the point of the run
is that it works, answers the same and fails nothing.

Soak: the same load on the 2 processes for {args.soak} s: {soak.measure.rps:,.0f} req/s,
p99 {soak.measure.p99_ms:.2f} ms, **{soak.measure.failures} failures**. Resident memory
of each worker (MiB), from second {args.settle} to second {args.soak}
(flat within ±10 %: **{"yes" if flat else "no"}**):

| Worker | At {args.settle} s | At {args.soak} s | Range | Largest change |
|---|---|---|---|---|
{memory}
"""


def write(section: str) -> None:
    """Put the section into bench/RESULTS.md, replacing the one there."""
    path = HERE / "RESULTS.md"
    text = path.read_text()
    if SECTION in text:
        text = text[: text.index(SECTION)].rstrip() + "\n"
    path.write_text(text.rstrip() + "\n\n" + section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--soak", type=int, default=60)
    parser.add_argument("--settle", type=int, default=10, help="the soak's first second compared")
    parser.add_argument("--code", default="BE", help="the country whose posts QW asks for")
    args = parser.parse_args()
    args.load = os.getloadavg()[0]
    write(run(args))
    print((HERE / "RESULTS.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
