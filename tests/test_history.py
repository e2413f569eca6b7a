"""History told precisely: who came before whom, what the record lacks, and sources that disagree."""

from pathlib import Path
from typing import Any

import pytest
from conftest import GraphQL
from releases import MALAYSIA_IN_BRUSSELS, import_posts
from starlette.applications import Starlette

from db import models
from db.partial_date import PartialDate
from db.session import make_sessions

HEADS = """{ missions(country: "MY", hostCountry: "BE") { nodes { id heads {
    id gapBefore person { name } predecessor { person { name } } successor { person { name } }
    qualityIssues { kind message } } } } }"""
COUNTS = "{ qualityIssueCounts { kind count } }"


def _counts(found: dict[str, Any]) -> dict[str, int]:
    return {row["kind"]: row["count"] for row in found["qualityIssueCounts"] if row["count"]}


async def test_the_articles_one_gap_is_reported_and_nothing_else(data: GraphQL) -> None:
    found = await data(HEADS)
    [post] = found["missions"]["nodes"]
    lai, abbasi = post["heads"]
    assert lai["person"]["name"] == "Peter Stephen Lai"
    # Lai was the first ambassador and Abbasi the current one, with others between them.
    assert (lai["gapBefore"], lai["predecessor"], lai["successor"]) == (False, None, None)
    assert (abbasi["gapBefore"], abbasi["predecessor"], abbasi["successor"]) == (True, None, None)
    assert abbasi["qualityIssues"] == [
        {
            "kind": "UNRECORDED_TENURES",
            "message": "The sources say others headed the post after Peter Stephen Lai and "
            "before Mohd Khalid Abbasi Abdul Razak, without naming them.",
        }
    ]
    assert _counts(await data(COUNTS)) == {"UNRECORDED_TENURES": 1}
    issues = await data("{ qualityIssues { totalCount nodes { kind subject { id } } } }")
    assert issues["qualityIssues"] == {
        "totalCount": 1,
        "nodes": [{"kind": "UNRECORDED_TENURES", "subject": {"id": abbasi["id"]}}],
    }


async def _appoint(editor: GraphQL, mission: str, person: str, start: str) -> str:
    answer = await editor(
        """mutation($m: ID!, $p: ID!, $s: PartialDate!) { appointHead(input: {mission: $m,
            person: $p, title: "Ambassador", start: $s, sources: [{title: "Gazette"}]}) {
            headOfMission { id } userErrors { message } } }""",
        m=mission,
        p=person,
        s=start,
    )
    assert answer["data"]["appointHead"]["userErrors"] == [], answer
    head: str = answer["data"]["appointHead"]["headOfMission"]["id"]
    return head


async def _end(editor: GraphQL, head: str, end: str) -> None:
    answer = await editor(
        """mutation($h: ID!, $e: PartialDate!) { endHeadship(input: {headOfMission: $h, end: $e,
            sources: [{title: "Belgian Official Gazette"}]}) {
            userErrors { message } } }""",
        h=head,
        e=end,
    )
    assert answer["data"]["endHeadship"]["userErrors"] == [], answer


async def test_a_tenure_that_ends_as_the_next_begins_is_its_predecessor(
    editor: GraphQL, data: GraphQL
) -> None:
    found = await data(
        """{ missions(country: "BE", hostCountry: "MY", kind: [EMBASSY]) { nodes { id } }
            people(first: 3) { nodes { id name } } }"""
    )
    post = found["missions"]["nodes"][0]["id"]
    first, second, third = (node["id"] for node in found["people"]["nodes"])
    one = await _appoint(editor, post, first, "2000-02")
    await _end(editor, one, "2004-06")
    two = await _appoint(editor, post, second, "2004-06-15")  # the same month: consecutive
    await _end(editor, two, "2009")
    await _appoint(editor, post, third, "2012")  # years later: others may have come between
    heads = await data(
        """query($id: ID!) { node(id: $id) { ... on Mission { heads { start
            predecessor { start } successor { start } } } } }""",
        id=post,
    )
    assert heads["node"]["heads"] == [
        {"start": "2000-02", "predecessor": None, "successor": {"start": "2004-06-15"}},
        {"start": "2004-06-15", "predecessor": {"start": "2000-02"}, "successor": None},
        {"start": "2012", "predecessor": None, "successor": None},
        {"start": None, "predecessor": None, "successor": None},  # Pascal Gregoire, undated
    ]


