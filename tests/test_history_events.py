"""Events from the Office of the Historian's travels, visits and rdcr (small files cut from the
real archives in tests/history/), and a relation for every pair that has one."""

from __future__ import annotations

import shutil
from pathlib import Path

import httpx
import pytest
from conftest import GraphQL, StatementCounter, client_of, started
from databases import Databases, dump
from sqlalchemy import func, select
from starlette.applications import Starlette

from db.relation_links import unrelated_linked_pairs
from db.session import make_sessions
from seed.history.archive import open_archive
from seed.history.event_records import visit_type
from seed.history.events import read_records
from seed.history.imports import import_archive
from seed.history.rdcr import days_in, key_of, kind_of
from seed.history.visits import split_visitor
from server.cli import main
from server.settings import Settings

CUT = Path(__file__).parent / "history"


@pytest.fixture(autouse=True)
def _reports_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Import reports are written to the working directory: this test's own."""
    monkeypatch.chdir(tmp_path)


def _records(dataset: str):  # type: ignore[no-untyped-def]
    return read_records(open_archive(CUT / dataset))


def test_a_trip_is_an_event_with_its_traveller_in_the_role_and_pocoms_id() -> None:
    travels = _records("travels")
    by_id = {record.record_id: record for record in travels.records}
    wilson = by_id["2665"]
    assert (str(wilson.date), str(wilson.end_date), wilson.territory) == (
        "1919-06-18",
        "1919-06-19",
        "belgium",
    )
    assert wilson.place_name == "Brussels, Charleroi, Malines, Louvain"
    (traveller,) = wilson.people
    assert (traveller.role, traveller.name, traveller.historian_id) == (
        "President",
        "Woodrow Wilson",
        None,
    )
    assert by_id["3994"].people[0].historian_id == "blinken-antony-j"
    # The reviewed table: pocom gives the same person another id, or the id to someone else.
    assert by_id["2327"].people[0].historian_id == "bush-george-herbert-walker"
    assert by_id["2655"].people[0].historian_id is None  # not Taft III, the ambassador
    # A repeated row (Blinken's trips 4019 and 4020 repeat 3992 and 3993) is skipped as such.
    assert [(s.record_id, s.reason) for s in travels.skipped] == [
        ("4019", "repeated row: the same as 3992"),
        ("4020", "repeated row: the same as 3993"),
    ]
    assert travels.rows == len(travels.records) + 2


def test_a_visitor_is_split_into_title_and_name_and_a_visit_has_its_type() -> None:
    assert split_visitor("Prime Minister Alexander De Croo") == [
        ("Prime Minister", "Alexander De Croo")
    ]
    assert split_visitor("President Andrzej Duda and Prime Minister Donald Tusk") == [
        ("President", "Andrzej Duda"),
        ("Prime Minister", "Donald Tusk"),
    ]
    assert split_visitor("President Benigno S. Aquino, 3rd") == [
        ("President", "Benigno S. Aquino, 3rd")
    ]
    assert split_visitor("Prime Minster Adrian Nastase") == [("Prime Minister", "Adrian Nastase")]
    assert split_visitor("Premier and Prince Sihanouk") == [("Premier and Prince", "Sihanouk")]
    assert split_visitor("Valdas Adamkus") == [(None, "Valdas Adamkus")]
    assert visit_type("Official working visit. Private visit to New York City afterward.") == (
        visit_type("Official Working Visit.")
    )
    assert str(visit_type("Met with President Bush during a private visit.")) == "VisitType.PRIVATE"
    assert visit_type("Attended the Nuclear Security Summit.") is None
    visits = {record.record_id: record for record in _records("visits").records}
    assert [(m.role, m.name, m.territory) for m in visits["3256"].people] == [
        ("Prime Minister", "Alexander De Croo", "belgium")
    ]
    assert visits["3256"].visit_type is not None and visits["3256"].visit_type.name == "WORKING"


