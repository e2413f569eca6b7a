"""No N+1: the statements a query costs depend on its shape, not on how many rows it returns."""

import copy
from pathlib import Path
from typing import Any

import yaml
from conftest import StatementCounter, client_of, started
from databases import Databases
from sqlalchemy import event

from db.session import make_sessions
from schema.limits import Limits
from seed.load import ARTICLE, seed_database
from server.settings import Settings

NESTED = """{
    relation(between: ["BE", "MY"]) {
        missions { name country { code } hostCountry { code } address
            accreditations { target { __typename ... on Country { code } ... on Organization { name } } }
            heads { title person { name
                positions { title country { code } organization { name } }
                participations(first: 100) { totalCount nodes { role event { title
                    participants { role participant { __typename
                        ... on Person { name country { code } }
                        ... on Organization { name country { code } }
                        ... on Mission { name }
                        ... on Country { code } } }
                    countries { code } quotes { text speaker { name } } figures { value }
                    sources { section } } } } } } }
        events(first: 100) { totalCount nodes { title place { name country { code } }
            participants { participant { ... on Person { name headships { mission { name } } } } } } }
    }
    events(first: 100) { nodes { title countries { name relations { established } } } }
}"""


def _scaled_article(copies: int) -> dict[str, Any]:
    """The article's entries repeated `copies` times under distinct names."""
    article: dict[str, Any] = yaml.safe_load(ARTICLE.read_text(encoding="utf-8"))
    scaled = copy.deepcopy(article)
    for key in ("organizations", "people", "missions", "events"):
        scaled[key] = []
    for index in range(copies):
        suffix = f" {index}" if index else ""

        def rename(name: str, suffix: str = suffix) -> str:
            return name + suffix

        for organization in copy.deepcopy(article["organizations"]):
            organization["name"] = rename(organization["name"])
            scaled["organizations"].append(organization)
        for person in copy.deepcopy(article["people"]):
            person["name"] = rename(person["name"])
            for position in person.get("positions", []):
                if "organization" in position:
                    position["organization"] = rename(position["organization"])
            scaled["people"].append(person)
        for mission in copy.deepcopy(article["missions"]):
            mission["name"], mission["city"] = rename(mission["name"]), rename(mission["city"])
            for accreditation in mission.get("accreditations", []):
                if "organization" in accreditation:
                    accreditation["organization"] = rename(accreditation["organization"])
            for head in mission.get("heads", []):
                head["person"] = rename(head["person"])
            scaled["missions"].append(mission)
        for item in copy.deepcopy(article["events"]):
            item["title"] = rename(item["title"])
            for participant in item.get("participants", []):
                for kind in ("person", "organization", "mission"):
                    if kind in participant:
                        participant[kind] = rename(participant[kind])
            for quote in item.get("quotes", []):
                quote["speaker"] = rename(quote["speaker"])
            scaled["events"].append(item)
    for relation in scaled["relations"]:
        relation["organizations"] = [
            f"{name} {index}" if index else name
            for index in range(copies)
            for name in relation["organizations"]
        ]
    return scaled


async def _statements_for(
    tmp_path: Path, url: str, copies: int, *, compiled: bool = False
) -> tuple[int, dict[str, Any]]:
    """The statements NESTED costs on the article copied `copies` times, and its data (`url`:
    a seeded database, which the scaled article replaces)."""
    seed_file = tmp_path / f"article-x{copies}.yaml"
    seed_file.write_text(
        yaml.safe_dump(_scaled_article(copies), allow_unicode=True), encoding="utf-8"
    )
    # The query is far beyond the default node estimate on purpose: it is here to count statements.
    settings = Settings(
        database_url=url, seed_world=False, limits=Limits(max_nodes=10**9), compiled=compiled
    )
    async with started(settings) as app:
        await seed_database(make_sessions(app.state.engine), seed_file, reset=True)
        # The request's statements, less the budgets' sharing (tests/conftest.py).
        counter = StatementCounter(app)
        event.listen(app.state.engine.sync_engine, "before_cursor_execute", counter)
        async with client_of(app) as client:
            response = await client.post("/graphql", json={"query": NESTED})
        event.remove(app.state.engine.sync_engine, "before_cursor_execute", counter)
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return counter.count, body["data"]


async def test_nested_query_statement_count_does_not_grow_with_rows(
    tmp_path: Path, databases: Databases
) -> None:
    """On the resolvers, ten and twenty times the article cost the same statements; the article alone no more.

    (At 1x every page holds all its rows, so more of them are already loaded elsewhere
    in the request: a small dataset may cost fewer statements.) Which loader's batch
    resolves first can shift by a statement or two with the database's response times
    (on PostgreSQL); growing with the data would mean hundreds more.
    """
    seed_count, seed = await _statements_for(tmp_path, databases.seeded(), 1)
    ten_count, ten = await _statements_for(tmp_path, databases.seeded(), 10)
    twenty_count, twenty = await _statements_for(tmp_path, databases.seeded(), 20)
    missions = [len(found["relation"]["missions"]) for found in (seed, ten, twenty)]
    assert missions == [3, 30, 60]
    events = [found["relation"]["events"]["totalCount"] for found in (seed, ten, twenty)]
    assert events == [13, 130, 260]
    assert abs(twenty_count - ten_count) <= 2
    assert seed_count <= ten_count + 2 and max(seed_count, ten_count, twenty_count) < 42


async def test_a_compiled_query_is_one_statement_at_any_size(
    tmp_path: Path, databases: Databases
) -> None:
    """Compiled, the same query is one statement on the article and on twenty copies of it,
    and its answer is the resolvers' answer."""
    for copies in (1, 20):
        url = databases.seeded()
        count, found = await _statements_for(tmp_path, url, copies, compiled=True)
        assert count == 1
        _, reference = await _statements_for(tmp_path, url, copies, compiled=False)
        assert found == reference
        assert len(found["relation"]["missions"]) == 3 * copies
