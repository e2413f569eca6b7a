"""`make bench-world`: the world's posts, timed: first start, imports, and QW, QH and QE against their floor.

    python -m bench.world [--rounds 2] [--seconds 10] [--code BE] [--partner US]

On SQLite, and on PostgreSQL as well when DATABASE_URL names a PostgreSQL server (the
benchmark makes its own databases there, bilateral_bench_world*, or with the prefix
BENCH_DATABASE_PREFIX in place of bilateral_bench_). Measured:
- first start: `bilateral serve` on a new database, until it answers (schema, the article
  and the whole Wikidata release, in one transaction);
- `bilateral import` of the shipped release into a database that holds the article, and
  the same import again (which changes nothing), each as the command's wall time; then each
  of the Office of the Historian's shipped archives, in the order first start loads them;
- QW (bench/queries/qw.graphql: every post in a country with its sender, accreditations
  and coordinates) under wrk against the floor's hand-written statement (bench/floor.py),
  after checking that both give the same answer; and QH (bench/queries/qh.graphql: the
  same posts with all their heads and people: the US's chiefs of mission) and QE
  (bench/queries/qe.graphql: the relation of the country and its partner with its first 100
  events and their participants) the same way.
Writes bench/WORLD.md, and QW's plans (the API's and the floor's) to bench/plans/.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import make_url

from bench import explain
from bench.run import BIN, HERE, MAX_NODES, Measure, _api, _floor, _free_port, _post, _wrk
from seed.history.archive import shipped
from seed.load import WORLD

# The reference queries on the real data: QW, the world's posts in a country; QH, the same
# posts with all their heads and people (the US's chiefs of mission); QE, the country's
# relation with a partner and its first 100 events with their participants.
QUERIES = ["qw", "qh", "qe"]
# The Office of the Historian's archives loaded on first start, in the order they load.
HISTORY = ["gsh", "pocom", "travels", "visits", "rdcr"]


@dataclass
class Timings:
    """One database's results."""

    name: str
    first_start: float
    import_seconds: float
    reimport_seconds: float
    history_seconds: dict[str, tuple[float, float]]  # an archive's import, and again, by dataset
    rounds: dict[str, list[tuple[Measure, Measure]]]  # by reference query
    items: dict[str, int]  # posts (QW, QH) or events (QE) in the answer, by reference query