async def test_overlaps_posts_without_heads_and_dates_finer_than_their_source_are_flagged(
    app: Starlette, editor: GraphQL, data: GraphQL
) -> None:
    found = await data(
        """{ missions(country: "BE", hostCountry: "MY", kind: [EMBASSY]) { nodes { id } }
            people(first: 2) { nodes { id } } }"""
    )
    post = found["missions"]["nodes"][0]["id"]
    first, second = (node["id"] for node in found["people"]["nodes"])
    one = await _appoint(editor, post, first, "2000")
    await _end(editor, one, "2010")
    await _appoint(editor, post, second, "2005-03")  # while the first was still in office
    opened = await editor(
        """mutation { createMission(input: {kind: CONSULATE, country: "BE", hostCountry: "MY",
            city: "Kuching", sources: [{title: "Gazette"}]}) { mission { id } } }"""
    )
    consulate = opened["data"]["createMission"]["mission"]["id"]
    async with make_sessions(app.state.engine)() as session, session.begin():
        post_row = await session.get(models.Mission, 3)  # Penang: its source says 2022-03-18
        assert post_row is not None and post_row.name.endswith("Penang")
        post_row.opened = PartialDate.parse("2022-03-18")  # as precise as the source
        claim = models.MissionClaim(
            mission_id=2, property="opened", value="1960", source_id=1, rank=models.ClaimRank.NORMAL
        )
        session.add(claim)
        kuala_lumpur = await session.get(models.Mission, 2)
        assert kuala_lumpur is not None
        kuala_lumpur.opened = PartialDate.parse("1960-04-01")
    assert _counts(await data(COUNTS)) == {
        "UNRECORDED_TENURES": 1,
        "OVERLAPPING_TENURES": 1,
        "POST_WITHOUT_HEAD": 1,
        "DATE_MORE_PRECISE_THAN_SOURCE": 1,
    }
    issues = await data(
        """{ qualityIssues(kind: [POST_WITHOUT_HEAD, DATE_MORE_PRECISE_THAN_SOURCE]) {
            nodes { kind message subject { id } } } }"""
    )
    assert issues["qualityIssues"]["nodes"] == [
        {
            "kind": "POST_WITHOUT_HEAD",
            "message": "No source names anyone who headed Consulate of Belgium, Kuching.",
            "subject": {"id": consulate},
        },
        {
            "kind": "DATE_MORE_PRECISE_THAN_SOURCE",
            "message": "The opening date 1960-04-01 is more precise than any source gives it (1960).",
            "subject": {"id": post},
        },
    ]


async def test_the_issues_are_paged_with_cursors(editor: GraphQL, data: GraphQL) -> None:
    for city in ("Ipoh", "Kuching", "Malacca"):
        await editor(
            """mutation($c: String!) { createMission(input: {kind: CONSULATE, country: "BE",
                hostCountry: "MY", city: $c, sources: [{title: "Gazette"}]}) { mission { id } } }""",
            c=city,
        )
    first = await data(
        "{ qualityIssues(first: 2) { nodes { message } pageInfo { hasNextPage endCursor } } }"
    )
    page = first["qualityIssues"]
    assert page["pageInfo"]["hasNextPage"] is True
    rest = await data(
        """query($after: String!) { qualityIssues(first: 10, after: $after) {
            totalCount nodes { message } pageInfo { hasNextPage } } }""",
        after=page["pageInfo"]["endCursor"],
    )
    messages = [n["message"] for n in page["nodes"] + rest["qualityIssues"]["nodes"]]
    assert rest["qualityIssues"]["totalCount"] == 4 == len(messages) == len(set(messages))
    assert rest["qualityIssues"]["pageInfo"]["hasNextPage"] is False


CLAIMS = """{ missions(country: "MY", hostCountry: "BE") { nodes { id city cityWikidata
    claims { id property value wikidata rank version source { title } } } } }"""
RANK = """mutation($claim: ID!, $rank: ClaimRank!, $version: Int) {
    rankClaim(input: {claim: $claim, rank: $rank, expectedVersion: $version}) {
      claim { rank version } mission { city cityWikidata } userErrors { field message code } } }"""


async def test_disagreeing_sources_are_both_kept_and_an_editor_ranks_them(
    app: Starlette,
    editor: GraphQL,
    data: GraphQL,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await import_posts(database_url, monkeypatch, tmp_path, MALAYSIA_IN_BRUSSELS)
    [post] = (await data(CLAIMS))["missions"]["nodes"]
    cities = {c["source"]["title"][:9]: c for c in post["claims"] if c["property"] == "city"}
    article, wikidata = cities["Belgium–M"], cities["Wikidata,"]
    assert (post["city"], article["rank"], wikidata["rank"]) == ("Brussels", "PREFERRED", "NORMAL")
    assert wikidata["value"] == "Woluwe-Saint-Pierre - Sint-Pieters-Woluwe"

    preferred = await editor(RANK, claim=wikidata["id"], rank="PREFERRED", version=1)
    assert preferred["data"]["rankClaim"] == {
        "claim": {"rank": "PREFERRED", "version": 2},
        "mission": {"city": "Woluwe-Saint-Pierre - Sint-Pieters-Woluwe", "cityWikidata": "Q242393"},
        "userErrors": [],
    }
    stale = await editor(RANK, claim=article["id"], rank="DEPRECATED", version=1)
    assert stale["data"]["rankClaim"]["userErrors"] == [
        {
            "field": ["input", "expectedVersion"],
            "message": "The claim is at version 2, not 1: reload it and try again.",
            "code": "CONFLICT",
        }
    ]
    deprecated = await editor(RANK, claim=article["id"], rank="DEPRECATED", version=2)
    assert deprecated["data"]["rankClaim"]["claim"] == {"rank": "DEPRECATED", "version": 3}
    only_way = await editor(RANK, claim=wikidata["id"], rank="NORMAL")
    assert only_way["data"]["rankClaim"]["userErrors"][0]["code"] == "INVALID"
    history = await data(
        """query($t: ID!) { changes(target: $t) { nodes { action after } } }""", t=post["id"]
    )
    actions = [change["action"] for change in history["changes"]["nodes"]]
    assert actions[:2] == ["rankClaim", "rankClaim"]
    ranks = {c["value"]: c["rank"] for c in history["changes"]["nodes"][0]["after"]["claims"]}
    assert ranks["Brussels"] == "DEPRECATED"
    found = await data(
        "query($id: ID!) { node(id: $id) { ... on Claim { value rank } } }", id=article["id"]
    )
    assert found["node"] == {"value": "Brussels", "rank": "DEPRECATED"}
