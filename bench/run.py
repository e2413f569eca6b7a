"""`make bench`: the API against the floor under wrk, on a synthetic database; writes bench/RESULTS.md.

    python -m bench.run [--scale 1] [--flat-scale 0.1] [--rounds 2] [--seconds 10]

On SQLite, and on PostgreSQL as well when DATABASE_URL names a PostgreSQL server (the
benchmark makes its own databases there, bilateral_bench_scale_*). Both servers run at
once, each in one process; for every query, rounds alternate between them (warm-up,
then the measured run), at concurrency 8 from 2 wrk threads. Reported per query:
requests per second, median and 99th-percentile latency, the ratio to the floor in the
same round, SQL statements per request, the peak resident memory of the API server,
and Q1's and Q4's latency on the small-scale database beside the full-scale one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
QUERIES = ["q1", "q2", "q3", "q4"]


@dataclass
class Measure:
    rps: float
    p50_ms: float
    p99_ms: float
    failures: int = 0  # timeouts, socket errors and non-2xx answers


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Target:
    """One database the benchmark runs on: SQLite files under bench/data, or a PostgreSQL server."""

    name: str  # "SQLite" or "PostgreSQL"
    server: str | None = None  # the PostgreSQL URL the benchmark databases are made beside

    def url(self, scale: float) -> str:
        """The SQLAlchemy URL of the synthetic database for a scale."""
        if self.server is None:
            return f"sqlite+aiosqlite:///{HERE / 'data' / f'scale-{scale:g}.db'}"
        name = f"bilateral_bench_scale_{scale:g}".replace(".", "_")
        return make_url(self.server).set(database=name).render_as_string(hide_password=False)

    def floor_database(self, scale: float) -> str:
        """What the floor server is given: a SQLite path or an asyncpg DSN."""
        url = make_url(self.url(scale))
        if self.server is None:
            return str(url.database)
        return url.set(drivername="postgresql").render_as_string(hide_password=False)


async def _scalar(url: str, sql: str) -> Any:
    from db.session import make_engine

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return (await connection.exec_driver_sql(sql)).first()
    finally:
        await engine.dispose()


async def _exists(target: Target, scale: float) -> bool:
    """Whether the synthetic database for a scale has been made and filled."""
    if target.server is None:
        return Path(str(make_url(target.url(scale)).database)).exists()
    name = make_url(target.url(scale)).database
    found = await _scalar(target.server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if found is None:
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(target.server, isolation_level="AUTOCOMMIT")
        async with engine.connect() as connection:
            await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        await engine.dispose()
        return False
    return await _scalar(target.url(scale), "SELECT 1 FROM event LIMIT 1") is not None


def prepare_database(target: Target, scale: float) -> str:
    """The synthetic database for a scale, built once and kept (bench/data, or on the server)."""
    url = target.url(scale)
    if not asyncio.run(_exists(target, scale)):
        (HERE / "data").mkdir(exist_ok=True)
        subprocess.run(
            [str(BIN / "bilateral"), "seed", "--synthetic", "--scale", str(scale)],
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )
    return url


def parameters(url: str) -> dict[str, dict[str, Any]]:
    """The variables of each query: the country with the most posts, and the busiest pair."""
    (code,) = asyncio.run(
        _scalar(
            url,
            "SELECT c.code FROM mission m JOIN country c ON c.id = m.country_id"
            " GROUP BY c.code ORDER BY count(*) DESC, c.code LIMIT 1",
        )
    )
    a, b = asyncio.run(
        _scalar(
            url,
            "SELECT x.code, y.code FROM event_country ex JOIN event_country ey"
            " ON ey.event_id = ex.event_id AND ey.country_id > ex.country_id"
            " JOIN country x ON x.id = ex.country_id JOIN country y ON y.id = ey.country_id"
            " GROUP BY x.code, y.code ORDER BY count(*) DESC, x.code, y.code LIMIT 1",
        )
    )
    return {"q1": {"code": code}, "q2": {}, "q3": {"a": a, "b": b}, "q4": {"code": code}}


def _start(arguments: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        arguments, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
        except urllib.error.HTTPError:
            return process  # it answers
        except OSError:
            time.sleep(0.2)
            continue
        return process
    process.kill()
    raise RuntimeError(f"{arguments[0]} did not start")


def _post(url: str, body: bytes) -> bytes:
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        data: bytes = answer.read()
        return data


def _wrk(
    url: str,
    body: bytes,
    seconds: int,
    connections: int = 8,
    *,
    graphql_errors: bool = False,
) -> Measure:
    """Load one URL with wrk; `graphql_errors` also counts 200 answers that carry `errors`."""
    output = run_wrk(url, body, seconds, connections, graphql_errors=graphql_errors).stdout
    return parse_wrk(output)


# Counts answers that are not 200 or carry GraphQL errors, over all of wrk's threads.
COUNT_ERRORS = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) errors = 0 end
function response(status, headers, body)
  if status ~= 200 or string.find(body, '"errors"', 1, true) then errors = errors + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("errors") end
  io.write(string.format("graphql errors %d\\n", total))
end
"""


