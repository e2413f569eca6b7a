"""Every query the suite sends, answered by compiled SQL and by the resolvers alike.

The requests are those in tests/corpus.json (tests/corpus.py): each runs once on the
compiled path and once on the resolvers, on one app over a database seeded with the
article, and the two answers must be the same (tests/differential.py). A test sent its
queries to a database it may have changed first; here they meet the seeded one, which
holds something for nearly every query to find.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterator

import differential
import httpx
import pytest
import pytest_asyncio
from conftest import client_of, started
from corpus import Request, load
from databases import Databases, Template
from starlette.applications import Starlette

from server.settings import Settings

REQUESTS = sorted(load())


def _name(request: Request) -> str:
    return hashlib.sha1(f"{request.query}\n{request.variables}".encode()).hexdigest()[:10]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, template: Template) -> Iterator[str]:
    databases = Databases(tmp_path_factory.mktemp("corpus"), template)
    try:
        yield databases.seeded()
    finally:
        databases.drop_all()


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def served(seeded: str) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    """One app for every request: they only read."""
    async with (
        started(Settings(database_url=seeded, seed_world=False)) as app,
        client_of(app) as client,
    ):
        yield app, client


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("request_", REQUESTS, ids=_name)
async def test_both_paths_give_the_same_answer(
    served: tuple[Starlette, httpx.AsyncClient], request_: Request
) -> None:
    app, client = served
    body = request_.body()
    response = await client.post("/graphql", json=body)
    assert response.status_code == 200, response.text
    await differential.compare(app, client, body["query"], body["variables"], response.content)


def test_the_corpus_is_recorded() -> None:
    """An empty or missing corpus.json would make the check above vacuous."""
    assert len(REQUESTS) >= 100
