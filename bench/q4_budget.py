"""The budgets' bookkeeping on Q4 (the per-request overhead query): Q4's ratio to its floor
with rate limiting on and off; writes the "Q4 with budgets on and off" section of
bench/RESULTS.md.

    python -m bench.q4_budget [--scale 1] [--rounds 6] [--seconds 5]

On SQLite (and PostgreSQL too when DATABASE_URL names a PostgreSQL server), on `make
bench`'s synthetic database: the floor and two API servers (one worker each) run at once,
one with `BILATERAL_RATE_LIMIT=1`, one with `BILATERAL_RATE_LIMIT=0`. Each round loads
the three in turn (their order rotating from round to round) with wrk as `make bench`
does (2 s warm-up, then the measured run, 8 connections), and takes each API's requests
per second over the floor's in that round. The budget is set high enough
(`BILATERAL_RATE_POINTS`, `BILATERAL_RATE_IN_FLIGHT`) that wrk's one address is never
refused: what is measured is the bookkeeping, not refusals.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime

from bench.run import (
    HERE,
    Measure,
    Target,
    _api,
    _floor,
    _free_port,
    _post,
    _wrk,
    parameters,
    prepare_database,
)

SECTION = "## Q4 with budgets on and off"
# Far more than wrk can spend in a window, so that the budget counts and never refuses.
POINTS = "1000000000"
IN_FLIGHT = "64"


@dataclass
class Rounds:
    """One database's rounds: each server's measure, by name, per round."""

    target: Target
    code: str
    rounds: list[dict[str, Measure]]

    def ratios(self, name: str) -> list[float]:
        return [measured[name].rps / measured["floor"].rps for measured in self.rounds]


def _api_with(url: str, port: int, limited: bool) -> subprocess.Popen[bytes]:
    saved = {key: os.environ.get(key) for key in ("BILATERAL_RATE_LIMIT", "BILATERAL_RATE_POINTS")}
    os.environ["BILATERAL_RATE_LIMIT"] = "1" if limited else "0"
    os.environ["BILATERAL_RATE_POINTS"] = POINTS
    os.environ["BILATERAL_RATE_IN_FLIGHT"] = IN_FLIGHT
    try:
        return _api(url, port)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def run_target(target: Target, args: argparse.Namespace) -> Rounds:
    url = prepare_database(target, args.scale)
    variables = parameters(url)["q4"]
    text = (HERE / "queries" / "q4.graphql").read_text()
    body = json.dumps({"query": text, "variables": variables}).encode()
    ports = {"on": _free_port(), "off": _free_port(), "floor": _free_port()}
    processes = {
        "on": _api_with(url, ports["on"], True),
        "off": _api_with(url, ports["off"], False),
        "floor": _floor(target.floor_database(args.scale), ports["floor"]),
    }
    urls = {
        "on": f"http://127.0.0.1:{ports['on']}/graphql",
        "off": f"http://127.0.0.1:{ports['off']}/graphql",
        "floor": f"http://127.0.0.1:{ports['floor']}/q4",
    }
    rounds: list[dict[str, Measure]] = []
    try:
        answers = {name: json.loads(_post(url, body)) for name, url in urls.items()}
        assert answers["on"]["data"] == answers["off"]["data"] == answers["floor"]["data"]
        assert "rate" in json.dumps(answers["on"]["extensions"]).lower(), answers["on"]
        order = ["on", "off", "floor"]
        for number in range(args.rounds):
            turn = order[number % 3 :] + order[: number % 3]
            measured = {}
            for name in turn:
                _wrk(urls[name], body, 2)
                measured[name] = _wrk(urls[name], body, args.seconds)
                assert measured[name].failures == 0, (name, measured[name])
            rounds.append(measured)
            print(
                f"{target.name} round {number + 1}: "
                + ", ".join(f"{name} {measured[name].rps:,.0f} req/s" for name in order),
                flush=True,
            )
    finally:
        for process in processes.values():
            process.terminate()
        for process in processes.values():
            process.wait()
    return Rounds(target, str(variables["code"]), rounds)


def _span(values: list[float]) -> str:
    return f"{min(values):.3f}–{max(values):.3f}"


def section(args: argparse.Namespace, runs: list[Rounds], load: str) -> str:
    lines = [
        SECTION,
        "",
        f"`python -m bench.q4_budget --rounds {args.rounds} --seconds {args.seconds}` "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC), scale {args.scale:g}; machine: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load average before "
        f"the run {load}. Q4 (`country(code:) {{ name }}`) against its floor, with the API's "
        "rate limiting on (`BILATERAL_RATE_LIMIT=1`, a budget too large to refuse wrk) and "
        "off (`BILATERAL_RATE_LIMIT=0`); metrics at their default in both. Each round "
        f"loads the three servers in turn with wrk (8 connections, {args.seconds} s after "
        "a 2 s warm-up); a ratio is an API's requests per second over the floor's in the "
        "same round. Goal: the ratio with budgets on within 5 % of the ratio with them off.",
        "",
        "| Database | Q4 code | Round | On req/s | Off req/s | Floor req/s | On / floor | "
        "Off / floor | On / off |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        for number, measured in enumerate(run.rounds, 1):
            on, off, floor = (measured[name].rps for name in ("on", "off", "floor"))
            lines.append(
                f"| {run.target.name} | `{run.code}` | {number} | {on:,.0f} | {off:,.0f} | "
                f"{floor:,.0f} | {on / floor:.3f} | {off / floor:.3f} | {on / off:.3f} |"
            )
    lines += [
        "",
        "| Database | On / floor, median (spread) | Off / floor, median (spread) | "
        "Median on / off | Within 5 % |",
        "|---|---|---|---|---|",
    ]
    for run in runs:
        with_on, with_off = run.ratios("on"), run.ratios("off")
        pairs = [a / b for a, b in zip(with_on, with_off, strict=True)]
        change = statistics.median(pairs)
        lines.append(
            f"| {run.target.name} | {statistics.median(with_on):.3f} ({_span(with_on)}) | "
            f"{statistics.median(with_off):.3f} ({_span(with_off)}) | {change:.3f} | "
            f"{'yes' if change >= 0.95 else '**no**'} |"
        )
    return "\n".join(lines) + "\n"


def write(text: str) -> None:
    """Replace (or add, before the sweeps) the section in bench/RESULTS.md."""
    path = HERE / "RESULTS.md"
    results = path.read_text(encoding="utf-8")
    if SECTION in results:
        start = results.index(SECTION)
        following = results.find("\n## ", start + len(SECTION))
        end = len(results) if following < 0 else following + 1
        results = results[:start] + text + ("\n" if following >= 0 else "") + results[end:]
    elif "## Sweeps" in results:
        at = results.index("## Sweeps")
        results = results[:at] + text + "\n" + results[at:]
    else:
        results = results.rstrip("\n") + "\n\n" + text
    path.write_text(results, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument(
        "--database-prefix", default=os.environ.get("BENCH_DATABASE_PREFIX", "bilateral_bench_")
    )
    args = parser.parse_args()
    load = " ".join(f"{value:.1f}" for value in os.getloadavg())
    targets = [Target("SQLite")]
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql"):
        targets.append(Target("PostgreSQL", server, args.database_prefix))
    text = section(args, [run_target(target, args) for target in targets], load)
    write(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