def test_an_rdcr_entry_is_dated_by_the_first_day_its_text_gives_in_the_headings_year() -> None:
    rdcr = {record.record_id: record for record in _records("rdcr").records}
    established = rdcr[key_of("belgium", "Establishment of Diplomatic Relations, 1832")]
    assert str(established.date) == "1832-06-18"  # not the heading's 1832
    assert established.kind.name == "RELATIONS_ESTABLISHED" and established.establishes
    assert [(m.name, m.historian_id) for m in established.people] == [
        ("Edward Livingston", "livingston-edward")
    ]
    assert established.url == "https://history.state.gov/countries/belgium"
    # The key is the article and a hash of the heading: stable, documented in seed/history/rdcr.py.
    assert (
        key_of("belgium", "Establishment of Diplomatic Relations, 1832") == "belgium:72f2169b2803"
    )
    severed = [r for r in rdcr.values() if r.territory == "iran" and r.status is not None][-1]
    assert severed.status is not None
    assert (severed.kind.name, str(severed.date), severed.status.name) == (
        "RELATIONS_SEVERED",
        "1980-04-07",
        "SEVERED",
    )
    assert (
        kind_of("Elevation of American Legation to Embassy Status, 1946").name
        == "RAISED_TO_EMBASSY"
    )
    assert (
        kind_of("Diplomatic Relations Reestablished and Embassy Reopened").name
        == "RELATIONS_RESUMED"
    )
    assert [str(d) for d in days_in("on June 18, 1832, and on 3 October 1919")] == [
        "1832-06-18",
        "1919-10-03",
    ]


async def _import(app: Starlette, *folders: Path) -> None:
    sessions = make_sessions(app.state.engine)
    for folder in folders:
        assert await import_archive(sessions, folder) == 0


RELATION = """query($between: [String!]!) { relation(between: $between) {
    established status statusSince
    missions { name }
    eventCounts { decade kind count }
    events(first: 100) { totalCount nodes {
        kind date endDate title visitType dataset recordId
        place { name country { code } }
        sources { title section url }
        participants { role participant { ... on Person { name } } }
    } }
    sources { section url }
} }"""


async def test_trips_visits_and_milestones_make_the_belgium_us_relation(
    app: Starlette, data: GraphQL, capsys: pytest.CaptureFixture[str]
) -> None:
    await _import(app, CUT / "travels", CUT / "visits", CUT / "rdcr")
    said = capsys.readouterr().out
    assert (
        "22 travels records read: 20 created, 0 updated, 0 merged, 0 unchanged, 0 removed, 2 skipped"
        in said
    )
    relation = (await data(RELATION, between=["US", "BE"]))["relation"]
    assert (relation["established"], relation["status"], relation["statusSince"]) == (
        "1832-06-18",
        "ESTABLISHED",
        "1832-06-18",
    )
    assert relation["sources"] == [
        {"section": "belgium:72f2169b2803", "url": "https://history.state.gov/countries/belgium"}
    ]
    events = relation["events"]["nodes"]
    kinds = [event["kind"] for event in events]
    assert (
        kinds.count("TRIP") == 15 and kinds.count("VISIT") == 6 and kinds.count("RECOGNITION") == 1
    )
    assert relation["events"]["totalCount"] == 15 + 6 + 6
    wilson = next(e for e in events if e["date"] == "1919-06-18")
    assert wilson["place"] == {
        "name": "Brussels, Charleroi, Malines, Louvain",
        "country": {"code": "BE"},
    }
    assert (wilson["dataset"], wilson["recordId"]) == ("travels", "2665")
    assert wilson["participants"] == [
        {"role": "President", "participant": {"name": "Woodrow Wilson"}}
    ]
    assert wilson["sources"] == [
        {
            "title": "Office of the Historian, U.S. Department of State: Travels Abroad of the President and the Secretary of State",
            "section": "2665",
            "url": "https://history.state.gov/departmenthistory/travels/president/wilson-woodrow",
        }
    ]
    de_croo = [e for e in events if "De Croo" in e["title"]]
    assert [e["visitType"] for e in de_croo] == ["WORKING", None]
    assert {str(e["participants"]) for e in de_croo} == {
        str([{"role": "Prime Minister", "participant": {"name": "Alexander De Croo"}}])
    }
    counts = {(c["decade"], c["kind"]): c["count"] for c in relation["eventCounts"]}
    assert counts[(1830, "RELATIONS_ESTABLISHED")] == 1 and counts[(2020, "TRIP")] == 12
    assert sum(counts.values()) == relation["events"]["totalCount"]
    iran = (await data(RELATION, between=["IR", "US"]))["relation"]
    assert (iran["established"], iran["status"], iran["statusSince"]) == (
        "1883-06-11",
        "SEVERED",
        "1980-04-07",
    )
    # The visitor of two visits is one person, with both.
    person = await data(
        '{ people(search: "Alexander De Croo") { nodes { name country { code } '
        "participations(first: 10) { totalCount } } } }"
    )
    assert person["people"]["nodes"] == [
        {
            "name": "Alexander De Croo",
            "country": {"code": "BE"},
            "participations": {"totalCount": 2},
        }
    ]


