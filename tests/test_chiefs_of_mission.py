"""US chiefs of mission from the Office of the Historian: small cuts of the real pocom archive
imported into the app's database, then asked for through GraphQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from conftest import GraphQL, StatementCounter
from starlette.applications import Starlette

from db.session import make_sessions
from seed.history.archive import open_archive, shipped
from seed.history.chiefs import ChiefsReport
from seed.history.imports import run_import
from seed.history.pocom import PocomError


def unpack(dataset: str, factory: pytest.TempPathFactory) -> Path:
    """A shipped archive of the Office of the Historian, unpacked: its release's folder."""
    folder = factory.mktemp(dataset)
    shutil.unpack_archive(shipped(dataset), folder, filter="data")
    return folder / dataset


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped pocom archive, unpacked once, to cut small releases from."""
    return unpack("pocom", tmp_path_factory)


def cut(unpacked: Path, into: Path, *countries: str) -> Path:
    """A release of pocom with only these countries' lists (and every person and role)."""
    release = into / "pocom"
    for folder in ("people", "roles-country-chiefs", "code-tables"):
        shutil.copytree(unpacked / folder, release / folder)
    (release / "missions-countries").mkdir()
    for country in countries:
        shutil.copy(
            unpacked / "missions-countries" / f"{country}.xml", release / "missions-countries"
        )
    return release


async def load(app: Starlette, release: Path) -> ChiefsReport:
    report = await run_import(make_sessions(app.state.engine), open_archive(release))
    assert isinstance(report, ChiefsReport)
    return report


BELGIUM = """{ country(code: "BE") { hostedMissions { historianId kind name
  kinds { kind from to }
  heads { title start appointed endNote endKind recordedUntil historianId
          person { name born died careerType historianId } sources { url section } }
  now: head(asOf: "2023-01-01") { person { name } }
  in2019: head(asOf: "2019-01-01") { person { name } }
  in2017: head(asOf: "2017-06-01") { title person { name } } } } }"""


def us_post(answer: dict) -> dict:  # type: ignore[type-arg]
    (post,) = [m for m in answer["country"]["hostedMissions"] if m["historianId"] == "belgium"]
    return post  # type: ignore[no-any-return]


async def test_belgium_has_its_64_heads_typed_and_cited(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path
) -> None:
    # The Holy See's list holds the release's last date (its cutoff), 2021-01-20.
    report = await load(app, cut(unpacked, tmp_path, "belgium", "holy-see"))
    assert report.reasons()["nominee"] == 9 + 4 and report.unchanged == 0
    post = us_post(await data(BELGIUM))
    heads = post["heads"]
    assert len(heads) == 64
    assert heads[0]["person"]["name"] == "Hugh Swinton Legare"
    assert heads[0]["start"] == "1832-09-25" and heads[0]["appointed"] == "1832-04-14"
    assert (
        heads[0]["endNote"] == "Presented recall on" and heads[0]["endKind"] == "PRESENTED_RECALL"
    )
    assert heads[0]["title"] == "Chargé d\u2019Affaires"
    assert heads[0]["sources"][0]["url"].endswith("/chiefsofmission/belgium")
    assert heads[0]["person"]["historianId"] == "legare-hugh-swinton"
    # The list runs from Legare to Gidwitz: a chargé whose start the Office did not record
    # (Schoenfeld, to the government in exile, until 1944) is placed by his end, not last.
    assert heads[-1]["person"]["name"] == "Ronald J. Gidwitz"
    assert heads[-1]["recordedUntil"] == "2021-01-20"
    (schoenfeld,) = [
        index
        for index, head in enumerate(heads)
        if head["person"]["name"] == "Rudolf Emil Schoenfeld" and head["start"] is None
    ]
    assert heads[schoenfeld - 1]["start"] < "1944" < heads[schoenfeld + 1]["start"]
    # Honest time: nobody after the list's cutoff; a chargé between two ambassadors.
    assert post["now"] is None
    assert post["in2019"]["person"]["name"] == "Ronald J. Gidwitz"
    assert post["in2017"]["person"]["name"] == "Matthew R. Lussenhop"
    (legation, embassy) = post["kinds"]
    assert (legation["kind"], legation["from"]) == ("LEGATION", "1832-09-25")
    assert embassy["kind"] == "EMBASSY" and embassy["from"].startswith("1919")
    assert legation["to"] == embassy["from"] and embassy["to"] is None
    assert post["kind"] == "EMBASSY"


