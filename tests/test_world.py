"""The whole Wikidata release, loaded as a first start loads it: every row accounted for, no post twice."""

import asyncio
from typing import Any

import pytest
from conftest import client_of, started
from databases import Databases, run_apart
from sqlalchemy import func, select

from db import models
from db.session import make_engine
from server.cli import main
from server.settings import Settings

COUNT_NL = """{ missions(country: "NL") { totalCount } }"""
MERGED = """{ country(code: "BE") { hostedMissions(kind: [EMBASSY]) {
    name wikidata country { code } sources { title } } } }"""
BRUNEI = """{ country(code: "Q921") { accreditedMissions(kind: [EMBASSY]) { name } } }"""


async def _duplicates(url: str) -> tuple[int, int, int, list[tuple[str | None, int]]]:
    """Posts with a Wikidata ID, distinct IDs, posts without one (those of the Office of the
    Historian's archives aside), and IDs held twice."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            M = models.Mission
            with_id = await connection.scalar(
                select(func.count()).select_from(M).where(M.wikidata.is_not(None))
            )
            distinct = await connection.scalar(select(func.count(func.distinct(M.wikidata))))
            # The US's posts from the Office of the Historian's archives (gsh, pocom) aside:
            # those without a Wikidata ID are its closed posts and others Wikidata lacks.
            without = await connection.scalar(
                select(func.count())
                .select_from(M)
                .where(M.wikidata.is_(None), M.historian_id.is_(None))
                .where(M.historian_post_id.is_(None))
            )
            twice = await connection.execute(
                select(M.wikidata, func.count())
                .where(M.wikidata.is_not(None))
                .group_by(M.wikidata)
                .having(func.count() > 1)
            )
            return with_id or 0, distinct or 0, without or 0, [(row[0], row[1]) for row in twice]
    finally:
        await engine.dispose()


def test_the_whole_release_is_accounted_for_and_no_post_is_there_twice(
    databases: Databases,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = databases.new()
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["seed", "--world"]) == 0
    out = capsys.readouterr().out
    # 9,730 + 2 + 120 = 9,852: every row is created, merged or skipped with a reason.
    assert (
        "the world's posts: 9852 rows read: 9730 posts created, 0 updated, "
        "2 merged with posts already there, 0 unchanged, 120 skipped" in out
    )
    with_id, distinct, without, twice = run_apart(lambda: _duplicates(url))
    assert (with_id, distinct, twice) == (9732, 9732, [])
    assert without == 1  # the article's honorary consulate in Penang, which Wikidata lacks

    async def ask() -> list[dict[str, Any]]:
        settings = Settings(database_url=url)  # a later start: it loads nothing
        async with started(settings) as app, client_of(app) as client:
            answers = []
            for query in (COUNT_NL, MERGED, BRUNEI):
                response = await client.post("/graphql", json={"query": query})
                answers.append(response.json()["data"])
            return answers

    count, merged, brunei = asyncio.run(ask())
    assert count == {"missions": {"totalCount": 309}}
    [malaysia] = [
        post for post in merged["country"]["hostedMissions"] if post["country"]["code"] == "MY"
    ]
    assert malaysia == {
        "name": "Embassy of Malaysia, Brussels",
        "wikidata": "Q69876977",
        "country": {"code": "MY"},
        "sources": [
            {"title": "Belgium–Malaysia relations"},
            {"title": "Wikidata, via database-of-embassies (release 2022-11-16)"},
        ],
    }
    names = [post["name"] for post in brunei["country"]["accreditedMissions"]]
    assert "Embassy of Belgium, Kuala Lumpur" in names
