"""Editing imported facts as an editor would: each write is a sourced claim, says no more than
the editor said, and survives an export and a restore."""

import asyncio
from pathlib import Path

import pytest
from conftest import GraphQL, client_of, started
from databases import Databases
from releases import import_posts
from starlette.applications import Starlette

from server.cli import main
from server.settings import Settings

NL_IN_TOKYO = "Q61923811"  # the release places it in Minato-ku (Q190088)
GAZETTE = {"title": "Staatscourant", "section": "2026, 12345"}

POST = """{ missions(country: "NL", hostCountry: "JP") { nodes { id name city cityWikidata
    claims { property value wikidata rank source { title } }
    addresses { address city from to }
    head { person { name } } heads { person { name } start end ongoing } } } }"""
MOVE = """mutation($input: MoveMissionInput!) { moveMission(input: $input) {
    mission { name city cityWikidata } userErrors { field message code } } }"""
APPOINT = """mutation($input: AppointHeadInput!) { appointHead(input: $input) {
    headOfMission { id start end ongoing } userErrors { field message code } } }"""
CREATE = """mutation($input: CreateMissionInput!) { createMission(input: $input) {
    mission { name addresses { address from } accreditations { from } }
    userErrors { field message code } } }"""


async def _dutch_embassy(
    app: Starlette, data: GraphQL, database_url: str, monkeypatch: pytest.MonkeyPatch, tmp: Path
) -> dict[str, object]:
    await import_posts(database_url, monkeypatch, tmp, NL_IN_TOKYO)
    [post] = (await data(POST))["missions"]["nodes"]
    found: dict[str, object] = post
    return found


async def _person(editor: GraphQL, name: str) -> str:
    made = await editor(
        """mutation($name: String!) { createPerson(input: {name: $name}) {
            person { id } userErrors { code } } }""",
        name=name,
    )
    person_id: str = made["data"]["createPerson"]["person"]["id"]
    return person_id


