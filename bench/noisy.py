"""The noisy neighbour: does one client's flood slow another's small queries?

On PostgreSQL, with the world loaded and `bilateral serve --workers 2`: client B (no
token, so its address's budget) sends a small query at a steady rate, first alone, then
while client A (a reader's token) floods with the most expensive query the limits allow
at concurrency 32. Reported: B's p50 and p99 in both phases, B's refusals, A's answers
and the share of them refused with 429. Then the bookkeeping's cost on Q4 (the
per-request overhead query): the executor answering Q4 in process with the budgets and
metrics on and off, in alternating rounds, as microseconds a request.

    make bench-noisy            # writes bench/NOISY.md
    .venv/bin/python -m bench.noisy --seconds 20 --rate 20

Goals (issue 28): B's p99 under the flood at most 3x its p99 alone; B never refused;
Q4's ratio to its floor within 5 % of what it was before the budgets.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import multiprocessing
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
SERVER = "postgresql+asyncpg://postgres@127.0.0.1:5432"
DATABASE = "bilateral_noisy"

SMALL = '{ country(code: "MY") { name } }'
# The heaviest request the limits allow that the flood sends: every post of a hundred
# countries with what each is accredited to (about 18,000 objects, 800 kB).
HEAVY = """{ countries(first: 100) { nodes { code missions { id name city
  accreditations { from to target { __typename } } } } } }"""
Q4 = "query Q4($code: String!) { country(code: $code) { name } }"


def _run(*arguments: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        arguments, cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=600
    )
    return done.stdout


def prepare(url: str) -> str:
    """A fresh database with the world loaded, and a reader's token for the flood."""
    admin = f"{SERVER}/postgres".replace("+asyncpg", "")
    _run("psql", admin, "-qc", f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _run("psql", admin, "-qc", f"CREATE DATABASE {DATABASE}")
    env = {**os.environ, "DATABASE_URL": url}
    _run(str(BIN / "bilateral"), "seed", "--world", env=env)
    printed = _run(
        str(BIN / "bilateral"), "token", "create", "--name", "flood", "--role", "reader", env=env
    )
    found = re.search(r"blt_\S+", printed)
    assert found, printed
    return found.group(0)


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "PORT": str(port)}
    arguments = [str(BIN / "bilateral"), "serve", "--workers", str(workers), "--no-access-log"]
    process = subprocess.Popen(arguments, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("the server did not start")


@dataclasses.dataclass
class Steady:
    latencies: list[float]
    refused: int
    failed: int


async def steady(base: str, seconds: float, rate: float) -> Steady:
    """B: the small query at a steady rate (a new request every 1/rate s, whatever the answers)."""
    latencies: list[float] = []
    refused = failed = 0
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:

        async def one() -> None:
            nonlocal refused, failed
            started = time.perf_counter()
            try:
                response = await client.post("/graphql", json={"query": SMALL})
            except httpx.HTTPError:
                failed += 1
                return
            latencies.append(time.perf_counter() - started)
            if response.status_code == 429:
                refused += 1
            elif response.status_code != 200 or "errors" in response.json():
                failed += 1

        tasks = []
        start = time.perf_counter()
        for number in range(int(seconds * rate)):
            delay = start + number / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one()))
        await asyncio.gather(*tasks)
    return Steady(latencies, refused, failed)


def flood(base: str, token: str, seconds: float, concurrency: int, out: Any) -> None:
    """A, in a process of its own: the heavy query from `concurrency` loops at once."""

    async def run() -> dict[str, int]:
        counts = {"answered": 0, "limited": 0, "other": 0}
        headers = {"Authorization": f"Bearer {token}"}
        deadline = time.monotonic() + seconds
        limits = httpx.Limits(max_connections=concurrency)
        async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

            async def loop() -> None:
                while time.monotonic() < deadline:
                    try:
                        response = await client.post(
                            "/graphql", json={"query": HEAVY}, headers=headers
                        )
                    except httpx.HTTPError:
                        counts["other"] += 1
                        continue
                    key = {200: "answered", 429: "limited"}.get(response.status_code, "other")
                    counts[key] += 1

            await asyncio.gather(*(loop() for _ in range(concurrency)))
        return counts

    out.put(asyncio.run(run()))


def scrape(base: str) -> dict[str, float]:
    """Totals from /metrics, added up over both workers (prometheus-client's multiprocess mode)."""
    from prometheus_client.parser import text_string_to_metric_families

    totals: dict[str, float] = {}
    text = httpx.get(f"{base}/metrics", timeout=30).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name.endswith("_total"):
                key = sample.name + "".join(
                    f" {k}={v}" for k, v in sorted(sample.labels.items()) if k != "operation"
                )
                totals[key] = totals.get(key, 0.0) + sample.value
    return totals


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(share * len(ordered)), len(ordered) - 1)] * 1000