async def test_a_person_is_found_by_the_historians_id_and_by_name(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path
) -> None:
    await load(app, cut(unpacked, tmp_path, "belgium"))
    found = await data(
        '{ person(historianId: "legare-hugh-swinton") { name born died headships { title } } '
        'people(search: "LEGARE") { nodes { historianId } } }'
    )
    assert found["person"] == {
        "name": "Hugh Swinton Legare",
        "born": 1797,
        "died": 1843,
        "headships": [{"title": "Chargé d\u2019Affaires"}],
    }
    assert {"historianId": "legare-hugh-swinton"} in found["people"]["nodes"]


async def test_the_same_release_twice_changes_nothing_and_a_newer_one_updates_by_id(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path
) -> None:
    release = cut(unpacked, tmp_path, "belgium")
    await load(app, release)
    again = await load(app, release)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 64)
    path = release / "missions-countries" / "belgium.xml"
    path.write_text(
        path.read_text().replace("<date>1836-06-09</date>", "<date>1836-06-10</date>", 1)
    )
    newer = await load(app, release)
    assert (newer.created, newer.updated, newer.unchanged) == (0, 1, 63)
    post = us_post(await data(BELGIUM))
    assert len(post["heads"]) == 64


async def test_repeated_ids_and_rows_are_noticed_not_stumbled_on(
    app: Starlette, unpacked: Path, tmp_path: Path
) -> None:
    report = await load(app, cut(unpacked, tmp_path, "belize", "turkey"))
    kept = {notice.record_id: notice.reason for notice in report.notices}
    assert "repeated id" in kept["bz-1983-barn-01"]
    assert [s.record_id for s in report.skipped if s.reason.startswith("repeated row")] == [
        "tr-2014-bass-01"
    ]


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ("<date>1832-09-25</date>", "<date>1832-13-25</date>", "has no month 13"),
        (
            "<person-id>legare-hugh-swinton</person-id>",
            "<person-id>nobody</person-id>",
            "no person",
        ),
        (
            "<role-title-id>charge-daffaires</role-title-id>",
            "<role-title-id>x</role-title-id>",
            "unknown role",
        ),
        ("</chiefs>", "", "not well-formed"),
    ],
)
async def test_bad_input_is_reported_and_nothing_written(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path, old: str, new: str, said: str
) -> None:
    release = cut(unpacked, tmp_path, "belgium")
    path = release / "missions-countries" / "belgium.xml"
    path.write_text(path.read_text().replace(old, new, 1))
    with pytest.raises(PocomError, match=said):
        await load(app, release)
    answer = await data('{ country(code: "BE") { hostedMissions { historianId } } }')
    assert all(m["historianId"] is None for m in answer["country"]["hostedMissions"])


async def test_envoys_to_former_states_head_posts_there_or_say_where_they_were_sent(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path
) -> None:
    await load(app, cut(unpacked, tmp_path, "czechoslovakia", "germany", "malaysia"))
    found = await data(
        '{ cshh: country(code: "CSHH") { hostedMissions { heads { person { name } } } }'
        ' de: country(code: "DE") { hostedMissions { historianId heads { note'
        " accreditedTo { code } } } }"
        ' my: country(code: "MY") { hostedMissions { historianId heads { note'
        " accreditedTo { code } } } } }"
    )
    (czechoslovakia,) = found["cshh"]["hostedMissions"]
    assert len(czechoslovakia["heads"]) > 20
    (germany,) = [m for m in found["de"]["hostedMissions"] if m["historianId"] == "germany"]
    to_prussia = [h for h in germany["heads"] if "Commissioned to Prussia" in (h["note"] or "")]
    assert to_prussia and all(h["accreditedTo"] == {"code": "XPRU"} for h in to_prussia)
    (malaysia,) = [m for m in found["my"]["hostedMissions"] if m["historianId"] == "malaysia"]
    to_malaya = [h for h in malaysia["heads"] if "Federation of Malaya" in (h["note"] or "")]
    assert to_malaya and all(h["accreditedTo"] is None for h in to_malaya)  # no such state


