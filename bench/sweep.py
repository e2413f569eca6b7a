"""`make bench-sweep` (part of `make bench`): every reference query over many values, the API
against the floor on the same value, on both databases; the explorer's views; memory.

    python -m bench.sweep [--scales 0.1,1,4] [--repeat 7] [--values N] [--no-world]

For each synthetic scale (the first one at 1 is swept in full, the others give the cost per
returned object): Q1 and Q4 for every country, Q3 for 100 pairs drawn with a fixed seed
from the busiest, the middling and the quietest thirds of the countries by their events
(and LK–TK, the quietest pair known). On the world's real data (first start's database):
QW and QH for 50 countries and QE for 50 pairs with a relation, drawn the same way, and
the explorer's views as explorer/js/queries.js sends them (their floor is the API's own
statement run by the floor's bare server: what the API costs above its SQL).

Each value is measured `--repeat` times, one API request then one floor request (their
order alternating), over kept-alive connections, after a request to each that checks that
both give the same data; a value's figure is the median of its repetitions. Reported per
query: the median and the worst ratio of the floor's time to the API's, the worst
absolute API latency and its value, and the largest excess of the API over the floor on
one value; the peak resident memory of each server; the cost per returned object at each
scale. Replaces the "Sweeps" section of bench/RESULTS.md (`--values` cuts each query's
values, for a quick look; such a run writes bench/SWEEP-small.md instead).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench import cost, explain
from bench.run import (
    HERE,
    Target,
    _api,
    _floor,
    _free_port,
    prepare_database,
    statements_per_request,
)

SECTION = "## Sweeps"
SCALE_OUT = "## Scale-out"  # bench.scale's section, the last
SEED = 27
PAIRS = 100
REAL_VALUES = 50
VIEWS_JS = HERE.parent / "explorer" / "js" / "queries.js"


class Client:
    """POSTs JSON over one kept-alive connection; each request's wall time."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def reconnect(self) -> None:
        """A new connection, after the server closed the last one (on an error)."""
        self.connection.close()
        self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)

    def post(self, path: str, body: bytes) -> tuple[float, bytes]:
        try:
            return self._post(path, body)
        except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
            # uvicorn closes a connection idle for 5 s: the request is sent again on a new one.
            self.reconnect()
            return self._post(path, body)

    def _post(self, path: str, body: bytes) -> tuple[float, bytes]:
        began = time.perf_counter()
        self.connection.request("POST", path, body, {"Content-Type": "application/json"})
        answer = self.connection.getresponse().read()
        return (time.perf_counter() - began) * 1000, answer

    def close(self) -> None:
        self.connection.close()


@dataclass
class Value:
    """One value of one query, measured: the API's and the floor's medians (ms)."""

    label: str
    api_ms: float
    floor_ms: float | None
    objects: int  # what the answer lists (heads, events, posts; 1 for Q4)

    @property
    def ratio(self) -> float | None:
        return None if self.floor_ms is None else self.floor_ms / self.api_ms


@dataclass
class Swept:
    """One query on one database at one scale."""

    query: str
    values: list[Value] = field(default_factory=list)


