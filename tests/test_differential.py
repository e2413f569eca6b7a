"""Generated queries, run by a compiled server and by a resolvers-only one: the same answers.

Both servers are real processes on one database seeded with the article; the
resolvers-only one runs with BILATERAL_COMPILED=off. Every answer must match, errors
included (request IDs aside), and a good share must have been compiled for the
comparison to mean anything.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator

import pytest
from databases import Databases
from differential import canonical
from generated_queries import Queries
from hypothesis import HealthCheck, given, settings
from servers import serving

from schema import schema

QUERIES = Queries(schema._schema)


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    databases = Databases(tmp_path_factory.mktemp("differential"))
    url = databases.new()
    try:
        with (
            serving(url) as compiled,
            serving(url, environment={"BILATERAL_COMPILED": "off"}) as resolvers,
        ):
            yield compiled, resolvers
    finally:
        databases.drop_all()


def _ask(base: str, query: str) -> tuple[int, bytes, str]:
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(f"{base}/graphql", body, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read(), answer.headers.get("X-Bilateral-Execution", "")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read(), refused.headers.get("X-Bilateral-Execution", "")


# Slow: servers in processes of their own, and 200 generated queries.
@pytest.mark.slow
def test_generated_queries_get_the_same_answers_from_both_paths_and_most_are_compiled(
    servers: tuple[str, str],
) -> None:
    """Every answer matches; and a fair share came from SQL, or the comparison means little.

    The count is kept by this test alone, so it holds whichever tests run, in any order.
    """
    compiled, resolvers = servers
    seen: Counter[str] = Counter()

    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,  # the same queries on every run: a failure here is never a fluke
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(query=QUERIES.query())
    def compare(query: str) -> None:
        status, answer, execution = _ask(compiled, query)
        reference_status, reference, _ = _ask(resolvers, query)
        seen[execution] += 1
        assert status == reference_status, query
        assert canonical(answer) == canonical(reference), f"{query}\n{answer!r}\n{reference!r}"

    compare()
    assert sum(seen.values()) >= 100
    assert seen["compiled"] >= sum(seen.values()) // 3, seen


def test_canonical_ignores_request_ids() -> None:
    a = b'{"errors":[{"message":"x","extensions":{"requestId":"1"}}],"data":null}'
    b = b'{"errors": [{"message": "x", "extensions": {"requestId": "2"}}], "data": null}'
    assert canonical(a) == canonical(b)
    assert canonical(b'{"a":1}') != canonical(b'{"a":1.0}')
    spent = b'{"data":{},"extensions":{"cost":{"rateLimit":{"used":1}}}}'
    assert canonical(spent) == canonical(spent.replace(b'"used":1', b'"used":2'))