@pytest.mark.parametrize(
    "query",
    [
        '{ country(code: "BE") { hostedMissions { heads { title start person { name } } } } }',
        '{ person(historianId: "legare-hugh-swinton") { headships { title mission { name } } } }',
        '{ country(code: "BE") { hostedMissions { head(asOf: "1925-06-01") { person { name } } } } }',
    ],
    ids=["a post's heads", "a person's headships", "head(asOf:)"],
)
async def test_heads_headships_and_the_head_on_a_day_are_one_statement_each(
    app: Starlette,
    client: httpx.AsyncClient,
    statements: StatementCounter,
    unpacked: Path,
    tmp_path: Path,
    query: str,
) -> None:
    await load(app, cut(unpacked, tmp_path, "belgium"))
    before = statements.count
    response = await client.post("/graphql", json={"query": query})
    assert response.headers["x-bilateral-execution"] == "compiled"
    assert "errors" not in response.json() and response.json()["data"]
    assert statements.count - before == 1


async def test_the_datasets_say_what_each_release_brought_in_one_statement(
    app: Starlette,
    client: httpx.AsyncClient,
    statements: StatementCounter,
    unpacked: Path,
    tmp_path: Path,
) -> None:
    await load(app, cut(unpacked, tmp_path, "belgium"))
    before = statements.count
    query = "{ datasets { name publisher version cutoff counts { name count } } }"
    response = await client.post("/graphql", json={"query": query})
    assert response.headers["x-bilateral-execution"] == "compiled"
    assert statements.count - before == 1
    [pocom] = response.json()["data"]["datasets"]
    assert pocom["name"] == "pocom"
    assert pocom["publisher"] == "Office of the Historian, U.S. Department of State"
    # Each sort of record counted, by name; Belgium's 64 tenures and one post.
    counted = {count["name"]: count["count"] for count in pocom["counts"]}
    assert list(counted) == sorted(counted) and counted["posts"] == 1
    assert counted["tenures"] == 64


async def test_a_tenure_a_newer_release_withdraws_is_removed_and_reported(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path
) -> None:
    release = cut(unpacked, tmp_path, "belgium", "denmark")
    await load(app, release)
    path = release / "missions-countries" / "belgium.xml"
    text = path.read_text()
    start = text.index("<chief>")
    path.write_text(text[:start] + text[text.index("</chief>", start) + len("</chief>") :])
    (release / "missions-countries" / "denmark.xml").unlink()  # a post not listed: left alone
    newer = await load(app, release)
    assert newer.removed == 1
    assert [n.reason for n in newer.notices if n.record_id == "be-1832-lega-01"] == [
        "withdrawn: not in this release; removed"
    ]
    post = us_post(await data(BELGIUM))
    assert len(post["heads"]) == 63 and post["heads"][0]["person"]["name"] != "Hugh Swinton Legare"
    denmark = await data(
        '{ country(code: "DK") { hostedMissions { historianId heads { title } } } }'
    )
    (us,) = [m for m in denmark["country"]["hostedMissions"] if m["historianId"] == "denmark"]
    assert us["heads"]


