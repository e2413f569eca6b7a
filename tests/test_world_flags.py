"""The release's faults flagged on import, never laundered: the post keeps the source's values,
its name is made from what is plausible, and a quality issue says why."""

from pathlib import Path

import pytest
from conftest import GraphQL
from releases import import_posts

from db.quality import beginnings

CHINA_IN_SOUTH_TARAWA = "Q106540854"  # at Iceland's coordinates
ISRAEL_IN_SEOUL = "Q106151598"  # in Nigeria
BELGIUM_IN_HAVANA = "Q104549794"  # in Zagreb
NETHERLANDS_IN_MAKATI = "Q38084660"  # hosted in Palau
SPAIN_IN_BUDAPEST = "Q63869482"  # accredited to Spain
CHINA_IN_CONAKRY = "Q107021297"  # accredited to China
SWITZERLAND_IN_BRUSSELS = "Q98843778"  # accredited to nothing
NUNCIATURE_TO_THE_EU = "Q12784987"

ISSUES = """{ qualityIssues(kind: [COORDINATES_OUTSIDE_HOST, ACCREDITED_TO_SENDER,
    HOST_CONTRADICTS_CITY, POST_WITHOUT_ACCREDITATION], first: 50) {
    nodes { kind message subject { ... on Mission { name wikidata } } } } }"""