def _command(url: str, *argv: str) -> float:
    """Run a `bilateral` command on a database; its wall time in seconds."""
    began = time.monotonic()
    subprocess.run(
        [str(BIN / "bilateral"), *argv],
        env={**os.environ, "DATABASE_URL": url},
        cwd=tempfile.gettempdir(),  # where import writes its report of skipped rows
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.monotonic() - began


async def _recreate(server: str, name: str) -> str:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(server, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        await connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    await engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def _new_database(server: str | None, name: str) -> str:
    """A new, empty database: a file under bench/data, or one on the PostgreSQL server."""
    if server is None:
        path = HERE / "data" / f"{name}.db"
        path.parent.mkdir(exist_ok=True)
        for leftover in path.parent.glob(f"{name}.db*"):
            leftover.unlink()
        return f"sqlite+aiosqlite:///{path}"
    return asyncio.run(_recreate(server, name))


def _first_start(url: str) -> float:
    """Seconds from launching the server on an empty database to its first answer."""
    port = _free_port()
    began = time.monotonic()
    server = _api(url, port)
    elapsed = time.monotonic() - began
    server.terminate()
    server.wait()
    return elapsed


def _variables(query: str, args: argparse.Namespace) -> dict[str, str]:
    """A reference query's variables: QE names the pair, the others the country."""
    return {"a": args.code, "b": args.partner} if query == "qe" else {"code": args.code}


def _items(query: str, data: dict[str, Any]) -> int:
    """How many posts (QW, QH) or events (QE) an answer lists."""
    if query == "qe":
        return len(data["relation"]["events"]["nodes"])
    return len(data["country"]["hostedMissions"])


def run_database(server: str | None, args: argparse.Namespace) -> Timings:
    name = "PostgreSQL" if server else "SQLite"
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "bilateral_bench_")
    world = _new_database(server, f"{prefix}world")
    first_start = _first_start(world)
    importing = _new_database(server, f"{prefix}world_import")
    _command(importing, "seed")
    import_seconds = _command(importing, "import", str(WORLD))
    reimport_seconds = _command(importing, "import", str(WORLD))
    history_seconds = {
        dataset: (
            _command(importing, "import", str(shipped(dataset))),
            _command(importing, "import", str(shipped(dataset))),
        )
        for dataset in HISTORY
    }
    api_port, floor_port = _free_port(), _free_port()
    url = make_url(world)  # the floor takes a SQLite path or an asyncpg DSN
    floor_database = (
        url.set(drivername="postgresql").render_as_string(hide_password=False)
        if server
        else str(url.database)
    )
    api = _api(world, api_port)
    floor = _floor(floor_database, floor_port)
    api_url = f"http://127.0.0.1:{api_port}/graphql"
    texts = {q: (HERE / "queries" / f"{q}.graphql").read_text() for q in QUERIES}
    rounds: dict[str, list[tuple[Measure, Measure]]] = {q: [] for q in QUERIES}
    items: dict[str, int] = {}
    try:
        for q, query in texts.items():
            body = json.dumps({"query": query, "variables": _variables(q, args)}).encode()
            floor_url = f"http://127.0.0.1:{floor_port}/{q}"
            answer = json.loads(_post(api_url, body))
            # The data must be the same; the API's extensions.cost has no counterpart there.
            assert answer["data"] == json.loads(_post(floor_url, body))["data"], (
                f"{name}: the floor and the API disagree on {q.upper()}"
            )
            items[q] = _items(q, answer["data"])
            for _ in range(args.rounds):
                _wrk(api_url, body, 2)  # warm-up
                measured_api = _wrk(api_url, body, args.seconds)
                _wrk(floor_url, body, 2)
                rounds[q].append((measured_api, _wrk(floor_url, body, args.seconds)))
    finally:
        for process in (api, floor):
            process.terminate()
            process.wait()
    # The plans, the API's and the floor's, beside the other reference queries' in bench/plans/.
    explain.write(name.lower(), world, {q: (texts[q], _variables(q, args)) for q in QUERIES})
    return Timings(
        name, first_start, import_seconds, reimport_seconds, history_seconds, rounds, items
    )


def _load() -> str:
    """The machine's load averages over 1, 5 and 15 minutes: timings on a shared machine
    mean little without them."""
    return " / ".join(f"{each:.2f}" for each in os.getloadavg())


def _commit() -> str:
    """The commit measured, marked when the worktree changes it (outside the benchmark's own
    output, which an earlier run may have left)."""

    def git(*argv: str) -> str:
        return subprocess.run(
            ["git", *argv], cwd=HERE, capture_output=True, text=True, check=False
        ).stdout.strip()

    outputs = [":(top,exclude)bench/WORLD.md", ":(top,exclude)bench/plans"]
    changed = git("status", "--porcelain", "--untracked-files=no", "--", ":(top)", *outputs)
    return git("rev-parse", "--short", "HEAD") + (" with changes" if changed else "")


def _report(
    results: list[Timings], args: argparse.Namespace, began: str, load: tuple[str, str]
) -> str:
    """WORLD.md; `began` says when the run began and on which commit."""
    lines = [
        "# The world's posts: benchmark",
        "",
        f"`make bench-world` ({platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}); {args.rounds} round{'s' * (args.rounds != 1)} of "
        f"{args.seconds} s per cell, "
        "wrk -t2 -c8. Targets: first start ≤ 20 s, import ≤ 10 s on SQLite.",
        "",
        f"Run at {began}; load average (1 / 5 / 15 min) "
        f"{load[0]} at the start, {load[1]} at the end.",
        "",
        "| database | first start | import | import again | "
        + " | ".join(f"import {d} | {d} again" for d in HISTORY)
        + " |",
        "|---|---|---|---|" + "---|---|" * len(HISTORY),
    ]
    for t in results:
        history = " | ".join(
            f"{first:.1f} s | {again:.1f} s" for first, again in t.history_seconds.values()
        )
        lines.append(
            f"| {t.name} | {t.first_start:.1f} s | {t.import_seconds:.1f} s | "
            f"{t.reimport_seconds:.1f} s | {history} |"
        )
    lines += [
        "",
        "First start: `bilateral serve` on an empty database until it answers. Import: "
        "`bilateral import` of the shipped release into a database holding the article, as "
        "the command's wall time (Python's start included); again: the same file a second time. "
        "Then the Office of the Historian's shipped archives, each twice: gsh's US posts, "
        "pocom's chiefs of mission, and the events of travels, visits and rdcr.",
        "",
        f"QW (`bench/queries/qw.graphql`, code {args.code}): every post in the country with its "
        "sender, accreditations and coordinates; QH (`bench/queries/qh.graphql`): the same posts "
        "with all their heads and each head's person (the US's chiefs of mission since 1832); "
        f"QE (`bench/queries/qe.graphql`, {args.code} and {args.partner}): the relation, its "
        "first 100 events by date and each event's participants. Each against the floor's one "
        "hand-written statement. Items: the posts listed (QW, QH) or the events (QE).",
        "",
        "| database | query | items | round | API req/s | floor req/s | API ÷ floor "
        "| API p50 / p99 ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for t in results:
        for q, measured in t.rounds.items():
            for number, (api, floor) in enumerate(measured, 1):
                lines.append(
                    f"| {t.name} | {q.upper()} | {t.items[q]} | {number} | {api.rps:.0f} | "
                    f"{floor.rps:.0f} | {api.rps / floor.rps:.2f} | "
                    f"{api.p50_ms:.1f} / {api.p99_ms:.1f} |"
                )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--code", default="BE", help="the country QW, QH and QE ask about")
    parser.add_argument("--partner", default="US", help="the other country of QE's relation")
    args = parser.parse_args()
    # QH lists every head of every post in the country: more than the default node limit.
    os.environ.setdefault("BILATERAL_MAX_NODES", MAX_NODES)
    server = os.environ.get("DATABASE_URL", "")
    servers: list[str | None] = [None]
    if server.startswith("postgresql"):
        servers.append(server)
    began = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on commit {_commit()}"
    load = _load()
    results = [run_database(each, args) for each in servers]
    report = _report(results, args, began, (load, _load()))
    (HERE / "WORLD.md").write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