async def test_a_concurrent_appointment_says_where_its_head_lived_and_what_the_post_covered(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path
) -> None:
    release = cut(unpacked, tmp_path, "belgium", "luxembourg")
    shutil.copytree(unpacked / "concurrent-appointments", release / "concurrent-appointments")
    await load(app, release)
    query = """{ lu: country(code: "LU") { hostedMissions { historianId
        heads { start residentIn { code } } } }
      be: country(code: "BE") { hostedMissions { historianId
        accreditations { from to target { ... on Country { code } } } } } }"""
    found = await data(query)
    (luxembourg,) = [m for m in found["lu"]["hostedMissions"] if m["historianId"] == "luxembourg"]
    from_brussels = [h for h in luxembourg["heads"] if h["residentIn"] == {"code": "BE"}]
    assert from_brussels
    (brussels,) = [m for m in found["be"]["hostedMissions"] if m["historianId"] == "belgium"]
    covered = [a for a in brussels["accreditations"] if a["target"] == {"code": "LU"}]
    assert len(covered) == len(from_brussels)
    assert sorted(a["from"] or "" for a in covered) == sorted(
        h["start"] or "" for h in from_brussels
    )
    again = await load(app, release)  # the same release: the same accreditations, no more
    assert again.unchanged == again.rows - len(again.skipped)
    found = await data(query)
    (brussels,) = [m for m in found["be"]["hostedMissions"] if m["historianId"] == "belgium"]
    assert len([a for a in brussels["accreditations"] if a["target"] == {"code": "LU"}]) == len(
        covered
    )


async def test_a_tenure_without_a_start_answers_only_for_the_day_its_head_left_post(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path
) -> None:
    await load(app, cut(unpacked, tmp_path, "burkina-faso"))
    query = """{ country(code: "BF") { hostedMissions { historianId
      left: head(asOf: "2020-03-26") { start end endNote person { name } }
      before: head(asOf: "2020-03-25") { person { name } } } } }"""
    found = await data(query)
    (post,) = [m for m in found["country"]["hostedMissions"] if m["historianId"] == "burkina-faso"]
    assert post["left"]["start"] is None and post["left"]["endNote"] == "Left post on"
    assert post["left"]["end"] == "2020-03-26"
    assert post["before"] is None or post["before"]["person"] != post["left"]["person"]


async def test_a_tenure_ending_before_it_starts_is_kept_and_flagged_through_the_one_writer(
    app: Starlette, data: GraphQL, unpacked: Path, tmp_path: Path
) -> None:
    """The importer writes tenures through the writer mutations use, with the import's policy:
    a fault a mutation refuses (endHeadship before the start) is kept here as the source
    gives it, noticed in the report, and shown to editors as a quality issue."""
    release = cut(unpacked, tmp_path, "belgium")
    path = release / "missions-countries" / "belgium.xml"
    path.write_text(
        path.read_text().replace("<date>1836-06-09</date>", "<date>1831-06-09</date>", 1)
    )
    report = await load(app, release)
    assert report.created == 64
    assert [n.reason for n in report.notices if n.record_id == "be-1832-lega-01"] == [
        "dates out of order: kept as the source gives them"  # noticed once, not again
    ]
    issues = await data(
        "{ qualityIssues(kind: TENURE_ENDS_BEFORE_START, first: 10) "
        "{ nodes { message subject { ... on HeadOfMission { historianId end } } } } }"
    )
    assert issues["qualityIssues"]["nodes"] == [
        {
            "message": "Hugh Swinton Legare's tenure ends (1831-06-09) before it starts (1832-09-25).",
            "subject": {"historianId": "be-1832-lega-01", "end": "1831-06-09"},
        }
    ]
    head = issues["qualityIssues"]["nodes"][0]["subject"]
    changes = await data(
        "query($id: ID!) { changes(first: 5, target: $id) { nodes { action after } } }",
        id=await _head_id(data),
    )
    # The change log holds the tenure's snapshot, as a mutation's entry does.
    [logged] = changes["changes"]["nodes"]
    assert logged["action"] == "importChiefsOfMission"
    after = logged["after"]
    assert (after["person"], after["start"], after["end"], after["historianId"]) == (
        "Hugh Swinton Legare",
        "1832-09-25",
        "1831-06-09",
        head["historianId"],
    )


async def _head_id(data: GraphQL) -> str:
    """The global ID of the first US chief of mission to Belgium."""
    answer = await data(
        '{ country(code: "BE") { hostedMissions { historianId heads { id historianId } } } }'
    )
    (post,) = [m for m in answer["country"]["hostedMissions"] if m["historianId"] == "belgium"]
    return str(next(h["id"] for h in post["heads"] if h["historianId"] == "be-1832-lega-01"))
