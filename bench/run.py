"""`make bench`: the API against the floor under wrk, on a synthetic database; writes bench/RESULTS.md.

    python -m bench.run [--scale 1] [--rounds 2] [--seconds 10]

Both servers run at once, each in one process; for every query, rounds alternate
between them (warm-up, then the measured run), at concurrency 8 from 2 wrk threads.
Reported per query: requests per second, median and 99th-percentile latency, the
ratio to the floor in the same round, SQL statements per request, and the peak
resident memory of the API server.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def prepare_database(scale: float) -> Path:
    """The synthetic database for a scale, built once and kept under bench/data."""
    path = HERE / "data" / f"scale-{scale:g}.db"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{path}"}
        subprocess.run(
            [str(BIN / "bilateral"), "seed", "--synthetic", "--scale", str(scale)],
            env=env,
            check=True,
        )
    return path


def parameters(path: Path) -> dict[str, dict[str, Any]]:
    """The variables of each query: the country with the most posts, and the busiest pair."""
    with sqlite3.connect(path) as connection:
        (code,) = connection.execute(
            "SELECT c.code FROM mission m JOIN country c ON c.id = m.country_id"
            " GROUP BY c.code ORDER BY count(*) DESC, c.code LIMIT 1"
        ).fetchone()
        a, b = connection.execute(
            "SELECT x.code, y.code FROM event_country ex JOIN event_country ey"
            " ON ey.event_id = ex.event_id AND ey.country_id > ex.country_id"
            " JOIN country x ON x.id = ex.country_id JOIN country y ON y.id = ey.country_id"
            " GROUP BY x.code, y.code ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return {"q1": {"code": code}, "q2": {}, "q3": {"a": a, "b": b}, "q4": {"code": code}}


def _start(arguments: list[str], env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        arguments, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
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


def _wrk(url: str, body: bytes, seconds: int) -> Measure:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
            f"wrk.body = {json.dumps(body.decode())}\n"
        )
    try:
        output = subprocess.run(
            [
                "wrk",
                "-t2",
                "-c8",
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
        ).stdout
    finally:
        os.unlink(script.name)

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
    return Measure(float(rps.group(1)), latency("50"), latency("99"), failures)


def statements_per_request(database: Path, query: str, variables: dict[str, Any]) -> int:
    """SQL statements the API runs for one request (counted in process on the same database)."""
    import httpx
    from sqlalchemy import event

    from server.app import create_app
    from server.settings import Settings

    async def count() -> int:
        app = create_app(Settings(database_url=f"sqlite+aiosqlite:///{database}"))
        seen: list[str] = []
        async with app.router.lifespan_context(app):
            event.listen(
                app.state.engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(a[2])
            )
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://b"
            ) as client:
                await client.post("/graphql", json={"query": query, "variables": variables})
        return len(seen)

    return asyncio.run(count())


def _peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()

    database = prepare_database(args.scale)
    variables = parameters(database)
    texts = {q: (HERE / "queries" / f"{q}.graphql").read_text() for q in QUERIES}
    api_port, floor_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "PORT": str(api_port),
        "BENCH_DATABASE": str(database),
    }
    # Neither server logs a line per request (uvicorn's access log), so both do the same work.
    api = _start([str(BIN / "bilateral"), "serve", "--no-access-log"], env, api_port)
    floor = _start(
        [
            str(BIN / "uvicorn"),
            "bench.floor:app",
            "--port",
            str(floor_port),
            "--log-level",
            "warning",
        ],
        env,
        floor_port,
    )
    results: dict[str, list[tuple[Measure, Measure]]] = {q: [] for q in QUERIES}
    try:
        for q in QUERIES:  # the floor must give the API's answer, or the comparison means nothing
            body = json.dumps({"query": texts[q], "variables": variables[q]}).encode()
            answer = json.loads(_post(f"http://127.0.0.1:{api_port}/graphql", body))
            floored = json.loads(_post(f"http://127.0.0.1:{floor_port}/{q}", body))
            assert answer == floored, f"{q}: the floor and the API disagree"
        for _ in range(args.rounds):
            for q in QUERIES:
                body = json.dumps({"query": texts[q], "variables": variables[q]}).encode()
                api_url, floor_url = (
                    f"http://127.0.0.1:{api_port}/graphql",
                    f"http://127.0.0.1:{floor_port}/{q}",
                )
                _wrk(api_url, body, 2)  # warm-up
                measured_api = _wrk(api_url, body, args.seconds)
                _wrk(floor_url, body, 2)
                measured_floor = _wrk(floor_url, body, args.seconds)
                results[q].append((measured_api, measured_floor))
        peak = _peak_rss_mib(api.pid)
    finally:
        api.terminate()
        floor.terminate()
    counts = {q: statements_per_request(database, texts[q], variables[q]) for q in QUERIES}
    write_results(args, variables, results, counts, peak)
    print((HERE / "RESULTS.md").read_text())
    return 0


def write_results(
    args: argparse.Namespace,
    variables: dict[str, Any],
    results: dict[str, list[tuple[Measure, Measure]]],
    counts: dict[str, int],
    peak: float,
) -> None:
    rows = []
    for q in QUERIES:
        best_api = max(results[q], key=lambda pair: pair[0].rps)
        ratios = [api.rps / floor.rps for api, floor in results[q]]
        api, floor = best_api
        rows.append(
            f"| {q.upper()} | {api.rps:,.0f} | {api.p50_ms:.2f} | {api.p99_ms:.2f} | {floor.rps:,.0f} | "
            f"{floor.p50_ms:.2f} | {min(ratios):.2f}–{max(ratios):.2f} | {counts[q]} | {api.failures} |"
        )
    machine = (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{platform.system()} {platform.release()}"
    )
    text = f"""# Benchmark results

Command: `make bench` (`python -m bench.run --scale {args.scale:g} --rounds {args.rounds} --seconds {args.seconds}`),
run on {time.strftime("%Y-%m-%d")}; database: SQLite, synthetic network at scale {args.scale:g}.
Machine: {machine}. Load: wrk, 2 threads, 8 connections, {args.seconds} s a run after a 2 s warm-up;
the API (1 worker) and the floor (one SQL statement a query, JSON built by SQLite) alternate.

Variables: Q1 and Q4 `{variables["q1"]["code"]}` (the country with the most posts); Q3 `{variables["q3"]["a"]}`–`{variables["q3"]["b"]}` (the busiest pair).

| Query | API req/s | API p50 ms | API p99 ms | Floor req/s | Floor p50 ms | API / floor (rounds) | SQL statements per request | API failures |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

Peak resident memory of the API server: {peak:.0f} MiB.

The API runs the resolver path (DataLoaders, one statement per batch); the compiled
single-statement path of issue 6 is not built yet, so these are its baseline.
"""
    (HERE / "RESULTS.md").write_text(text)


if __name__ == "__main__":
    sys.exit(main())
