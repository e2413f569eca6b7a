"""Both execution paths, side by side: a compiled answer must equal the resolvers' answer.

The resolvers are the reference. `compare` sends a query again with compiled execution
switched off and requires the same body: on SQLite byte for byte, on PostgreSQL (whose
`json` output spaces its separators) the same JSON text once re-encoded compactly, which
keeps key order and tells 1 from 1.0. Request IDs, which differ per request, are set aside.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
from graphql import OperationType
from starlette.applications import Starlette

from schema.compiled.plans import Plan, Plans
from schema.execution import Operations

# What the differential checks saw over the whole run, for the summary pytest prints.
tally: Counter[str] = Counter()
# How many of those compared a request where a test sent it, the corpus not holding it yet.
unrecorded = 0


@contextlib.contextmanager
def resolvers_only(operations: Operations) -> Iterator[None]:
    """Compiled execution switched off for the duration."""
    plans, operations.plans = operations.plans, None
    try:
        yield
    finally:
        operations.plans = plans


def canonical(content: bytes) -> str:
    """A response body re-encoded compactly, without per-request IDs and without where the
    client's budget stands (`rateLimit`), which every request moves."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: strip(item)
                for key, item in value.items()
                if key not in ("requestId", "rateLimit")
            }
        if isinstance(value, list):
            return [strip(item) for item in value]
        return value

    return json.dumps(strip(json.loads(content)), ensure_ascii=False, separators=(",", ":"))


def plan_for(operations: Operations, query: str, variables: dict[str, Any]) -> Plan | None:
    """The plan compiled execution made for this request, if it made one."""
    prepared = operations.prepare(query)
    if operations.plans is None or prepared.runnable is None:
        return None
    try:
        operation = operations.operation(prepared.runnable, None)
    except Exception:
        return None
    if operation.operation != OperationType.QUERY:
        return None
    return operations.plans.cached(Plans.key(operation, variables))


def _without_cost(body: bytes) -> bytes:
    """A response body less its `extensions.cost`, which comes last, byte for byte otherwise."""
    cut = body.rfind(b',"extensions":{"cost":')
    return body if cut < 0 else body[:cut] + b"}"


async def compare(
    app: Starlette,
    client: httpx.AsyncClient,
    query: str,
    variables: dict[str, Any],
    compiled: bytes,
) -> Plan | None:
    """Require the resolvers' answer to the request to equal `compiled`; the plan used, if any."""
    operations: Operations = app.state.operations
    plan = plan_for(operations, query, variables)
    if plan is None:
        tally["not a query, or not valid"] += 1
        return None
    assert operations.plans is not None
    assert operations.plans.failures == 0, "a compiled statement failed (see the log)"
    with resolvers_only(operations):
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    # The cost may differ: a kept plan holds the estimate it was checked against when made.
    compiled, reference = _without_cost(compiled), _without_cost(response.content)
    if plan.compiled is None:
        tally[f"answered by the resolvers ({plan.uncovered})"] += 1
    else:
        tally["compiled"] += 1
    if app.state.engine.dialect.name == "sqlite" and "requestId" not in reference.decode():
        assert compiled == reference, f"compiled:\n{compiled!r}\nresolvers:\n{reference!r}"
    else:
        assert canonical(compiled) == canonical(reference), (
            f"compiled:\n{compiled!r}\nresolvers:\n{reference!r}"
        )
    return plan