async def test_a_move_makes_the_new_city_the_preferred_claim_and_the_name_follows(
    app: Starlette,
    data: GraphQL,
    editor: GraphQL,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    post = await _dutch_embassy(app, data, database_url, monkeypatch, tmp_path)
    assert (post["name"], post["city"], post["cityWikidata"]) == (
        "Embassy of the Netherlands, Minato-ku",
        "Minato-ku",
        "Q190088",
    )
    moved = await editor(
        MOVE,
        input={
            "mission": post["id"],
            "address": "Marunouchi 1-1",
            "city": "Chiyoda-ku",
            "from": "2026-01",
            "sources": [GAZETTE],
        },
    )
    assert moved["data"]["moveMission"] == {
        "mission": {
            "name": "Embassy of the Netherlands, Chiyoda-ku",
            "city": "Chiyoda-ku",
            "cityWikidata": None,  # none given: none rather than Minato-ku's
        },
        "userErrors": [],
    }
    [after] = (await data(POST))["missions"]["nodes"]
    release = "Wikidata, via database-of-embassies (release 2022-11-16)"
    assert [c for c in after["claims"] if c["property"] == "city"] == [
        {
            "property": "city",
            "value": "Minato-ku",
            "wikidata": "Q190088",
            "rank": "NORMAL",
            "source": {"title": release},
        },
        {
            "property": "city",
            "value": "Chiyoda-ku",
            "wikidata": None,
            "rank": "PREFERRED",
            "source": {"title": "Staatscourant"},
        },
    ]
    assert after["addresses"][-1] == {
        "address": "Marunouchi 1-1",
        "city": "Chiyoda-ku",
        "from": "2026-01",
        "to": None,
    }
    # A move with the city's Wikidata ID records it with the claim and on the post.
    again = await editor(
        MOVE,
        input={
            "mission": post["id"],
            "address": "Kojimachi 2",
            "city": "Chiyoda",
            "cityWikidata": "Q214051",
            "from": "2026-06",
            "sources": [{"title": "Rijksoverheid", "url": "https://www.rijksoverheid.nl/"}],
        },
    )
    assert again["data"]["moveMission"]["mission"] == {
        "name": "Embassy of the Netherlands, Chiyoda",
        "city": "Chiyoda",
        "cityWikidata": "Q214051",
    }
    # A move that names no source is the editor's word, and is sourced to them by name.
    unsourced = await editor(
        MOVE,
        input={
            "mission": post["id"],
            "address": "Toranomon 1",
            "city": "Minato",
            "from": "2026-09",
        },
    )
    assert unsourced["data"]["moveMission"]["userErrors"] == []
    [last] = (await data(POST))["missions"]["nodes"]
    assert [c for c in last["claims"] if c["rank"] == "PREFERRED"] == [
        {
            "property": "city",
            "value": "Minato",
            "wikidata": None,
            "rank": "PREFERRED",
            "source": {"title": "Bilateral editor alice"},
        }
    ]


async def test_an_articles_post_follows_its_new_city_too(data: GraphQL, editor: GraphQL) -> None:
    found = await data("""{ country(code: "BE") { embassies { id name city } } }""")
    [embassy] = found["country"]["embassies"]
    assert embassy["name"] == "Embassy of Belgium, Kuala Lumpur"
    moved = await editor(
        MOVE,
        input={
            "mission": embassy["id"],
            "address": "Jalan Ampang 1",
            "city": "Putrajaya",
            "from": "2026-01",
            "sources": [GAZETTE],
        },
    )
    assert moved["data"]["moveMission"]["mission"]["name"] == "Embassy of Belgium, Putrajaya"


async def test_a_tenure_may_end_unknown_and_no_one_heads_a_post_after_today(
    data: GraphQL, editor: GraphQL
) -> None:
    found = await data("""{ country(code: "MY") { embassies { id head { person { name } } } } }""")
    [embassy] = found["country"]["embassies"]
    today = embassy["head"]
    assert today is not None
    person = await _person(editor, "Jan Janssens")
    appointed = await editor(
        APPOINT,
        input={
            "mission": embassy["id"],
            "person": person,
            "title": "Ambassador",
            "start": "1961",
            "ongoing": False,
            "sources": [GAZETTE],
        },
    )
    assert appointed["data"]["appointHead"]["headOfMission"]["end"] is None
    assert appointed["data"]["appointHead"]["headOfMission"]["ongoing"] is False
    answer = await data(
        """query($id: ID!) { node(id: $id) { ... on Mission {
            now: head { person { name } } then: head(asOf: "1961") { person { name } }
            later: head(asOf: "2099") { person { name } } } } }""",
        id=embassy["id"],
    )
    assert answer["node"] == {
        "now": today,  # the head of an old list is not in office today
        "then": {"person": {"name": "Jan Janssens"}},
        "later": None,  # no one knows who will head the post in 2099
    }
    contradicting = await editor(
        APPOINT,
        input={
            "mission": embassy["id"],
            "person": person,
            "title": "Ambassador",
            "start": "1962",
            "end": "1963",
            "ongoing": True,
            "sources": [GAZETTE],
        },
    )
    assert {
        "field": ["input", "ongoing"],
        "message": "A tenure with an end is not ongoing.",
        "code": "INVALID",
    } in contradicting["data"]["appointHead"]["userErrors"]


async def test_a_second_post_like_one_already_there_is_a_duplicate_named(
    app: Starlette,
    data: GraphQL,
    editor: GraphQL,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    await _dutch_embassy(app, data, database_url, monkeypatch, tmp_path)
    twice = await editor(
        CREATE,
        input={
            "kind": "EMBASSY",
            "country": "NL",
            "hostCountry": "JP",
            "city": "minato-ku",
            "opened": "1859",
            "sources": [GAZETTE],
        },
    )
    assert twice["data"]["createMission"] == {
        "mission": None,
        "userErrors": [
            {
                "field": ["input", "city"],
                "message": "Embassy of the Netherlands, Minato-ku is this post already: the same"
                " country keeps a post of this kind in Minato-ku, in the same country.",
                "code": "DUPLICATE",
            }
        ],
    }
    # A new post is dated only as the editor dates it: opened in 1859, nothing said of since
    # when it is at its address or accredited.
    new = await editor(
        CREATE,
        input={
            "kind": "CONSULATE_GENERAL",
            "country": "NL",
            "hostCountry": "JP",
            "city": "Nagasaki",
            "address": "Dejima 1",
            "opened": "1859",
            "sources": [GAZETTE],
        },
    )
    assert new["data"]["createMission"] == {
        "mission": {
            "name": "Consulate General of the Netherlands, Nagasaki",
            "addresses": [{"address": "Dejima 1", "from": None}],
            "accreditations": [{"from": None}],
        },
        "userErrors": [],
    }


async def test_an_appointment_on_a_releases_post_survives_export_and_restore(
    app: Starlette,
    data: GraphQL,
    editor: GraphQL,
    database_url: str,
    databases: Databases,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    post = await _dutch_embassy(app, data, database_url, monkeypatch, tmp_path)
    person = await _person(editor, "Hester Maij")
    appointed = await editor(
        APPOINT,
        input={
            "mission": post["id"],
            "person": person,
            "title": "Ambassador",
            "start": "2024-09",
            "sources": [GAZETTE],
        },
    )
    assert appointed["data"]["appointHead"]["userErrors"] == []
    [before] = (await data(POST))["missions"]["nodes"]
    assert before["head"] == {"person": {"name": "Hester Maij"}}
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert await asyncio.to_thread(main, ["export", str(tmp_path / "all.jsonl")]) == 0
    restored = databases.new()
    monkeypatch.setenv("DATABASE_URL", restored)
    assert await asyncio.to_thread(main, ["import", str(tmp_path / "all.jsonl")]) == 0
    async with (
        started(Settings(database_url=restored, seed_world=False)) as other,
        client_of(other) as client,
    ):
        response = await client.post("/graphql", json={"query": POST})
    assert response.json()["data"]["missions"]["nodes"] == [before]