@pytest.fixture
async def imported(
    data: GraphQL, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> list[tuple[str, str, str]]:
    await import_posts(
        database_url,
        monkeypatch,
        tmp_path,
        CHINA_IN_SOUTH_TARAWA,
        ISRAEL_IN_SEOUL,
        BELGIUM_IN_HAVANA,
        NETHERLANDS_IN_MAKATI,
        SPAIN_IN_BUDAPEST,
        CHINA_IN_CONAKRY,
        SWITZERLAND_IN_BRUSSELS,
        NUNCIATURE_TO_THE_EU,
    )
    nodes = (await data(ISSUES))["qualityIssues"]["nodes"]
    return [(node["subject"]["wikidata"], node["kind"], node["message"]) for node in nodes]


async def test_coordinates_outside_the_host_are_flagged_with_where_they_are(
    imported: list[tuple[str, str, str]],
) -> None:
    outside = {
        qid: message for qid, kind, message in imported if kind == "COORDINATES_OUTSIDE_HOST"
    }
    assert "outside Kiribati, in Iceland" in outside[CHINA_IN_SOUTH_TARAWA]
    assert "outside South Korea, in Nigeria" in outside[ISRAEL_IN_SEOUL]
    assert "outside Cuba, in Croatia" in outside[BELGIUM_IN_HAVANA]
    assert "outside Palau, in the Philippines" in outside[NETHERLANDS_IN_MAKATI]
    assert SWITZERLAND_IN_BRUSSELS not in outside


async def test_a_host_its_city_contradicts_is_flagged(imported: list[tuple[str, str, str]]) -> None:
    assert (
        NETHERLANDS_IN_MAKATI,
        "HOST_CONTRADICTS_CITY",
        "The source puts the post in Palau, but its city, Makati, is in the Philippines (GeoNames).",
    ) in imported


async def test_a_post_accredited_to_its_sender_is_flagged_and_named_for_its_host(
    imported: list[tuple[str, str, str]], data: GraphQL
) -> None:
    flagged = {qid for qid, kind, _ in imported if kind == "ACCREDITED_TO_SENDER"}
    assert flagged == {SPAIN_IN_BUDAPEST, CHINA_IN_CONAKRY}
    query = """{ missions(hostCountry: "HU", kind: [EMBASSY]) { nodes { name
        accreditations { target { ... on Country { code } } } } } }"""
    [spain] = (await data(query))["missions"]["nodes"]
    assert spain["name"] == "Embassy of Spain, Budapest District VI"
    # The source's value is kept; the host is added, with the flag saying why.
    assert sorted(a["target"]["code"] for a in spain["accreditations"]) == ["ES", "HU"]


async def test_a_post_with_no_accreditation_covers_its_host_and_is_flagged(
    imported: list[tuple[str, str, str]], data: GraphQL
) -> None:
    assert (
        SWITZERLAND_IN_BRUSSELS,
        "POST_WITHOUT_ACCREDITATION",
        "The source names nothing the post covers; it is taken to cover its host, Belgium.",
    ) in imported
    query = """{ country(code: "BE") { accreditedMissions(kind: [EMBASSY]) { name } } }"""
    names = [m["name"] for m in (await data(query))["country"]["accreditedMissions"]]
    assert "Embassy of Switzerland, Brussels" in names


async def test_the_nunciature_to_the_european_union_is_named_for_it(
    imported: list[tuple[str, str, str]], data: GraphQL
) -> None:
    query = """{ missions(country: "VA") { nodes { name } } }"""
    names = [m["name"] for m in (await data(query))["missions"]["nodes"]]
    assert "Apostolic Nunciature to the European Union in Belgium" in names


async def test_the_flags_are_counted(imported: list[tuple[str, str, str]], data: GraphQL) -> None:
    counts = {
        c["kind"]: c["count"]
        for c in (await data("{ qualityIssueCounts { kind count } }"))["qualityIssueCounts"]
    }
    assert counts["COORDINATES_OUTSIDE_HOST"] == 4
    assert counts["ACCREDITED_TO_SENDER"] == 2
    assert counts["HOST_CONTRADICTS_CITY"] == 1
    assert counts["POST_WITHOUT_ACCREDITATION"] == 3


async def test_a_post_opened_before_its_sender_existed_is_an_issue(
    editor: GraphQL, data: GraphQL
) -> None:
    began = (await data("""{ country(code: "CSHH") { existedFrom } }"""))["country"]["existedFrom"]
    assert began == "1918"
    created = await editor(
        """mutation { createMission(input: {kind: LEGATION, country: "CSHH", hostCountry: "BE",
            city: "Brussels", opened: "1900", sources: [{title: "A register"}]}) {
            mission { name } userErrors { code } } }"""
    )
    name = created["data"]["createMission"]["mission"]["name"]
    found = await data(
        """{ qualityIssues(kind: [OPENED_BEFORE_SENDER_EXISTED]) { nodes { message } } }"""
    )
    assert found["qualityIssues"]["nodes"] == [
        {"message": f"{name} opened (1900) before Czechoslovakia existed (from 1918)."}
    ]


JAPAN_IN_BRATISLAVA = "Q5369752"  # "opened" in 1300


async def test_a_post_opened_before_its_host_existed_is_an_issue(
    data: GraphQL, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_posts(database_url, monkeypatch, tmp_path, JAPAN_IN_BRATISLAVA)
    query = """{ qualityIssues(kind: [OPENED_BEFORE_SENDER_EXISTED, OPENED_BEFORE_HOST_EXISTED]) {
        nodes { kind message subject { ... on Mission { wikidata opened } } } } }"""
    assert (await data(query))["qualityIssues"]["nodes"] == [
        {
            "kind": "OPENED_BEFORE_HOST_EXISTED",
            "message": "Embassy of Japan, Bratislava opened (1300) before its host, Slovakia, "
            "existed (from 1993-01-01, by Gleditsch and Ward's list of states since 1816).",
            # The source's value is kept; the flag says why it cannot be right.
            "subject": {"wikidata": JAPAN_IN_BRATISLAVA, "opened": "1300"},
        }
    ]
    counts = {
        c["kind"]: c["count"]
        for c in (await data("{ qualityIssueCounts { kind count } }"))["qualityIssueCounts"]
    }
    assert (counts["OPENED_BEFORE_HOST_EXISTED"], counts["OPENED_BEFORE_SENDER_EXISTED"]) == (1, 0)


def test_a_country_begins_where_gleditsch_and_ward_say_and_not_at_their_lists_first_day() -> None:
    found = {code: str(day) for code, day in beginnings().items()}
    assert (found["SK"], found["LT"], found["CZ"]) == ("1993-01-01", "1918-02-16", "1918-11-11")
    # Japan, Germany (as the list's 255) and the United States were there by 1816.
    assert not {"JP", "DE", "US"} & found.keys()