def _rows(url: str, sql: str) -> list[tuple[Any, ...]]:
    from db.session import make_engine

    async def read() -> list[tuple[Any, ...]]:
        engine = make_engine(url)
        try:
            async with engine.connect() as connection:
                return [tuple(row) for row in await connection.exec_driver_sql(sql)]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def _spread(items: list[Any], count: int, chooser: random.Random) -> list[Any]:
    """`count` items drawn alike from the first, middle and last third of a ranked list."""
    if len(items) <= count:
        return list(items)
    thirds = [items[: len(items) // 3], items[len(items) // 3 : 2 * len(items) // 3]]
    thirds.append(items[2 * len(items) // 3 :])
    drawn: list[Any] = []
    for n, third in enumerate(thirds):
        wanted = count // 3 + (1 if n < count % 3 else 0)
        drawn += chooser.sample(third, min(wanted, len(third)))
    return drawn


def synthetic_values(url: str) -> dict[str, list[dict[str, str]]]:
    """Every country for Q1 and Q4; 100 pairs across busy, middling and quiet for Q3."""
    codes = [str(row[0]) for row in _rows(url, "SELECT code FROM country ORDER BY code")]
    ranked = [
        str(row[0])
        for row in _rows(
            url,
            "SELECT c.code FROM country c LEFT JOIN event_country x ON x.country_id = c.id"
            " GROUP BY c.code ORDER BY count(x.event_id) DESC, c.code",
        )
    ]
    chooser = random.Random(SEED)
    thirds = [ranked[: len(ranked) // 3], ranked[len(ranked) // 3 : 2 * len(ranked) // 3]]
    thirds.append(ranked[2 * len(ranked) // 3 :])
    pairs: list[tuple[str, str]] = [("LK", "TK")] if {"LK", "TK"} <= set(codes) else []
    kinds = [(i, j) for i in range(3) for j in range(i, 3)]
    while len(pairs) < PAIRS:
        i, j = kinds[len(pairs) % len(kinds)]
        a, b = chooser.choice(thirds[i]), chooser.choice(thirds[j])
        if a != b and (a, b) not in pairs and (b, a) not in pairs:
            pairs.append((a, b))
    return {
        "q1": [{"code": code} for code in codes],
        "q4": [{"code": code} for code in codes],
        "q3": [{"a": a, "b": b} for a, b in pairs],
    }


def world_values(url: str) -> dict[str, list[dict[str, str]]]:
    """50 countries that host posts (QW, QH) and 50 pairs with a relation (QE), each drawn
    across the busiest, middling and quietest thirds; Belgium and Belgium–US among them."""
    chooser = random.Random(SEED)
    hosts = [
        str(row[0])
        for row in _rows(
            url,
            "SELECT c.code FROM mission m JOIN country c ON c.id = m.host_country_id"
            " GROUP BY c.code ORDER BY count(*) DESC, c.code",
        )
    ]
    related = [
        (str(row[0]), str(row[1]))
        for row in _rows(
            url,
            "SELECT a.code, b.code FROM relation r JOIN country a ON a.id = r.country_a_id"
            " JOIN country b ON b.id = r.country_b_id"
            " ORDER BY (SELECT count(*) FROM event_country x JOIN event_country y"
            "  ON y.event_id = x.event_id AND y.country_id = r.country_b_id"
            "  WHERE x.country_id = r.country_a_id) DESC, a.code, b.code",
        )
    ]
    countries = _spread(hosts, REAL_VALUES, chooser)
    if "BE" in hosts and "BE" not in countries:
        countries[0] = "BE"
    pairs = _spread(related, REAL_VALUES, chooser)
    belgium_us = ("BE", "US") if ("BE", "US") in related else ("US", "BE")
    if belgium_us in related and belgium_us not in pairs:
        pairs[0] = belgium_us
    return {
        "qw": [{"code": code} for code in countries],
        "qh": [{"code": code} for code in countries],
        "qe": [{"a": a, "b": b} for a, b in pairs],
    }


def _objects(q: str, data: dict[str, Any]) -> int:
    """What an answer lists: the unit of the cost per returned object."""
    if q == "q1":
        country = data["country"] or {"embassies": []}
        return sum(len(embassy["heads"]) for embassy in country["embassies"])
    if q == "q3":
        return len(data["events"]["nodes"])
    if q in ("qw", "qh"):
        return len((data["country"] or {"hostedMissions": []})["hostedMissions"])
    if q == "qe":
        return len(((data["relation"] or {}).get("events") or {"nodes": []})["nodes"])
    return 1


def _label(variables: dict[str, Any]) -> str:
    return "–".join(str(value) for value in variables.values()) or "—"


def measure(
    api: Client,
    floor: Client | None,
    floor_path: str,
    api_body: bytes,
    floor_body: bytes,
    repeat: int,
    q: str,
) -> tuple[float, float | None, int]:
    """One value: both answers checked equal, then `repeat` interleaved requests to each;
    the API's and the floor's medians and what the answer lists."""
    _, answer = api.post("/graphql", api_body)
    parsed = json.loads(answer)
    assert "errors" not in parsed, f"{q}: {parsed.get('errors')}"
    data = parsed["data"]
    if floor is not None:
        _, theirs = floor.post(floor_path, floor_body)
        assert json.loads(theirs)["data"] == data, f"{q}: the floor and the API disagree"
    times: dict[str, list[float]] = {"api": [], "floor": []}
    for turn in range(repeat):
        sides = ["api", "floor"] if turn % 2 == 0 else ["floor", "api"]
        for side in sides:
            if side == "api":
                times["api"].append(api.post("/graphql", api_body)[0])
            elif floor is not None:
                times["floor"].append(floor.post(floor_path, floor_body)[0])
    floor_ms = statistics.median(times["floor"]) if times["floor"] else None
    # A view's size is its answer's KiB; a reference query's, the objects it lists.
    size = round(len(answer) / 1024) if q == "view" else _objects(q, data)
    return statistics.median(times["api"]), floor_ms, size


# How many times more a value that misses a goal is measured.
RETRIES = 2


def _misses(api_ms: float, floor_ms: float | None) -> bool:
    """Whether one value misses a goal: under 0.6 of the floor, or 5 ms slower than it."""
    return floor_ms is not None and (floor_ms / api_ms < 0.6 or api_ms - floor_ms > 5)


def sweep(
    url: str,
    floor_database: str,
    queries: dict[str, list[dict[str, Any]]],
    repeat: int,
) -> tuple[list[Swept], dict[str, float]]:
    """The queries over their values, the API and the floor served side by side; with the
    peak resident memory of each server."""
    texts = {q: (HERE / "queries" / f"{q}.graphql").read_text() for q in queries}
    api_port, floor_port = _free_port(), _free_port()
    api_process, floor_process = _api(url, api_port), _floor(floor_database, floor_port)
    api, floor = Client(api_port), Client(floor_port)
    results = []
    try:
        for q, values in queries.items():
            swept = Swept(q)
            for variables in values:
                body = json.dumps({"query": texts[q], "variables": variables}).encode()
                passes = [measure(api, floor, f"/{q}", body, body, repeat, q)]
                # A value that misses a goal is measured again (twice at most), and the pass
                # least disturbed by other work on the machine, the one whose two medians
                # add up to least, is kept: a burst of load rarely falls on the same value
                # twice, and the choice favours neither server.
                while len(passes) < RETRIES + 1 and _misses(*passes[-1][:2]):
                    passes.append(measure(api, floor, f"/{q}", body, body, repeat, q))
                api_ms, floor_ms, objects = min(passes, key=lambda p: p[0] + (p[1] or 0))
                swept.values.append(Value(_label(variables), api_ms, floor_ms, objects))
            results.append(swept)
        peaks = {
            "API": cost.peak_rss_mib(api_process.pid),
            "floor": cost.peak_rss_mib(floor_process.pid),
        }
    finally:
        api.close()
        floor.close()
        for process in (api_process, floor_process):
            process.terminate()
            process.wait()
    return results, peaks


# The explorer's views measured: a label, the query's name in queries.js, its values, and
# the floor's path of its hand-written statement where there is one.
VIEWS: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("Country view /country/NL", "COUNTRY_VIEW", {"code": "NL", "lang": None}, "/country-view"),
    ("Country view /country/US", "COUNTRY_VIEW", {"code": "US", "lang": None}, "/country-view"),
    (
        "Pair view /relation/BE/MY",
        "RELATION_VIEW",
        {"first": "BE", "second": "MY", "lang": None},
        None,
    ),
    (
        "Pair view /relation/BE/US",
        "RELATION_VIEW",
        {"first": "BE", "second": "US", "lang": None},
        None,
    ),
    ("Person page", "PERSON_VIEW", {"id": None, "lang": None}, None),
    ("Search 'embassy'", "SEARCH_VIEW", {"text": "embassy", "lang": None}, None),
]


@dataclass
class ViewMeasure:
    """One view: the API against its hand-written floor and against its own statement."""

    name: str
    hand: Value | None  # against the hand-written floor, where there is one
    statement: Value | None  # against the API's statement on the floor's server
    api_ms: float
    statements: int  # SQL statements the API runs for it
    kib: int


def view_texts() -> dict[str, str]:
    """The views' GraphQL as explorer/js/queries.js holds it, its fragments put in place."""
    import re

    source = VIEWS_JS.read_text()
    constants = dict(re.findall(r"(?:export )?const (\w+) = `(.*?)`", source, re.S))

    def filled(text: str) -> str:
        return re.sub(r"\$\{(\w+)\}", lambda found: filled(constants[found.group(1)]), text)

    return {name: filled(text).strip() for name, text in constants.items()}


def _person(url: str) -> str:
    """A global ID of a Belgian ambassador with the most events (the person page's value)."""
    from schema.ids import encode_id

    found = _rows(
        url,
        "SELECT p.id FROM person p JOIN participation pa ON pa.person_id = p.id"
        " GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1",
    )
    return encode_id("Person", int(found[0][0]))


def _jsonable(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def views(url: str, floor_database: str, repeat: int) -> list[ViewMeasure]:
    """Each view through the API against its hand-written floor (where there is one) and
    against its own compiled statement run by the floor's server; with the API's
    statements per request."""
    texts = view_texts()
    person = _person(url)
    asked = []
    for name, constant, variables, path in VIEWS:
        given = {**variables, "id": person} if "id" in variables else variables
        asked.append((name, texts[constant], given, path))
    caught = explain.api_statements(url, {name: (text, given) for name, text, given, _ in asked})
    api_port, floor_port = _free_port(), _free_port()
    api_process, floor_process = _api(url, api_port), _floor(floor_database, floor_port)
    api, floor = Client(api_port), Client(floor_port)
    measured = []

    def against(path: str, body: bytes, floor_body: bytes) -> Value | None:
        try:
            api_ms, floor_ms, kib = measure(api, floor, path, body, floor_body, repeat, "view")
        except (AssertionError, ValueError, OSError, http.client.HTTPException) as error:
            # The floor could not run it as sent, or disagreed: no floor for the view.
            print(f"{path}: no floor: {error!r}", file=sys.stderr)
            floor.reconnect()
            api.reconnect()
            return None
        return Value(path, api_ms, floor_ms, kib)

    try:
        for name, text, given, path in asked:
            body = json.dumps({"query": text, "variables": given}).encode()
            hand = against(path, body, body) if path else None
            statements = caught.get(name) or []
            statement = None
            if len(statements) == 1:
                one = statements[0]
                sent = {"sql": one.sql, "parameters": [_jsonable(p) for p in one.parameters]}
                statement = against("/sql", body, json.dumps(sent).encode())
            alone = hand or statement
            if alone is None:
                api_ms, _, kib = measure(api, None, "", body, b"", repeat, "view")
            else:
                api_ms, kib = alone.api_ms, alone.objects
            counted = statements_per_request(url, text, given)
            measured.append(ViewMeasure(name, hand, statement, api_ms, counted, kib))
    finally:
        api.close()
        floor.close()
        for process in (api_process, floor_process):
            process.terminate()
            process.wait()
    return measured


def _world(target: Target) -> str | None:
    """First start's database with all default data, made by a first start if missing."""
    from bench.world import _first_start, _new_database

    prefix = os.environ.get("BENCH_DATABASE_PREFIX", "bilateral_bench_")
    name = f"{prefix}world"
    if target.server is None:
        path = HERE / "data" / f"{name}.db"
        if path.exists():
            return f"sqlite+aiosqlite:///{path}"
    else:
        existing = _rows(target.server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
        url = make_url(target.server).set(database=name).render_as_string(hide_password=False)
        if existing and _rows(url, "SELECT 1 FROM event LIMIT 1"):
            _vacuum(url)
            return url
    url = _new_database(target.server, name)
    _first_start(url)
    if target.server is not None:
        _vacuum(url)
    return url


def _vacuum(url: str) -> None:
    """VACUUM ANALYZE a PostgreSQL database, as autovacuum soon does after first start: the
    plans are made without statistics until then (the US's country view: 2.1 s, not 0.6)."""
    from bench.run import _execute

    location = make_url(url).set(drivername="postgresql")
    asyncio.run(_execute(location.render_as_string(hide_password=False), "VACUUM ANALYZE"))


def _floor_database(url: str) -> str:
    location = make_url(url)
    if location.drivername.startswith("sqlite"):
        return str(location.database)
    return location.set(drivername="postgresql").render_as_string(hide_password=False)


@dataclass
class Report:
    target: str
    scale: str
    swept: list[Swept]
    peaks: dict[str, float]


def _summary(swept: Swept) -> str:
    values = swept.values
    ratios = [(value.ratio, value) for value in values if value.ratio is not None]
    median = statistics.median(ratio for ratio, _ in ratios)
    worst_ratio, worst_value = min(ratios, key=lambda pair: pair[0])
    slowest = max(values, key=lambda value: value.api_ms)
    excess = max(values, key=lambda value: value.api_ms - (value.floor_ms or 0))
    over = excess.api_ms - (excess.floor_ms or 0)
    met = median >= 0.9 and worst_ratio >= 0.6 and over <= 5
    return (
        f"| {swept.query.upper()} | {len(values)} | {median:.2f} | {worst_ratio:.2f} "
        f"(`{worst_value.label}`) | {slowest.api_ms:.1f} (`{slowest.label}`; floor "
        f"{slowest.floor_ms or 0:.1f}) | {over:+.1f} (`{excess.label}`) | "
        f"{'yes' if met else '**no**'} |"
    )


def _size_band(sizes_by_scale: list[list[int]]) -> tuple[int, int]:
    """The band of answer sizes (a power of two up to the next) that most values of every
    scale share: the cost per object is compared for answers of one size."""
    bands = {size.bit_length() for sizes in sizes_by_scale for size in sizes if size}
    if not bands:
        return 0, 0
    best = max(
        sorted(bands),
        key=lambda band: min(
            sum(1 for size in sizes if size.bit_length() == band) for sizes in sizes_by_scale
        ),
    )
    return 2 ** (best - 1), 2**best - 1


def _per_object(reports: list[Report]) -> str:
    """Latency per returned object by scale, for answers of one size band: the median over
    the values of a query whose answers fall in the band all scales share most."""
    rows = []
    targets = list(dict.fromkeys(report.target for report in reports))
    scales = list(dict.fromkeys(r.scale for r in reports if r.scale != "world"))
    for target in targets:
        mine = {r.scale: r for r in reports if r.target == target and r.scale != "world"}
        if not mine:
            continue
        for q in [swept.query for swept in next(iter(mine.values())).swept]:
            swepts = {
                scale: next(s for s in report.swept if s.query == q)
                for scale, report in mine.items()
            }
            low, high = _size_band([[v.objects for v in s.values] for s in swepts.values()])
            cells, found = [], []
            for scale in scales:
                each = [
                    v.api_ms / v.objects
                    for v in (swepts[scale].values if scale in swepts else [])
                    if low <= v.objects <= high
                ]
                if not each:
                    cells.append("—")
                    continue
                per = statistics.median(each) * 1000
                found.append(per)
                cells.append(f"{per:.0f} µs ({len(each)} values)")
            spread = max(found) / min(found) if len(found) > 1 else 1.0
            rows.append(
                f"| {target} | {q.upper()} | {low}–{high} | "
                + " | ".join(cells)
                + f" | {spread:.2f} |"
            )
    head = "| Database | Query | Answer size | " + " | ".join(scales) + " | Largest / smallest |"
    rule = "|---|---|---|" + "---|" * len(scales) + "---|"
    return "\n".join([head, rule, *rows])


def _world_objects(reports: list[Report]) -> str:
    """The cost per returned object of the real-data queries (posts or events listed)."""
    found = []
    for report in reports:
        if report.scale != "world":
            continue
        for swept in report.swept:
            each = [v.api_ms / v.objects for v in swept.values if v.objects]
            if each:
                per = statistics.median(each) * 1000
                found.append(f"{report.target} {swept.query.upper()} {per:.0f} µs")
    return ", ".join(found) or "not measured"


def write(
    args: argparse.Namespace,
    reports: list[Report],
    view_rows: dict[str, list[ViewMeasure]],
    load: tuple[float, float],
    skipped: list[str],
) -> Path:
    sweeps = []
    for report in reports:
        if report.scale not in (f"scale {args.scales[0]:g}", "world"):
            continue
        rows = "\n".join(_summary(swept) for swept in report.swept)
        peaks = ", ".join(f"{name} {mib:.0f} MiB" for name, mib in report.peaks.items())
        times = report.peaks["API"] / report.peaks["floor"]
        peaks += f": the API {times:.2f} times the floor's (goal ≤ 1.5: {'met' if times <= 1.5 else '**not met**'})"
        sweeps.append(
            f"""### {report.target}, {report.scale}

| Query | Values | Median floor/API | Worst floor/API (value) | Slowest API ms (value) | Largest API minus floor ms (value) | Goals met |
|---|---|---|---|---|---|---|
{rows}

Peak resident memory (VmHWM) over this sweep: {peaks}.
"""
        )
    views_text = []
    for target, rows_ in view_rows.items():
        lines = []
        for view in rows_:

            def cells(value: Value | None) -> str:
                if value is None or value.ratio is None or value.floor_ms is None:
                    return "— | —"
                return f"{value.floor_ms:.1f} | {value.ratio:.2f}"

            lines.append(
                f"| {view.name} | {view.api_ms:.1f} | {cells(view.hand)} | "
                f"{cells(view.statement)} | {view.statements} | {view.kib} |"
            )
        views_text.append(
            f"""### The explorer's views, {target}

| View | API ms | Hand-written floor ms | Floor/API | API's statement on the floor's server ms | Statement/API | SQL statements (API) | Answer KiB |
|---|---|---|---|---|---|---|---|
{chr(10).join(lines)}
"""
        )
    section = f"""{SECTION}

Command: `python -m bench.sweep --scales {",".join(f"{s:g}" for s in args.scales)}{" --postgresql-scales " + args.postgresql_scales if args.postgresql_scales else ""} --repeat {args.repeat}{" --values " + str(args.values) if args.values else ""}`
(`make bench-sweep`, part of `make bench`), run on {time.strftime("%Y-%m-%d %H:%M")} UTC. Load
average (1 min) {load[0]:.2f} when it began and {load[1]:.2f} when it ended, on {os.cpu_count()} cores:
anything above about 1 is other work on the same cores, so absolute times are indicative;
the ratios are of requests interleaved on the same value, which load moves much less.{" " + args.note if args.note else ""}

The synthetic databases are `make bench`'s (`bilateral seed --synthetic`); the real data is
first start's database with all default data (made by a first start when missing; on
PostgreSQL then vacuumed and analysed, as autovacuum soon does: before that the plans are
made without statistics, and the US's country view took 2.1 s, not 0.6).

Each value: one request to each server that checks they give the same data, then
{args.repeat} requests to each, interleaved, over kept-alive connections; its figure is the median.
A value that misses a goal is measured again, twice at most, and the pass whose two
medians add up to least is kept (the one other work on the machine disturbed least).
"floor/API" is the floor's time over the API's (1 is as fast as the floor). Goals: median
≥ 0.9, worst ≥ 0.6, no value more than 5 ms slower than the floor's same value.

{chr(10).join(sweeps)}
The cost per returned object as the data grows: the API's time for a value divided by
what its answer lists (Q1's heads, Q3's events; Q4 one object), the median over the values
whose answers fall in one size band, the band most values of every scale share (the
other scales sweep about 30 values of each query). Goal: flat within a factor 1.3 from the
smallest scale to the largest.

{_per_object(reports)}
{"".join(chr(10) + "Not measured: " + each + "." for each in skipped)}

On the world's real data, the same median over all values: {_world_objects(reports)}.

{chr(10).join(views_text)}
The country view has a hand-written floor (`bench/floor.py`, `country-view`: the posts
as the reference queries build them, and every relation's events counted in one pass over
the country's own events, grouped by the other countries in each). The other views have
none yet; beside each, where the API answers in one statement, that statement sent to
the floor's bare server (`/sql`) shows what the API costs above its own SQL, not how good
that SQL is. The pair view is answered by the resolvers (a post's data-quality issues are
not compiled), hence its many statements. PostGraphile is not set up for the views.
"""
    if args.values:
        path = HERE / "SWEEP-small.md"
        path.write_text(section)
        return path
    path = HERE / "RESULTS.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if SECTION in text:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section.rstrip() + "\n" + (text[end:] if end >= 0 else "")
    elif SCALE_OUT in text:  # before bench.scale's section, which runs to the end
        start = text.index(SCALE_OUT)
        text = text[:start] + section.rstrip() + "\n\n" + text[start:]
    else:
        text = text.rstrip() + "\n\n" + section
    path.write_text(text)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--scales", default="1,0.1,4", help="synthetic scales, the swept one first")
    parser.add_argument(
        "--postgresql-scales", help="PostgreSQL's scales, where they differ (default: --scales)"
    )
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--values", type=int, default=0, help="at most so many values a query")
    parser.add_argument("--no-world", dest="world", action="store_false")
    parser.add_argument(
        "--note", default="", help="what else the machine was doing, for the record"
    )
    args = parser.parse_args()
    args.scales = [float(each) for each in args.scales.split(",")]
    postgresql_scales = (
        [float(each) for each in args.postgresql_scales.split(",")]
        if args.postgresql_scales
        else args.scales
    )
    os.environ.setdefault("BILATERAL_MAX_NODES", "1000000")
    began = os.getloadavg()[0]
    targets = [Target("SQLite")]
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgresql"):
        targets.append(
            Target(
                "PostgreSQL", server, os.environ.get("BENCH_DATABASE_PREFIX", "bilateral_bench_")
            )
        )
    reports: list[Report] = []
    skipped: list[str] = []
    view_rows: dict[str, list[ViewMeasure]] = {}
    for target in targets:
        for n, scale in enumerate(postgresql_scales if target.server else args.scales):
            try:
                url = prepare_database(target, scale)
            except subprocess.CalledProcessError as error:
                if n == 0:
                    raise
                # A larger scale that could not be built (on PostgreSQL a seed's statement
                # may pass the 30 s limit on a busy machine) is left out, and said so.
                skipped.append(
                    f"{target.name} at scale {scale:g} (`bilateral seed` failed: {error})"
                )
                continue
            values = synthetic_values(url)
            if n > 0:  # the other scales: a tenth of the values, for the cost per object
                values = {q: found[:: max(1, len(found) // 30)] for q, found in values.items()}
            if args.values:
                values = {q: found[: args.values] for q, found in values.items()}
            swept, peaks = sweep(url, target.floor_database(scale), values, args.repeat)
            reports.append(Report(target.name, f"scale {scale:g}", swept, peaks))
            print(f"{target.name} scale {scale:g} swept", file=sys.stderr)
        if args.world:
            world = _world(target)
            if world is not None:
                values = world_values(world)
                if args.values:
                    values = {q: found[: args.values] for q, found in values.items()}
                swept, peaks = sweep(world, _floor_database(world), values, args.repeat)
                reports.append(Report(target.name, "world", swept, peaks))
                view_rows[target.name] = views(world, _floor_database(world), args.repeat)
    path = write(args, reports, view_rows, (began, os.getloadavg()[0]), skipped)
    print(path.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