async def bookkeeping(url: str, rounds: int, requests: int) -> dict[str, float]:
    """CPU microseconds the app spends answering a POST of Q4, sent straight to it as an
    ASGI call (no network, no client), with the budgets and metrics on and off."""
    from schema.budget import RateLimits
    from server.app import create_app
    from server.settings import Settings

    body = json.dumps({"query": Q4, "variables": {"code": "MY"}}).encode()
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/graphql",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))],
        "client": ("10.0.0.1", 40000),
        "query_string": b"",
        "http_version": "1.1",
        "scheme": "http",
        "server": ("127.0.0.1", 80),
        "root_path": "",
    }
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    timings: dict[str, list[float]] = {"on": [], "off": []}
    for round_ in range(rounds):
        for state in ("on", "off") if round_ % 2 == 0 else ("off", "on"):
            settings = Settings(
                database_url=url,
                seed_world=False,
                rate=RateLimits(enabled=state == "on", points=10**9),
                metrics=state == "on",
                request_log=False,  # as `bilateral serve --no-access-log` runs in the benchmarks
            )
            app = create_app(settings)
            async with app.router.lifespan_context(app):
                for _ in range(200):  # warm: the plan made, connections open
                    await app(dict(scope), receive, send)
                started = time.process_time()  # the app's CPU, not the database's
                for _ in range(requests):
                    await app(dict(scope), receive, send)
                elapsed = time.process_time() - started
            timings[state].append(elapsed / requests * 1e6)
    assert set(statuses) == {200}, set(statuses)
    return {state: statistics.median(values) for state, values in timings.items()}


def _q4_paragraph(q4: dict[str, float], rounds: int) -> str:
    return (
        f"The bookkeeping on Q4 (`{Q4}`), a POST answered by the app in process, no request"
        f" log: the app's CPU (this process's, the database's aside; median of {rounds} rounds"
        f" of 2,000, on and off in turn): {q4['on']:.0f} µs a request"
        f" with budgets and metrics on, {q4['off']:.0f} µs with both off"
        f" ({q4['on'] / q4['off'] - 1:+.1%}).\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--rate", type=float, default=20, help="B's requests a second")
    parser.add_argument("--concurrency", type=int, default=32, help="A's requests at once")
    parser.add_argument("--port", type=int, default=8931)
    parser.add_argument("--output", type=Path, default=HERE / "NOISY.md")
    parser.add_argument(
        "--q4-only",
        action="store_true",
        help="measure the bookkeeping on Q4 again, on the database a full run left, and"
        " replace that paragraph of the output",
    )
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    url = f"{SERVER}/{DATABASE}"
    if args.q4_only:
        q4 = asyncio.run(bookkeeping(url, rounds=args.rounds, requests=2000))
        text = args.output.read_text(encoding="utf-8")
        kept = text[: text.index("The bookkeeping on Q4")]
        args.output.write_text(kept + _q4_paragraph(q4, args.rounds), encoding="utf-8")
        print(_q4_paragraph(q4, args.rounds))
        return 0
    token = prepare(url)
    base = f"http://127.0.0.1:{args.port}"
    server = serve(url, args.port, workers=2)
    try:
        asyncio.run(steady(base, 3, args.rate))  # warm up
        alone = asyncio.run(steady(base, args.seconds, args.rate))
        queue: multiprocessing.Queue[dict[str, int]] = multiprocessing.Queue()
        flooding = multiprocessing.Process(
            target=flood, args=(base, token, args.seconds + 2, args.concurrency, queue)
        )
        flooding.start()
        time.sleep(1)  # the flood under way
        under = asyncio.run(steady(base, args.seconds, args.rate))
        counts = queue.get(timeout=args.seconds + 120)
        flooding.join()
        time.sleep(1.5)  # every worker's figures flushed
        scraped = scrape(base)
    finally:
        server.terminate()
        server.wait(30)
    q4 = asyncio.run(bookkeeping(url, rounds=args.rounds, requests=2000))
    sent = sum(counts.values())
    rows = {
        "alone": alone,
        "under": under,
    }
    p99 = {name: _percentile(run.latencies, 0.99) for name, run in rows.items()}
    lines = [
        "# The noisy neighbour",
        "",
        f"`make bench-noisy` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}): PostgreSQL,"
        f" the world loaded, `bilateral serve --workers 2`, default budgets. B sends"
        f" `{SMALL}` at {args.rate:g} a second for {args.seconds:g} s, alone and then while A"
        f" (a reader's token) floods with every post of 100 countries and their accreditations"
        f" (estimated 16,500 nodes, about 18,000 objects returned) at concurrency {args.concurrency}."
        " The load generators run on the same machine as the server and the database.",
        "",
        "| B | requests | p50 ms | p99 ms | refused | failed |",
        "|---|---|---|---|---|---|",
    ]
    for name, run in rows.items():
        lines.append(
            f"| {name} | {len(run.latencies)} | {_percentile(run.latencies, 0.5):.1f}"
            f" | {p99[name]:.1f} | {run.refused} | {run.failed} |"
        )
    lines += [
        "",
        f"B's p99 under the flood / alone: {p99['under'] / p99['alone']:.2f} (goal: at most 3).",
        f"A: {sent} answers, {counts['answered']} with data, {counts['limited']} refused with 429"
        f" ({counts['limited'] / max(sent, 1):.0%}), {counts['other']} other.",
        "",
        "What /metrics said at the end, added up over both workers: "
        + ", ".join(f"`{name}` {value:,.0f}" for name, value in sorted(scraped.items()))
        + ".",
        "",
        _q4_paragraph(q4, args.rounds),
    ]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
