"""The whole Wikidata release, loaded as a first start loads it: every row accounted for, no post twice."""

import asyncio
import re
from typing import Any

import pytest
from conftest import client_of, started
from databases import Databases, run_apart
from sqlalchemy import exists, func, select

from db import models
from db.country_names import display_name, known_as
from db.session import make_engine
from server.cli import main
from server.settings import Settings

# Slow: the whole Wikidata release loaded.
pytestmark = pytest.mark.slow

COUNT_NL = """{ missions(country: "NL") { totalCount } }"""
MERGED = """{ country(code: "BE") { hostedMissions(kind: [EMBASSY]) {
    name wikidata country { code } sources { title } } } }"""
BRUNEI = """{ country(code: "Q921") { accreditedMissions(kind: [EMBASSY]) { name } } }"""
COUNTS = """{ qualityIssueCounts { kind count } }"""
# The United Kingdom's embassies, and its high commissions beside them when asked for.
UK = """{ country(code: "GB") { embassies { kind }
    all: embassies(kind: [EMBASSY, HIGH_COMMISSION]) { kind } } }"""
# The release's faults as the README counts them.
FLAGGED = {
    "OPENED_BEFORE_SENDER_EXISTED": 14,
    "OPENED_BEFORE_HOST_EXISTED": 26,
    "COORDINATES_OUTSIDE_HOST": 15,
    "ACCREDITED_TO_SENDER": 4,
    "HOST_CONTRADICTS_CITY": 5,
    "POST_WITHOUT_ACCREDITATION": 1174,
}


async def _names(url: str) -> tuple[list[tuple[str, str, str]], int]:
    """Each post of the release: its name, its sender's code and its sender's name; and how
    many posts of any source are accredited to nothing."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            M, C, A = models.Mission, models.Country, models.Accreditation
            rows = await connection.execute(
                select(M.name, C.code, C.name)
                .join(C, C.id == M.country_id)
                .where(M.wikidata.is_not(None))
            )
            unaccredited = await connection.scalar(
                select(func.count()).select_from(M).where(~exists().where(A.mission_id == M.id))
            )
            return [(row[0], row[1], row[2]) for row in rows], unaccredited or 0
    finally:
        await engine.dispose()


Without = list[tuple[str, bool, int]]


async def _duplicates(url: str) -> tuple[int, int, Without, list[tuple[str | None, int]]]:
    """Posts with a Wikidata ID, distinct IDs, posts without one (by sender, and whether they
    bear an id of the Office of the Historian's), and IDs held twice."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            M = models.Mission
            with_id = await connection.scalar(
                select(func.count()).select_from(M).where(M.wikidata.is_not(None))
            )
            distinct = await connection.scalar(select(func.count(func.distinct(M.wikidata))))
            historian = (M.historian_post_id.is_not(None)) | (M.historian_id.is_not(None))
            without = await connection.execute(
                select(models.Country.code, historian, func.count())
                .join(models.Country, models.Country.id == M.country_id)
                .where(M.wikidata.is_(None))
                .group_by(models.Country.code, historian)
                .order_by(models.Country.code)
            )
            twice = await connection.execute(
                select(M.wikidata, func.count())
                .where(M.wikidata.is_not(None))  # posts without one are counted apart
                .group_by(M.wikidata)
                .having(func.count() > 1)
            )
            return (
                with_id or 0,
                distinct or 0,
                [(row[0], bool(row[1]), row[2]) for row in without],
                [(row[0], row[1]) for row in twice],
            )
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
    # The first start also loads the US's posts since 1776 (gsh) and its chiefs of mission
    # (pocom), after the release: they make the US posts the release lacks.
    assert "1170 US posts read: 981 created, 0 updated, 188 merged" in out
    assert "posts {'merged': 169, 'created': 46}" in out
    with_id, distinct, without, twice = run_apart(lambda: _duplicates(url))
    assert (with_id, distinct, twice) == (9732, 9732, [])
    # Without a Wikidata ID: the article's honorary consulate in Penang, which Wikidata lacks,
    # and the 981 + 46 US posts the Office of the Historian's archives made, each with its id there.
    assert without == [("BE", False, 1), ("US", True, 1027)]

    async def ask() -> list[dict[str, Any]]:
        settings = Settings(database_url=url)  # a later start: it loads nothing
        async with started(settings) as app, client_of(app) as client:
            answers = []
            for query in (COUNT_NL, MERGED, BRUNEI, COUNTS, UK):
                response = await client.post("/graphql", json={"query": query})
                answers.append(response.json()["data"])
            return answers

    count, merged, brunei, counts, uk = asyncio.run(ask())
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
    kinds = {kind: len(uk["country"][field]) for kind, field in (("E", "embassies"), ("A", "all"))}
    assert kinds == {"E": 111, "A": 157}  # the 46 high commissions are there when asked for
    found = {c["kind"]: c["count"] for c in counts["qualityIssueCounts"]}
    assert {kind: found[kind] for kind in FLAGGED} == FLAGGED
    posts, unaccredited = run_apart(lambda: _names(url))
    assert unaccredited == 0  # 1,172 were: each is accredited to its host, and flagged
    # No name ends in a bare Wikidata ID (112 did): twins are told apart by the year one opened.
    assert [name for name, _, _ in posts if re.search(r"\(Q[1-9][0-9]*\)$", name)] == []
    assert "High Commission of the Maldives, New Delhi (opened 2004)" in {p[0] for p in posts}
    # Every post is named with its sender's name as the country's row has it ("Turkey").
    assert [
        (name, sender) for name, code, sender in posts if code != "VA" and sender not in name
    ] == []
    # ... and with no other form of any country's name ("Türkiye", "Czechia") than its row's.
    others = {
        other
        for code, forms in known_as().items()
        for other in forms
        if other not in display_name(code)
    }
    named = {
        (name, country.removeprefix("the "))
        for name, _, _ in posts
        for country in re.findall(r"\b(?:of|to|in) (.+?)(?=,| in | to |$)", name)
    }
    assert sorted((name, country) for name, country in named if country in others) == []
