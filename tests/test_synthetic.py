"""The synthetic network for load tests: deterministic, the requested size, and served like real data."""

import asyncio

from conftest import GraphQL, client_of, started
from databases import Databases, dump

from db.database import Database
from db.migrate import ensure_schema
from seed.synthetic import Sizes, seed_synthetic
from server.settings import Settings


async def _load(url: str, scale: float) -> Sizes | None:
    database = Database.open(url)
    try:
        await ensure_schema(database)
        return await seed_synthetic(database.sessions, scale)
    finally:
        await database.close()


async def test_the_same_scale_gives_the_same_rows(databases: Databases) -> None:
    first, second = databases.new(), databases.new()
    for url in (first, second):
        assert await _load(url, 0.01) == Sizes(
            missions=80, tenures=600, people=400, organizations=50, events=1000
        )
    rows = await asyncio.to_thread(dump, first)
    assert rows == await asyncio.to_thread(dump, second)
    assert len(rows["event"]) == 1000 and len(rows["head_of_mission"]) == 560
    assert 2000 < len(rows["participation"]) < 5000


async def test_a_synthetic_database_is_served(databases: Databases) -> None:
    url = databases.new()
    await _load(url, 0.01)
    async with (
        started(Settings(database_url=url, seed_world=False)) as app,
        client_of(app) as client,
    ):
        answer = await client.post(
            "/graphql",
            json={
                "query": "{ events(first: 3, orderBy: {field: DATE, direction: DESC}) { totalCount nodes { date } } }"
            },
        )
        events = answer.json()["data"]["events"]
        assert events["totalCount"] == 1000
        dates = [node["date"] for node in events["nodes"]]
        assert dates == sorted(dates, reverse=True) and dates[0] <= "2025-12-31"


async def test_a_database_with_facts_is_left_alone_without_reset(
    data: GraphQL, database_url: str
) -> None:
    assert await _load(database_url, 0.01) is None
    found = await data("{ events(first: 0) { totalCount } }")
    assert found["events"]["totalCount"] == 19
