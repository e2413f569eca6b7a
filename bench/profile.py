"""`make profile`: the API server under py-spy while wrk sends it one reference query (Q4 unless Q=…).

    python -m bench.profile [--query q4] [--scale 1] [--seconds 10]

Q4 asks for one field of one country: nearly all its cost is what any request costs
(HTTP, parsing, the plan's lookup, one round trip), which is what the profile shows.

Writes to bench/profiles/ (git-ignored): `<query>-<database>.svg`, the flame graph, and
`<query>-<database>.txt`, the functions that took the most samples (by their own time
and with what they call), from a second recording under the same load. On SQLite, or on
PostgreSQL when DATABASE_URL names a PostgreSQL server.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from bench.run import (
    BIN,
    HERE,
    MAX_NODES,
    Target,
    _api,
    _free_port,
    _wrk,
    parameters,
    prepare_database,
)

PROFILES = HERE / "profiles"


def _record(pid: int, seconds: int, output: Path, form: str) -> None:
    subprocess.run(
        [
            str(BIN / "py-spy"),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(seconds),
            "--rate",
            "250",
            "--format",
            form,
            "--output",
            str(output),
            "--nonblocking",
        ],
        check=True,
        capture_output=True,
    )


def _under_load(url: str, body: bytes, seconds: int, work: threading.Thread) -> None:
    """Run `work` while wrk keeps the server busy for a little longer than it."""
    load = threading.Thread(target=_wrk, args=(url, body, seconds + 2))
    load.start()
    work.start()
    work.join()
    load.join()


def summary(raw: Path, top: int = 25) -> str:
    """The functions with the most samples in py-spy's collapsed stacks, own and inclusive."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        samples = int(count)
        total += samples
        frames = stack.split(";")
        own[frames[-1]] += samples
        for frame in set(frames):
            inclusive[frame] += samples
    lines = [f"{total} samples", "", "Own time:"]
    lines += [f"{n / total:6.1%}  {frame}" for frame, n in own.most_common(top)]
    lines += ["", "Including callees:"]
    lines += [f"{n / total:6.1%}  {frame}" for frame, n in inclusive.most_common(top)]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--query", default="q4", type=str.lower)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("BILATERAL_MAX_NODES", MAX_NODES)  # as in `make bench`, for Q2

    server = os.environ.get("DATABASE_URL", "")
    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "bilateral_bench_")
    target = (
        Target("PostgreSQL", server, prefix)
        if server.startswith("postgresql")
        else Target("SQLite")
    )
    url = prepare_database(target, args.scale)
    variables = parameters(url)[args.query]
    text = (HERE / "queries" / f"{'q1' if args.query == 'q5' else args.query}.graphql").read_text()
    body = json.dumps({"query": text, "variables": variables}).encode()
    port = _free_port()
    api = _api(url, port)
    PROFILES.mkdir(exist_ok=True)
    name = f"{args.query}-{target.name.lower()}"
    graphql = f"http://127.0.0.1:{port}/graphql"
    try:
        _wrk(graphql, body, 2)  # warm-up: plans compiled, caches full
        svg, raw = PROFILES / f"{name}.svg", PROFILES / f"{name}.raw"
        for output, form in ((svg, "flamegraph"), (raw, "raw")):
            work = threading.Thread(target=_record, args=(api.pid, args.seconds, output, form))
            _under_load(graphql, body, args.seconds, work)
    finally:
        api.terminate()
        api.wait()
    report = summary(raw)
    (PROFILES / f"{name}.txt").write_text(report)
    print(f"{svg}\n{PROFILES / f'{name}.txt'}\n\n{report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
