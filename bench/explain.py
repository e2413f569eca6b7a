"""The plans of the reference queries, the API's and the floor's, written under bench/plans/.

The API's SQL is caught in process: the app runs each query once through its compiled
path, with a stand-in for its statement runner that notes each statement and its
parameters (bound values, or none where a build inlines them). On PostgreSQL each
statement is prepared, run five times so that the plan cache settles as it does under
load (a custom plan, or the generic one once PostgreSQL prefers it), and then run under
`EXPLAIN (ANALYZE, BUFFERS)`, with each server's session settings (JIT off; for a
statement that pages through filtered rows the API asks for custom plans, and the file
says which). On SQLite the file holds `EXPLAIN QUERY PLAN`, the most SQLite tells. A diff
of bench/plans/ between runs shows a change of plan shape.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy.engine import make_url

from bench import floor
from db.statements import STATEMENT_TIMEOUT
from schema.limits import Limits

PLANS = Path(__file__).resolve().parent / "plans"


def served_limits() -> Limits:
    """The limits the served API has in a benchmark (its node limit raised for Q2)."""
    return Limits(max_nodes=int(os.environ.get("BILATERAL_MAX_NODES", Limits.max_nodes)))


class Recorder:
    """A statement runner that notes what it is asked to run, then runs it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.seen: list[Caught] = []

    @property
    def executed(self) -> int:
        count: int = self.inner.executed
        return count

    async def text(
        self,
        sql: str,
        parameters: Sequence[Any] = (),
        timeout: float = STATEMENT_TIMEOUT,
        *,
        stable: bool = False,
    ) -> str:
        self.seen.append(Caught(sql, list(parameters), stable))
        answer: str = await self.inner.text(sql, parameters, timeout, stable=stable)
        return answer

    async def close(self) -> None:
        await self.inner.close()


class Caught(NamedTuple):
    """A statement the API ran: its SQL, its parameters, and whether its plan may be kept
    (`Statements.text`'s `stable`: the API runs it on sessions that allow a generic plan)."""

    sql: str
    parameters: list[Any]
    stable: bool = False


def api_statements(
    url: str, queries: dict[str, tuple[str, dict[str, Any]]]
) -> dict[str, list[Caught]]:
    """The SQL the API's compiled path runs for each query, with its parameters."""
    import httpx

    from server.app import create_app
    from server.settings import Settings

    async def catch() -> dict[str, list[Caught]]:
        # The served API's limits: `make bench` raises the node limit for Q2.
        app = create_app(Settings(database_url=url, seed_world=False, limits=served_limits()))
        caught: dict[str, list[Caught]] = {}
        async with app.router.lifespan_context(app):
            plans = app.state.operations.plans
            if plans is None:
                return caught
            # The primary's runner is the one a request's statement runs on.
            primary = app.state.operations.replicas.primary
            recorder = Recorder(primary.statements)
            plans.statements = primary.statements = recorder
            async with httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://b"
            ) as client:
                for q, (text, variables) in queries.items():
                    recorder.seen = []
                    await client.post("/graphql", json={"query": text, "variables": variables})
                    caught[q] = recorder.seen
            plans.statements = primary.statements = recorder.inner
        return caught

    return asyncio.run(catch())


def _literal(value: Any) -> str:
    """A parameter as an SQL literal for EXECUTE, of unknown type so the statement's own applies."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date | dt.datetime):
        value = value.isoformat()
    if isinstance(value, list | tuple):
        return "ARRAY[" + ", ".join(_literal(item) for item in value) + "]"
    return "'" + str(value).replace("'", "''") + "'"


async def _postgresql(dsn: str, statements: dict[str, Caught]) -> dict[str, str]:
    import asyncpg

    # Each side's session settings: the API's runner (db/statements.py) asks for custom plans
    # for a statement whose best plan depends on its values; for a stable one, and for the
    # floor, PostgreSQL chooses.
    sides = {
        "custom": {"jit": "off", "plan_cache_mode": "force_custom_plan"},
        "chosen": {"jit": "off"},
    }
    connections = {
        side: await asyncpg.connect(dsn, server_settings=settings)
        for side, settings in sides.items()
    }
    plans = {}
    try:
        for name, (sql, parameters, stable) in statements.items():
            connection = connections["chosen" if stable else "custom"]
            await connection.execute(f"PREPARE measured AS {sql}")
            run = "EXECUTE measured"
            if parameters:
                run += "(" + ", ".join(_literal(value) for value in parameters) + ")"
            for _ in range(5):
                await connection.execute(run)
            rows = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {run}")
            plans[name] = "\n".join(row[0] for row in rows)
            await connection.execute("DEALLOCATE measured")
    finally:
        for connection in connections.values():
            await connection.close()
    return plans


def _sqlite(path: str, statements: dict[str, Caught]) -> dict[str, str]:
    from db import sqlite_driver

    async def explain() -> dict[str, str]:
        connection = await sqlite_driver.connect(path)
        plans = {}
        try:
            for name, (sql, parameters, _) in statements.items():
                rows = await connection.execute_fetchall(f"EXPLAIN QUERY PLAN {sql}", parameters)
                depth: dict[int, int] = {0: 0}
                lines = []
                for node, parent, _, detail in rows:
                    depth[node] = depth.get(parent, 0) + 1
                    lines.append("  " * (depth[node] - 1) + str(detail))
                plans[name] = "\n".join(lines)
        finally:
            await connection.close()
        return plans

    return asyncio.run(explain())


def write(
    database: str,
    url: str,
    queries: dict[str, tuple[str, dict[str, Any]]],
) -> list[Path]:
    """Explain each query's statements, the API's and the floor's, into bench/plans/."""
    postgresql = database == "postgresql"
    statements: dict[str, Caught] = {}
    caught = api_statements(url, queries)
    missing = [q for q in queries if not caught.get(q)]
    for q, found in caught.items():
        for n, statement in enumerate(found, 1):
            suffix = "" if len(found) == 1 else f"-{n}"
            statements[f"{database}-{q}-api{suffix}"] = statement
    for q, (_, variables) in queries.items():
        floored = floor.STATEMENTS.get(q, q)
        values = [variables[name] for name in floor.PARAMETERS[floored]]
        dialect = floor.POSTGRESQL if postgresql else floor.SQLITE
        statements[f"{database}-{q}-floor"] = Caught(dialect[floored], values, stable=True)
    location = make_url(url)
    if postgresql:
        dsn = location.set(drivername="postgresql").render_as_string(hide_password=False)
        plans = asyncio.run(_postgresql(dsn, statements))
    else:
        plans = _sqlite(str(location.database), statements)
    PLANS.mkdir(exist_ok=True)
    written = []
    for name, plan in sorted(plans.items()):
        sql, parameters, stable = statements[name]
        path = PLANS / f"{name}.txt"
        planned = ""
        if postgresql:
            planned = (
                "-- planned: " + ("as PostgreSQL chooses" if stable else "for each run") + "\n"
            )
        path.write_text(f"-- parameters: {parameters!r}\n{planned}{sql.strip()}\n\n{plan}\n")
        written.append(path)
    for q in missing:  # said in a file, so the gap shows in bench/plans/ and its diff
        path = PLANS / f"{database}-{q}-api.txt"
        path.write_text("No compiled statement was caught: the resolvers answered this query.\n")
        written.append(path)
    return written