def run_wrk(
    url: str, body: bytes, seconds: int, connections: int = 8, *, graphql_errors: bool = False
) -> subprocess.CompletedProcess[str]:
    """wrk's run: POSTs of one JSON body, for so many seconds over so many connections."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = {json.dumps(body.decode())}\n" + (COUNT_ERRORS if graphql_errors else "")
        )
    try:
        return subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "60s",
                "--latency",
                "-s",
                script.name,
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)


def parse_wrk(output: str) -> Measure:
    """Throughput, latency and failures from wrk's report."""

    def latency(percentile: str) -> float:
        found = re.search(rf"^\s+{percentile}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        assert found, output
        value, unit = float(found.group(1)), found.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert rps, output
    failures = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    failures += int(non_2xx.group(1)) if non_2xx else 0
    graphql = re.search(r"graphql errors (\d+)", output)
    if graphql:  # these include the non-2xx answers counted above
        failures = max(failures, int(graphql.group(1)))
    return Measure(float(rps.group(1)), latency("50"), latency("99"), failures)


def statements_per_request(url: str, query: str, variables: dict[str, Any]) -> int:
    """SQL statements the API runs for one request, transaction statements aside (counted in process)."""
    import httpx
    from sqlalchemy import event

    from server.app import create_app
    from server.settings import Settings

    async def count() -> int:
        app = create_app(Settings(database_url=url, seed_world=False))
        seen: list[str] = []
        async with app.router.lifespan_context(app):
            plans = app.state.operations.plans
            before = plans.statements.executed if plans is not None else 0
            event.listen(
                app.state.engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(a[2])
            )
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://b"
            ) as client:
                await client.post("/graphql", json={"query": query, "variables": variables})
            compiled = plans.statements.executed - before if plans is not None else 0
        return len(seen) + compiled

    return asyncio.run(count())


def _peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def _api(url: str, port: int) -> subprocess.Popen[bytes]:
    """The API server, one worker; neither it nor the floor logs a line per request."""
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port)}
    return _start([str(BIN / "bilateral"), "serve", "--no-access-log"], env, port)