async def test_the_questions_users_ask_compile_to_one_statement(
    app: Starlette, client: httpx.AsyncClient, statements: StatementCounter
) -> None:
    await _import(app, CUT / "travels", CUT / "visits", CUT / "rdcr")
    questions = [
        (RELATION, {"between": ["BE", "US"]}),
        (
            '{ events(first: 50, filter: {countries: ["BE"], kinds: [VISIT]}) { totalCount nodes '
            "{ date participants { role participant { ... on Person { name } } } } } }",
            {},
        ),
        (
            '{ events(first: 50, filter: {kinds: [TRIP], from: "2021", to: "2021"}) { nodes '
            "{ date place { name country { code } } participants { participant { ... on Person { name } } } } } }",
            {},
        ),
        (
            '{ people(search: "Blinken") { nodes { name participations(first: 50) { totalCount '
            "nodes { role event { date title } } } } } }",
            {},
        ),
    ]
    answers = []
    for query, variables in questions:
        before = statements.count
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        assert response.headers["x-bilateral-execution"] == "compiled", query
        assert statements.count - before == 1, query
        answers.append(response.json()["data"])
    trips = answers[2]["events"]["nodes"]
    assert {t["place"]["country"]["code"] for t in trips} == {"BE", "JP", "KR"}


async def test_importing_twice_changes_nothing_and_a_newer_release_updates_by_id(
    app: Starlette,
    database_url: str,
    data: GraphQL,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await _import(app, CUT / "visits")
    before = dump(database_url)
    await _import(app, CUT / "visits")
    assert "0 created, 0 updated, 0 merged, 11 unchanged" in capsys.readouterr().out
    assert dump(database_url) == before
    newer = _broken(
        tmp_path,
        "visits",
        "data/2020.xml",
        "<description>Working Visit.",
        "<description>State Visit.",
    )
    await _import(app, newer)
    assert "0 created, 1 updated, 0 merged, 10 unchanged" in capsys.readouterr().out
    state = await data(
        "{ events(first: 5, filter: {kinds: [VISIT]}) { nodes { visitType version } } }"
    )
    assert {"visitType": "STATE", "version": 2} in state["events"]["nodes"]
    visits = await data(
        "{ events(first: 20, filter: {kinds: [VISIT]}) { nodes "
        "{ recordId version countries { code } sources { section } participants { role } } } }"
    )
    [updated] = [e for e in visits["events"]["nodes"] if e["version"] == 2]
    assert updated == {
        "recordId": "3000",
        "version": 2,
        "countries": [{"code": "PL"}, {"code": "US"}],
        "sources": [{"section": "3000"}],
        "participants": [{"role": "President"}],
    }
    changes = await data("{ changes(first: 100) { nodes { action before after } } }")
    updates = [
        c for c in changes["changes"]["nodes"] if c["action"] == "importEvents" and c["before"]
    ]
    assert [(c["before"]["visitType"], c["after"]["visitType"]) for c in updates] == [
        ("WORKING", "STATE")
    ]
    # The change log's entries are the events' snapshots, as a mutation's are (one writer).
    [update] = updates
    assert (update["before"]["version"], update["after"]["version"]) == (1, 2)
    assert update["after"]["participants"] == [{"person": "Andrzej Duda", "role": "President"}]


async def test_a_newer_release_replaces_what_its_record_said_and_a_faulty_one_is_kept(
    app: Starlette, data: GraphQL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The events' writer, as an import uses it: a record's key names its event, whose
    participants become the newer release's (not the two releases' together), and a record
    without a summary is kept and noticed, where a mutation would refuse it."""
    await _import(app, CUT / "visits")
    newer = _broken(
        tmp_path,
        "visits",
        "data/2020.xml",
        '<visitor>President Andrzej Duda</visitor>\n        <from id="poland">Poland</from>\n'
        "        <description>Working Visit.</description>",
        "<visitor>Prime Minister Mateusz Morawiecki</visitor>\n"
        '        <from id="poland">Poland</from>\n        <description/>',
    )
    await _import(app, newer)
    assert "0 created, 1 updated, 0 merged, 10 unchanged" in capsys.readouterr().out
    visits = await data(
        "{ events(first: 20, filter: {kinds: [VISIT]}) { nodes { recordId summary version "
        "participants { role participant { ... on Person { name } } } } } }"
    )
    [visit] = [e for e in visits["events"]["nodes"] if e["recordId"] == "3000"]
    assert visit == {
        "recordId": "3000",
        "summary": "",
        "version": 2,
        "participants": [{"role": "Prime Minister", "participant": {"name": "Mateusz Morawiecki"}}],
    }
    skipped = (tmp_path / "visits.skipped.tsv").read_text(encoding="utf-8")
    assert "\t3000\tkept\tThe summary must not be empty." in skipped


def _run(database_url: str, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return main(list(argv))


@pytest.fixture
def empty(databases: Databases, monkeypatch: pytest.MonkeyPatch) -> str:
    """A new database with the schema, the countries and nothing else."""
    database = databases.new()
    assert _run(database, monkeypatch, "migrate") == 0
    return database


def _refused(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], path: Path
) -> str:
    """What `bilateral import` says when it refuses an archive, having written nothing."""
    before = dump(database)
    assert _run(database, monkeypatch, "import", str(path)) == 1
    error = capsys.readouterr().err
    assert "nothing was imported" in error and "Traceback" not in error
    assert dump(database) == before
    return error


def _broken(tmp_path: Path, dataset: str, member: str, old: str, new: str) -> Path:
    folder = tmp_path / f"{dataset}-{len(list(tmp_path.iterdir()))}"
    shutil.copytree(CUT / dataset, folder)
    target = folder / member
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("dataset", "member", "old", "new", "said"),
    [
        (
            "visits",
            "data/2020.xml",
            "<start-date>2020-06-24",
            "<start-date>2020-06-31",
            "has no day 31",
        ),
        (
            "visits",
            "data/2020.xml",
            "<start-date>2020-06-24",
            "<start-date>June 2020",
            "is not a date",
        ),
        (
            "visits",
            "data/2020.xml",
            '<from id="poland">',
            '<from id="atlantis">',
            "'atlantis' maps to no country",
        ),
        (
            "visits",
            "data/2020.xml",
            "<visitor>Prime Minister Alexander De Croo</visitor>",
            "<visitor> </visitor>",
            "no visitor",
        ),
        ("travels", "president-travels/wilson-woodrow.xml", "</trips>", "", "truncated"),
        ("rdcr", "articles/iran.xml", '<date when="1980">', '<date when="198O">', "is not a date"),
    ],
)
def test_bad_input_is_reported_without_a_traceback_and_nothing_is_written(
    tmp_path: Path,
    empty: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    dataset: str,
    member: str,
    old: str,
    new: str,
    said: str,
) -> None:
    broken = _broken(tmp_path, dataset, member, old, new)
    assert said in _refused(empty, monkeypatch, capsys, broken)


def test_an_archive_of_another_dataset_is_refused(
    tmp_path: Path, empty: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    named = tmp_path / "travels-3170c773f22c"
    shutil.copytree(CUT / "visits", named)
    error = _refused(empty, monkeypatch, capsys, named)
    assert "named for travels but holds visits" in error


def test_the_import_report_accounts_for_every_row_and_notices_a_misspelled_id(
    tmp_path: Path, empty: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(empty, monkeypatch, "import", str(CUT / "visits")) == 0
    assert _run(empty, monkeypatch, "import", str(CUT / "rdcr")) == 0
    visits = (tmp_path / "visits.skipped.tsv").read_text(encoding="utf-8").splitlines()
    assert visits[1:] == [
        "data/2020.xml\t3099\tkept\tcountry id 'somoa' (1 records) names WS, as 'samoa' "
        "(1 records) does: a synonym or a misspelling"
    ]
    rdcr = (tmp_path / "rdcr.skipped.tsv").read_text(encoding="utf-8").splitlines()
    assert rdcr[1:] == [
        "articles/zambia.xml\tzambia:c741a90af56f\tskipped\trepeated row: the same heading and text twice"
    ]
    assert "skipped    1: repeated row" in capsys.readouterr().out


@pytest.mark.slow  # a whole first start: the world's posts and every archive
async def test_first_start_loads_the_three_datasets_and_every_linked_pair_has_a_relation(
    databases: Databases,
) -> None:
    """The done-when checks, on the defaults a fresh clone starts with (article, world, events)."""
    database = databases.new()
    async with started(Settings(database_url=database, seed_world=True)) as application:
        async with client_of(application) as http:
            query = RELATION.replace("events(first: 100)", "events(first: 0)")
            response = await http.post(
                "/graphql", json={"query": query, "variables": {"between": ["BE", "US"]}}
            )
            relation = response.json()["data"]["relation"]
            counted = await http.post(
                "/graphql",
                json={
                    "query": "{ events(first: 0) { totalCount } trips: events(first: 0, filter: {kinds: [TRIP]}) { totalCount } }"
                },
            )
        sessions = make_sessions(application.state.engine)
        async with sessions() as session:
            missing = await session.scalar(
                select(func.count()).select_from(unrelated_linked_pairs().subquery())
            )
    assert missing == 0
    names = [mission["name"] for mission in relation["missions"]]
    assert "Embassy of the United States of America, Brussels" in names
    assert "Embassy of Belgium, Washington, D.C." in names
    assert relation["established"] == "1832-06-18"
    counts: dict[str, int] = {}
    for tally in relation["eventCounts"]:
        counts[tally["kind"]] = counts.get(tally["kind"], 0) + tally["count"]
    assert counts["TRIP"] > 50 and counts["VISIT"] > 20 and counts["RELATIONS_ESTABLISHED"] == 1
    totals = counted.json()["data"]
    # The article's 19 events, then travels (4,271 less 2 repeated rows), visits, rdcr (1,222
    # entries less 39 undated, 3 empty and one repeated).
    assert totals == {
        "events": {"totalCount": 19 + 4269 + 3264 + 1179},
        "trips": {"totalCount": 4269},
    }


async def test_an_event_written_through_the_api_gives_its_countries_a_relation_until_it_goes(
    editor: GraphQL, data: GraphQL
) -> None:
    between = (
        '{ relation(between: ["BE", "JP"]) { countries { code } events(first: 5) { totalCount } } }'
    )
    assert (await data(between))["relation"] is None
    created = await editor(
        """mutation($input: CreateEventInput!) {
            createEvent(input: $input) { event { id } userErrors { code } } }""",
        input={
            "title": "Belgian trade mission to Tokyo",
            "kind": "ECONOMIC",
            "date": "2026-03",
            "summary": "A Belgian economic mission visited Tokyo.",
            "countries": ["BE", "JP"],
            "sources": [{"title": "Belga", "section": None, "url": "https://www.belga.be/"}],
        },
    )
    assert created["data"]["createEvent"]["userErrors"] == []
    assert (await data(between))["relation"] == {
        "countries": [{"code": "BE"}, {"code": "JP"}],
        "events": {"totalCount": 1},
    }
    # The event was the pair's only link: without it, nothing relates them any more.
    deleted = await editor(
        "mutation($id: ID!) { deleteEvent(id: $id) { userErrors { code } } }",
        id=created["data"]["createEvent"]["event"]["id"],
    )
    assert deleted["data"]["deleteEvent"]["userErrors"] == []
    assert (await data(between))["relation"] is None
    # A relation a source speaks of stays without links: the article's Belgium–Malaysia.
    assert (await data('{ relation(between: ["BE", "MY"]) { established } }'))["relation"]
