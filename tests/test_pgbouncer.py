"""Bilateral through PgBouncer in transaction mode: the app starts, migrates, seeds, reads
(compiled and resolved) and writes through the pooler, under concurrent load, with its
replica pooled too, while LISTEN for live updates keeps a direct line to the primary."""

from __future__ import annotations

import asyncio
import os
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from servers import BILATERAL, serving
from sockets import Subscriber
from test_replicas import CREATE, READ, _token

from bench.pooler import MISSING as NO_PGBOUNCER
from bench.pooler import pgbouncer, pgbouncer_program
from bench.replication import MISSING as NO_POSTGRESQL
from bench.replication import Pair, primary_and_replica, server_binaries

BINARIES = server_binaries()
pytestmark = [
    pytest.mark.slow,  # PostgreSQL and PgBouncer of their own, servers in processes
    pytest.mark.skipif(BINARIES is None, reason=NO_POSTGRESQL),
    pytest.mark.skipif(pgbouncer_program() is None, reason=NO_PGBOUNCER),
]

QUERIES = [
    # compiled into one statement
    ('{ country(code: "MY") { name missions { city } } }', "compiled"),
    # answered by the resolvers, through SQLAlchemy's prepared statements
    ("{ qualityIssueCounts { kind count } }", "resolvers"),
    ("{ countries(first: 50) { nodes { code events(first: 3) { nodes { title } } } } }", None),
]


@dataclass
class Pooled:
    """A served app whose database URLs lead through PgBouncer."""

    base: str
    token: str


@pytest.fixture(scope="module")
def pooled() -> Iterator[tuple[Pair, Pooled]]:
    assert BINARIES is not None
    with primary_and_replica(BINARIES) as pair:
        name = f"bilateral_test_{uuid.uuid4().hex[:12]}"
        direct, _ = pair.new_database(name)
        # One pooler, two pooled databases: the primary's and the replica's.
        with pgbouncer({name: pair.primary.port, f"{name}_replica": pair.replica.port}) as port:
            through = f"postgresql+asyncpg://postgres@127.0.0.1:{port}"
            environment = {
                "DATABASE_POOL_MODE": "transaction",
                "DATABASE_LISTEN_URL": direct,
                "DATABASE_REPLICA_URLS": f"{through}/{name}_replica",
            }
            # The database is set up (migrations and the article) through the pooler, once:
            # two processes starting on an empty database would both try to seed it.
            for command in (["migrate"], ["seed"]):
                subprocess.run(
                    [str(BILATERAL), *command],
                    env={**os.environ, **environment, "DATABASE_URL": f"{through}/{name}"},
                    capture_output=True,
                    check=True,
                )
            with serving(f"{through}/{name}", workers=2, environment=environment) as base:
                yield pair, Pooled(base, _token(direct))


def _post(http: httpx.Client, query: str, **headers: str) -> httpx.Response:
    response = http.post("/graphql", json={"query": query}, headers=headers)
    assert response.status_code == 200, response.text
    assert "errors" not in response.json(), response.text
    return response


def test_queries_run_compiled_and_resolved_through_pgbouncer(
    pooled: tuple[Pair, Pooled],
) -> None:
    _, app = pooled
    with httpx.Client(base_url=app.base, timeout=30) as http:
        for query, path in QUERIES:
            response = _post(http, query)
            if path is not None:
                assert response.headers["X-Bilateral-Execution"] == path
        assert _post(http, QUERIES[0][0]).json()["data"]["country"]["name"] == "Malaysia"


def test_concurrent_requests_never_collide_on_prepared_statements(
    pooled: tuple[Pair, Pooled],
) -> None:
    _, app = pooled

    async def load() -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=app.base, timeout=60) as http:
            sends = [
                http.post("/graphql", json={"query": QUERIES[n % len(QUERIES)][0]})
                for n in range(192)
            ]
            return await asyncio.gather(*sends)

    answers = asyncio.run(load())
    assert {answer.status_code for answer in answers} == {200}
    assert not [answer.text for answer in answers if "errors" in answer.json()]


def test_writes_are_read_back_and_heard_live_through_pgbouncer(
    pooled: tuple[Pair, Pooled],
) -> None:
    pair, app = pooled
    query = 'subscription { eventAdded(countries: ["BE"]) { title } }'

    async def write_and_listen() -> tuple[dict[str, Any], httpx.Response]:
        async with Subscriber(app.base, query) as subscriber:
            async with httpx.AsyncClient(base_url=app.base, timeout=30) as http:
                pair.pause_replay()
                try:
                    written = await http.post(
                        "/graphql",
                        json={"query": CREATE, "variables": {"title": "Pooled"}},
                        headers={"Authorization": f"Bearer {app.token}"},
                    )
                    event_id = written.json()["data"]["createEvent"]["event"]["id"]
                    lsn = written.headers["X-Bilateral-LSN"]
                    read = await http.post(
                        "/graphql",
                        json={"query": READ, "variables": {"id": event_id}},
                        headers={"X-Bilateral-LSN": lsn},
                    )
                finally:
                    pair.resume_replay()
            return await subscriber.next(timeout=10), read

    message, read = asyncio.run(write_and_listen())
    assert read.json()["data"] == {"node": {"title": "Pooled"}}
    assert message["payload"]["data"] == {"eventAdded": {"title": "Pooled"}}