def _floor(database: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BENCH_DATABASE": database}
    arguments = ["bench.floor:app", "--port", str(port), "--log-level", "warning"]
    arguments += ["--loop", "uvloop", "--http", "httptools", "--no-access-log"]
    return _start([str(BIN / "uvicorn"), *arguments], env, port)


@dataclass
class Run:
    """One database's results."""

    target: Target
    variables: dict[str, dict[str, Any]]
    results: dict[str, list[tuple[Measure, Measure]]]
    counts: dict[str, int]
    peak: float
    flat: dict[str, tuple[Measure, Measure]]  # Q1 and Q4 at the small scale and at the large one
    flat_sizes: dict[str, tuple[str, str, int, int]]  # the codes asked, and their ambassadors


def run_target(target: Target, args: argparse.Namespace) -> Run:
    url = prepare_database(target, args.scale)
    variables = parameters(url)
    texts = {q: (HERE / "queries" / f"{q}.graphql").read_text() for q in QUERIES}
    api_port, floor_port = _free_port(), _free_port()
    api = _api(url, api_port)
    floor = _floor(target.floor_database(args.scale), floor_port)
    api_url = f"http://127.0.0.1:{api_port}/graphql"
    results: dict[str, list[tuple[Measure, Measure]]] = {q: [] for q in QUERIES}
    try:
        for q in QUERIES:  # the floor must give the API's answer, or the comparison means nothing
            body = json.dumps({"query": texts[q], "variables": variables[q]}).encode()
            answer = json.loads(_post(api_url, body))
            floored = json.loads(_post(f"http://127.0.0.1:{floor_port}/{q}", body))
            # The data must be the same; the API's extensions.cost has no counterpart there.
            assert answer["data"] == floored["data"], (
                f"{target.name} {q}: the floor and the API disagree"
            )
        for _ in range(args.rounds):
            for q in QUERIES:
                body = json.dumps({"query": texts[q], "variables": variables[q]}).encode()
                floor_url = f"http://127.0.0.1:{floor_port}/{q}"
                _wrk(api_url, body, 2)  # warm-up
                measured_api = _wrk(api_url, body, args.seconds)
                _wrk(floor_url, body, 2)
                measured_floor = _wrk(floor_url, body, args.seconds)
                results[q].append((measured_api, measured_floor))
        peak = _peak_rss_mib(api.pid)
    finally:
        api.terminate()
        floor.terminate()
        api.wait()
        floor.wait()
    counts = {q: statements_per_request(url, texts[q], variables[q]) for q in QUERIES}
    flat, flat_sizes = flatness(target, args, texts)
    return Run(target, variables, results, counts, peak, flat, flat_sizes)


# Ambassadors per country, counted over its embassies: the size of Q1's answer.
HEADS = (
    "SELECT c.code, count(h.id) FROM country c"
    " JOIN mission m ON m.country_id = c.id AND m.kind = 'EMBASSY'"
    " LEFT JOIN head_of_mission h ON h.mission_id = m.id GROUP BY c.code"
)


async def _heads(url: str) -> dict[str, int]:
    from db.session import make_engine

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            rows = (await connection.exec_driver_sql(HEADS)).all()
            return {str(row[0]): int(row[-1]) for row in rows}
    finally:
        await engine.dispose()


def flatness(
    target: Target,
    args: argparse.Namespace,
    texts: dict[str, str],
) -> tuple[dict[str, tuple[Measure, Measure]], dict[str, tuple[str, str, int, int]]]:
    """Q1 and Q4 on the small-scale and the full-scale database, for answers of one size.

    Q4 asks for the busiest country's name at both scales. Q1's answer grows with the
    country's posts, so at full scale it asks for the country whose ambassadors are
    nearest in number to those of the small scale's busiest: the same work on a
    database ten times the size.
    """
    small_url, large_url = (
        prepare_database(target, scale) for scale in (args.flat_scale, args.scale)
    )
    small_code = parameters(small_url)["q1"]["code"]
    small_heads, large_heads = asyncio.run(_heads(small_url)), asyncio.run(_heads(large_url))
    wanted = small_heads[small_code]
    large_code = min(large_heads, key=lambda code: (abs(large_heads[code] - wanted), code))
    codes = {"q1": (small_code, large_code), "q4": (small_code, small_code)}
    measured: dict[str, list[Measure]] = {"q1": [], "q4": []}
    for url, side in ((small_url, 0), (large_url, 1)):
        port = _free_port()
        api = _api(url, port)
        try:
            for q in ("q1", "q4"):
                body = json.dumps({"query": texts[q], "variables": {"code": codes[q][side]}})
                _wrk(f"http://127.0.0.1:{port}/graphql", body.encode(), 2)
                measured[q].append(
                    _wrk(f"http://127.0.0.1:{port}/graphql", body.encode(), args.seconds)
                )
        finally:
            api.terminate()
            api.wait()
    flat = {q: (found[0], found[1]) for q, found in measured.items()}
    sizes = {
        q: (small, large, small_heads.get(small, 0), large_heads.get(large, 0))
        for q, (small, large) in codes.items()
    }
    return flat, sizes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--flat-scale", type=float, default=0.1)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    targets = [Target("SQLite")]
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql"):
        targets.append(Target("PostgreSQL", server))
    runs = [run_target(target, args) for target in targets]
    write_results(args, runs)
    print((HERE / "RESULTS.md").read_text())
    return 0


def _table(run: Run, args: argparse.Namespace) -> str:
    rows = []
    for q in QUERIES:
        ratios = [api.rps / floor.rps for api, floor in run.results[q]]
        api, floor = max(run.results[q], key=lambda pair: pair[0].rps)
        rows.append(
            f"| {q.upper()} | {api.rps:,.0f} | {api.p50_ms:.2f} | {api.p99_ms:.2f} | "
            f"{floor.rps:,.0f} | {floor.p50_ms:.2f} | {min(ratios):.2f}–{max(ratios):.2f} | "
            f"{run.counts[q]} | {api.failures} |"
        )
    flat = []
    for q, (small, large) in run.flat.items():
        small_code, large_code, small_heads, large_heads = run.flat_sizes[q]
        flat.append(
            f"| {q.upper()} | `{small_code}` ({small_heads}) | {small.p50_ms:.2f} | "
            f"`{large_code}` ({large_heads}) | {large.p50_ms:.2f} | {large.p50_ms / small.p50_ms:.2f} |"
        )
    return f"""## {run.target.name}

Variables: Q1 and Q4 `{run.variables["q1"]["code"]}` (the country with the most posts);
Q3 `{run.variables["q3"]["a"]}`–`{run.variables["q3"]["b"]}` (the busiest pair).

| Query | API req/s | API p50 ms | API p99 ms | Floor req/s | Floor p50 ms | API / floor (rounds) | SQL statements per request | API failures |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Peak resident memory of the API server: {run.peak:.0f} MiB.

Latency from scale {args.flat_scale:g} to scale {args.scale:g} for the same work (API p50 under the same load;
in brackets, the country's ambassadors, which Q1 lists):

| Query | Country at {args.flat_scale:g} | p50 ms | Country at {args.scale:g} | p50 ms | Ratio |
|---|---|---|---|---|---|
{chr(10).join(flat)}
"""


def write_results(args: argparse.Namespace, runs: list[Run]) -> None:
    from db import sqlite_driver

    machine = (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite_driver.version} (pysqlite3-binary, API and floor alike), "
        f"{platform.system()} {platform.release()}"
    )
    command = (
        f"python -m bench.run --scale {args.scale:g} --flat-scale {args.flat_scale:g}"
        f" --rounds {args.rounds} --seconds {args.seconds}"
    )
    text = f"""# Benchmark results

Command: `make bench` (`{command}`), run on {time.strftime("%Y-%m-%d")}: the synthetic network
at scale {args.scale:g} (and {args.flat_scale:g} for the latency check) on
{" and ".join(run.target.name for run in runs)}.
Machine: {machine}.
Load: wrk, 2 threads, 8 connections, {args.seconds} s a run after a 2 s warm-up; the API
(1 worker, compiled execution) and the floor (one hand-written SQL statement a query, JSON
built by the database, bytes returned as they come) alternate, query by query.
"SQL statements per request" counts what the API sends to the database for one request,
transaction statements aside.

{chr(10).join(_table(run, args) for run in runs)}"""
    (HERE / "RESULTS.md").write_text(text)


if __name__ == "__main__":
    sys.exit(main())
