"""Prometheus metrics at GET /metrics, through prometheus-client.

Every GraphQL request (over HTTP or WebSocket: `schema.execution.Operations` reports each
answer here) counts by operation name and outcome code and times by execution path;
points spent and refused by the budgets count too; the requests in flight, the
database pool, the open subscriptions and each read replica's lag and place in the
rotation are gauges; a scrape also reads the records each imported dataset brought. Under several worker processes (`bilateral serve --workers N`)
prometheus-client's multiprocess mode adds up every process's figures: the command sets
PROMETHEUS_MULTIPROC_DIR to a fresh directory unless the environment gives one.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import hmac
import os
import re
from collections.abc import Awaitable, Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from sqlalchemy import select
from sqlalchemy.pool import QueuePool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from db import models
from db.database import Database
from db.feed import Feed
from db.replicas import Replicas
from schema.execution import Answer

# Operation names are the client's to choose: only this many distinct ones are kept as
# labels, and only names as GraphQL spells them, short; the rest count as "other".
MAX_OPERATION_NAMES = 200
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")

# Seconds, from a compiled lookup (a millisecond) to the time limit.
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# The execution paths a request's time is filed under.
PATHS = ("compiled", "resolvers", "refused")
# How often the figures counted in plain numbers reach the metrics, in seconds.
FLUSH_SECONDS = 1.0


def multiprocess() -> bool:
    """Whether prometheus-client writes every process's figures to files for one scrape."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class Metrics:
    """The figures one app keeps, and the /metrics route that shows them."""

    def __init__(
        self,
        database: Database,
        token: str | None = None,
        *,
        replicas: Replicas | None = None,
        feed: Feed | None = None,
    ) -> None:
        self.database = database
        self.token = token  # when set, a scrape must send it as a bearer token
        self.replicas = replicas
        self.feed = feed
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.requests = Counter(
            "bilateral_requests",
            "GraphQL requests answered, by operation name and outcome code (OK or the first"
            " error's extensions.code).",
            ["operation", "code"],
            registry=registry,
        )
        self.latency = Histogram(
            "bilateral_request_duration_seconds",
            "Time to answer a GraphQL request, by execution path (compiled, resolvers, refused).",
            ["path"],
            buckets=BUCKETS,
            registry=registry,
        )
        self.points = Counter(
            "bilateral_cost_points",
            "Cost points charged to clients' budgets (spent), and estimated for requests the"
            " budgets refused (refused).",
            ["outcome"],
            registry=registry,
        )
        self.rate_limited = Counter(
            "bilateral_rate_limited_requests",
            "Requests refused with RATE_LIMITED.",
            registry=registry,
        )
        self.in_flight = Gauge(
            "bilateral_requests_in_flight",
            "GraphQL requests being answered.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.pool_in_use = Gauge(
            "bilateral_db_pool_in_use",
            "Database connections checked out of the pool, as of the last scrape.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.pool_waiting = Gauge(
            "bilateral_db_pool_overflow",
            "Connections opened beyond the pool's size (requests would wait beyond them).",
            registry=registry,
            multiprocess_mode="livesum",
        )
        self.subscriptions = Gauge(
            "bilateral_subscriptions_open",
            "GraphQL subscriptions being served over WebSocket.",
            registry=registry,
            multiprocess_mode="livesum",
        )
        # Each process checks the replicas on its own: their figures are kept per process.
        self.replica_in_rotation = Gauge(
            "bilateral_replica_in_rotation",
            "1 while reads are sent to a replica, 0 while it is out of the rotation.",
            ["replica"],
            registry=registry,
            multiprocess_mode="liveall",
        )
        self.replica_lag = Gauge(
            "bilateral_replica_lag_seconds",
            "How far a replica's replay was behind the primary at its last check (NaN while it"
            " cannot be judged: the replica unreachable or not a standby).",
            ["replica"],
            registry=registry,
            multiprocess_mode="liveall",
        )
        self.replica_taken_out = Counter(
            "bilateral_replica_taken_out",
            "Times a replica left the rotation (unreachable, not a standby, or lagging).",
            ["replica"],
            registry=registry,
        )
        self.dataset_records = Gauge(
            "bilateral_dataset_records",
            "What the last import of each dataset brought, by what it counts (posts, tenures,"
            " events...), read from the database at the scrape.",
            ["dataset", "counted"],
            registry=registry,
            multiprocess_mode="livemax",
        )
        self._taken_out: dict[str, int] = {}  # each replica's count at the last flush
        self._names: set[str] = set()
        # Each request is counted here, in plain numbers, and the numbers are moved into the
        # metrics above once a second and at each scrape (`flush`): prometheus-client's own
        # counting takes a lock and, under --workers, writes a file for every figure.
        self._requests: dict[tuple[str | None, str], int] = {}
        self._buckets = {path: [0] * (len(BUCKETS) + 1) for path in PATHS}
        self._seconds = dict.fromkeys(PATHS, 0.0)
        self._spent = 0
        self._refused = 0
        self._limited = 0
        self._active = 0
        self._task: asyncio.Task[None] | None = None

    def operation(self, name: str | None) -> str:
        """The label for an operation name: bounded in length, spelling and number."""
        if not name:
            return "anonymous"
        if name in self._names:
            return name
        if not _NAME.fullmatch(name) or len(self._names) >= MAX_OPERATION_NAMES:
            return "other"
        self._names.add(name)
        return name

    def begun(self) -> None:
        """A request has started."""
        self._active += 1

    def ended(self) -> None:
        """A request has been answered (or has failed)."""
        self._active -= 1

    def observe(
        self, operation_name: str | None, request_id: str, answer: Answer, seconds: float
    ) -> None:
        """Count one answered request."""
        errors = answer.errors
        code = (errors[0].extensions or {}).get("code", "") if errors else "OK"
        key = (operation_name, code)
        self._requests[key] = self._requests.get(key, 0) + 1
        path = "refused" if answer.refused else ("compiled" if answer.compiled else "resolvers")
        self._buckets[path][bisect.bisect_left(BUCKETS, seconds)] += 1
        self._seconds[path] += seconds
        rate = answer.rate
        if rate is not None:
            if code == "RATE_LIMITED":
                self._limited += 1
                assert errors is not None
                requested = (errors[0].extensions or {}).get("requested")
                if isinstance(requested, int):
                    self._refused += requested
            else:
                self._spent += rate.charged

    def flush(self) -> None:
        """Move what was counted since the last time into prometheus-client's metrics."""
        counted, self._requests = self._requests, {}
        for (name, code), number in counted.items():
            self.requests.labels(self.operation(name), code).inc(number)
        for path, buckets in self._buckets.items():
            if any(buckets):
                child = self.latency.labels(path)
                # As Histogram.observe files each observation: in the first bucket it fits.
                for index, number in enumerate(buckets):
                    if number:
                        child._buckets[index].inc(number)
                child._sum.inc(self._seconds[path])
                self._buckets[path] = [0] * len(buckets)
                self._seconds[path] = 0.0
        for outcome, points in (("spent", self._spent), ("refused", self._refused)):
            if points:
                self.points.labels(outcome).inc(points)
        self._spent = self._refused = 0
        if self._limited:
            self.rate_limited.inc(self._limited)
            self._limited = 0
        self.in_flight.set(self._active)
        self._pool()
        if self.feed is not None:
            self.subscriptions.set(len(self.feed.subscribers))
        self._replicas()

    async def start(self) -> None:
        """Flush every second until stopped (so that every worker's figures stay current)."""

        async def keep_flushing() -> None:
            while True:
                await asyncio.sleep(FLUSH_SECONDS)
                self.flush()

        self.flush()  # every metric shown from the start
        self._task = asyncio.get_running_loop().create_task(keep_flushing())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.flush()
        if multiprocess():
            # A worker that stops takes its live gauges (in flight, pool, subscriptions,
            # replicas) out of the sums the other workers' scrapes make.
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]

    def _pool(self) -> None:
        pool = self.database.engine.pool
        if isinstance(pool, QueuePool):
            self.pool_in_use.set(pool.checkedout())
            self.pool_waiting.set(max(pool.overflow(), 0))

    def _replicas(self) -> None:
        for replica in self.replicas.replicas if self.replicas is not None else ():
            name = replica.database.name
            self.replica_in_rotation.labels(name).set(int(replica.in_rotation))
            lag = replica.lag_seconds
            self.replica_lag.labels(name).set(float("nan") if lag is None else lag)
            counted = self._taken_out.get(name, 0)
            self.replica_taken_out.labels(name).inc(replica.taken_out - counted)
            self._taken_out[name] = replica.taken_out

    async def _datasets(self) -> None:
        """Each imported dataset's counts, as its last import recorded them."""
        async with self.database.sessions() as session:
            rows = (await session.execute(select(models.Dataset.name, models.Dataset.counts))).all()
        for name, counts in rows:
            for counted, number in (counts or {}).items():
                if isinstance(number, int) and not isinstance(number, bool):
                    self.dataset_records.labels(name, counted).set(number)

    def route(self) -> Callable[[Request], Awaitable[Response]]:
        """GET /metrics: the Prometheus text format (401 without the token, when one is set)."""

        async def metrics(request: Request) -> Response:
            if self.token is not None:
                scheme, _, given = request.headers.get("authorization", "").partition(" ")
                if scheme.lower() != "bearer" or not hmac.compare_digest(
                    given.strip().encode(), self.token.encode()
                ):
                    return PlainTextResponse(
                        "Scraping needs the metrics token (BILATERAL_METRICS_TOKEN).\n",
                        status_code=401,
                        headers={"WWW-Authenticate": "Bearer"},
                    )
            self.flush()
            await self._datasets()
            if multiprocess():
                registry = CollectorRegistry()
                MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
                text = generate_latest(registry)
            else:
                text = generate_latest(self.registry)
            return Response(text, headers={"Content-Type": CONTENT_TYPE_LATEST})

        return metrics
