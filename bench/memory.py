"""Where an API process's memory goes: resident memory at each stage of its life, and what
Python allocated, by package, from tracemalloc. Writes bench/MEMORY.md.

    python -m bench.memory [--database URL]

The stages: the bare interpreter; the app's modules imported; the app started on a
pre-seeded database (first start's, with all default data; bench.sweep makes it) and its
start-up done; and after serving each reference query and explorer view a few times.
tracemalloc traces from the start, so the Python figures are exact, but tracing costs
memory of its own: the resident figures come from a second, untraced run of the same steps.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def rss_mib() -> float:
    """This process's resident memory now (VmRSS), in MiB."""
    status = Path("/proc/self/status").read_text()
    line = next(line for line in status.splitlines() if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _package(filename: str) -> str:
    """The package a source file belongs to: the project's top directory, or the
    installed distribution's top module, or the standard library."""
    path = Path(filename)
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    root = HERE.parent
    if path.is_relative_to(root):
        return "project: " + path.relative_to(root).parts[0]
    if filename.startswith("<"):
        return filename
    return "standard library"


def _requests(url: str) -> list[tuple[str, dict[str, Any]]]:
    from bench.sweep import VIEWS, _person, view_texts

    texts = view_texts()
    asked = []
    for _, constant, variables, _ in VIEWS:
        given = {**variables, "id": _person(url)} if "id" in variables else variables
        asked.append((texts[constant], given))
    queries = HERE / "queries"
    asked += [
        ((queries / "qw.graphql").read_text(), {"code": "BE"}),
        ((queries / "qh.graphql").read_text(), {"code": "US"}),
        ((queries / "qe.graphql").read_text(), {"a": "BE", "b": "US"}),
    ]
    return asked


def stages(url: str, traced: bool) -> tuple[list[tuple[str, float]], Any]:
    """Resident MiB after each stage (and tracemalloc's snapshot at the end, if traced)."""
    if traced:
        tracemalloc.start(1)
    seen = [("interpreter", rss_mib())]
    import httpx

    from server.app import create_app
    from server.settings import Settings

    seen.append(("modules imported", rss_mib()))
    asked = _requests(url)

    async def serve() -> None:
        app = create_app(Settings(database_url=url, seed_world=False))
        async with app.router.lifespan_context(app):
            seen.append(("started", rss_mib()))
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://b"
            ) as client:
                for _ in range(3):
                    for text, variables in asked:
                        await client.post("/graphql", json={"query": text, "variables": variables})
            seen.append(("served the views and QW, QH, QE three times", rss_mib()))

    asyncio.run(serve())
    snapshot = tracemalloc.take_snapshot() if traced else None
    return seen, snapshot


def _untraced(url: str) -> list[tuple[str, float]]:
    """The stages' resident memory from a fresh process that does not trace."""
    code = (
        "import json, sys; from bench.memory import stages; "
        f"print(json.dumps(stages({url!r}, False)[0]))"
    )
    import json

    found = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
        env={**os.environ, "PYTHONPATH": str(HERE.parent)},
    )
    return [(str(name), float(mib)) for name, mib in json.loads(found.stdout.splitlines()[-1])]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database",
        default=f"sqlite+aiosqlite:///{HERE / 'data' / 'bilateral_bench_world.db'}",
        help="a pre-seeded database (default: bench.sweep's first start on SQLite)",
    )
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    resident = _untraced(args.database)
    _, snapshot = stages(args.database, True)
    statistics = snapshot.statistics("filename")
    by_package: dict[str, float] = {}
    for stat in statistics:
        name = _package(stat.traceback[0].filename)
        by_package[name] = by_package.get(name, 0) + stat.size / 2**20
    total = sum(by_package.values())
    packages = sorted(by_package.items(), key=lambda item: -item[1])[: args.top]
    files = [
        (stat.traceback[0].filename.replace(str(HERE.parent) + "/", ""), stat.size / 2**20)
        for stat in statistics[: args.top]
    ]
    stage_rows = "\n".join(f"| {name} | {mib:.0f} |" for name, mib in resident)
    package_rows = "\n".join(f"| {name} | {mib:.1f} |" for name, mib in packages)
    file_rows = "\n".join(f"| `{name}` | {mib:.1f} |" for name, mib in files)
    text = f"""# Where an API process's memory goes

Command: `python -m bench.memory` (database: `{Path(args.database).name}`), run on
{time.strftime("%Y-%m-%d %H:%M")} UTC, Python {sys.version.split()[0]}.

Resident memory (VmRSS, MiB) of one process, untraced, after each stage:

| Stage | MiB |
|---|---|
{stage_rows}

What Python holds at the end, by the package whose code allocated it (tracemalloc, the
allocating line's file; {total:.1f} MiB in all: the rest of the resident memory is the
interpreter, the C libraries, SQLite's page cache and the allocator's free space):

| Package | MiB |
|---|---|
{package_rows}

How to read it: most of a process is its code. Importing the app (Strawberry,
graphql-core, SQLAlchemy's ORM and asyncio layers, Starlette, Alembic for the schema
check at start, and the seed loader that first start needs) takes the largest share
before any data is read, where the floor imports Starlette's types, asyncpg and the
statement runner alone. Start-up adds the schema, the list sizes read from every table
(on SQLite through the resolvers' connections, whose page cache is kept to 8 MiB for
that) and the countries' names in every language pycountry translates (read once, each
catalogue let go after; gettext's own cache kept them all, 10 MiB). A start on a seeded
database reads no seed file any more (it read and parsed them all before finding the
facts there: 45 MiB at the peak of every served process on the world's data). Serving
adds the compiled statements' page cache on SQLite (up to 64 MiB, as the floor's) and
the plans kept for repeated requests.

The files that allocated most:

| File | MiB |
|---|---|
{file_rows}
"""
    (HERE / "MEMORY.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
