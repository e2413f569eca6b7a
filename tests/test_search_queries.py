"""The search box on the whole world: the fixed list of tests/search_queries.tsv, scored."""

import asyncio

import pytest
from conftest import client_of, started
from search_queries import QUERY, first_result, search_queries

from server.settings import Settings

# Slow: the whole Wikidata release loaded.
pytestmark = pytest.mark.slow

# How many of the list's queries must give their expected first result.
REQUIRED = 48


def test_the_search_list_finds_the_obvious_first(
    world: str, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = search_queries()
    assert len(rows) >= 50

    async def ask() -> list[str]:
        async with started(Settings(database_url=world)) as app, client_of(app) as client:
            found = []
            for text, _ in rows:
                response = await client.post(
                    "/graphql", json={"query": QUERY, "variables": {"text": text}}
                )
                nodes = response.json()["data"]["search"]["nodes"]
                found.append(first_result(nodes[0] if nodes else None))
            return found

    answers = asyncio.run(ask())
    wrong = [
        (text, expected, got)
        for (text, expected), got in zip(rows, answers, strict=True)
        if got != expected
    ]
    with capsys.disabled():
        print(f"\nsearch list: {len(rows) - len(wrong)} of {len(rows)} right; wrong: {wrong}")
    assert len(rows) - len(wrong) >= REQUIRED, wrong
