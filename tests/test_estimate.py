"""How close the node estimate comes to what the README's and the explorer's queries return,
on the database `make run` makes: within 3x either way, but for the queries listed as
still estimated high, each of which the test expects to stay high until the estimate
improves (then it fails, and the entry must go)."""

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import client_of, started
from databases import Databases

from server.cli import main
from server.settings import Settings
from server.trusted import explorer_documents

# Slow: the whole Wikidata release loaded, as `make run` loads it.
pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
READS = [text for text in EXAMPLES if text.lstrip().startswith(("{", "query"))]
EXPLORER = explorer_documents()

# The explorer's views, with the variables they are opened with.
VIEWS = [
    ("COUNTRY_VIEW", {"code": "US"}),
    ("COUNTRY_VIEW", {"code": "NL"}),
    ("COUNTRY_VIEW", {"code": "MY"}),
    ("RELATION_VIEW", {"first": "BE", "second": "MY"}),
    ("RELATION_EVENTS", {"first": "BE", "second": "MY"}),
    ("PERSON_VIEW", {"id": "UGVyc29uOjE"}),
    ("ORGANIZATION_VIEW", {"id": "T3JnYW5pemF0aW9uOjE"}),
    ("PARTICIPATION_PAGE", {"id": "UGVyc29uOjE"}),
    ("POST_VIEW", {"id": "TWlzc2lvbjox"}),
    ("SEARCH_VIEW", {"text": "embassy"}),
    ("SEARCH_PAGE", {"text": "japan"}),
    ("COUNTRY_PAGE", {}),
]
# The two examples of a plain list under twenty countries.
LISTS = [
    "{ countries(first: 20) { nodes { code missions { id } } } }",
    "{ countries(first: 20) { nodes { code missions { accreditations { target { __typename } } } } } }",
]

# Estimated more than 3x high today: a connection counts its page size even where the
# parent has fewer items, a filter counts as if it kept every row, and a list under one
# object counts the field's longest list. Keyed by the view and its first variable, or
# the README example's first words.
STILL_HIGH = {
    "COUNTRY_VIEW MY",
    "RELATION_VIEW BE",
    "RELATION_EVENTS BE",
    "PERSON_VIEW UGVyc29uOjE",
    "ORGANIZATION_VIEW T3JnYW5pemF0aW9uOjE",
    "PARTICIPATION_PAGE UGVyc29uOjE",
    "POST_VIEW TWlzc2lvbjox",
    '{ relation(between: ["BE", "MY"]) { established events(first: 50)',
    '{ missions(country: "MY", hostCountry: "BE", kind: [EMBASSY]) { nodes { name',
    '{ missions(country: "MY", hostCountry: "BE", kind: [EMBASSY], first: 1)',
    '{ missions(country: "MY", hostCountry: "BE", kind: [EMBASSY]) { nodes { city',
    '{ country(code: "BE") { hostedMissions(kind: EMBASSY) { name historianId',
    '{ person(historianId: "legare-hugh-swinton") { name born died careerType',
    '{ missions(country: "MY", hostCountry: "BE", kind: [EMBASSY]) { nodes { heads',
}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database loaded as the first start loads it: the article and the world's posts."""
    databases = Databases(tmp_path_factory.mktemp("estimate"))
    url = databases.new()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", url)
        assert main(["seed", "--world"]) == 0
    yield url
    databases.drop_all()


def _costs(url: str) -> dict[str, tuple[int, int]]:
    """Each query's estimate and the objects it returned, by its key in STILL_HIGH's terms."""

    async def ask() -> dict[str, tuple[int, int]]:
        found: dict[str, tuple[int, int]] = {}
        settings = Settings(database_url=url, seed_world=False)
        async with started(settings) as app, client_of(app) as client:
            requests = [
                (
                    f"{name} {next(iter(variables.values()), '')}".strip(),
                    EXPLORER[name],
                    variables,
                )
                for name, variables in VIEWS
            ]
            requests += [(" ".join(text.split())[:120], text, {}) for text in READS + LISTS]
            for key, query, variables in requests:
                response = await client.post(
                    "/graphql", json={"query": query, "variables": variables}
                )
                body: dict[str, Any] = response.json()
                assert "errors" not in body, (key, body["errors"])
                cost = body["extensions"]["cost"]
                found[key] = (cost["estimatedNodes"], cost["returnedObjects"])
        return found

    return asyncio.run(ask())


def test_the_estimate_stays_within_3x_of_what_returns(world: str) -> None:
    costs = _costs(world)
    keys = {key for key in costs for high in STILL_HIGH if key.startswith(high)}
    assert len(keys) == len(STILL_HIGH), "each entry names one query"
    far = {
        key: (estimate, returned)
        for key, (estimate, returned) in costs.items()
        if not (returned / 3 <= estimate <= 3 * max(returned, 1))
    }
    assert set(far) == keys, {key: costs[key] for key in set(far) ^ keys}
    assert costs[LISTS[0][:120]][0] <= 3 * costs[LISTS[0][:120]][1]
