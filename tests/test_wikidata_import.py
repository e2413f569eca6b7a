"""`bilateral import` of a Wikidata release: merging with the article, skipping, re-imports, bad input.

The files are cut from real rows of the shipped release (seed/data/), by their Wikidata IDs.
"""

from pathlib import Path

import httpx
import pytest
from conftest import GraphQL, StatementCounter, unrated
from databases import Databases, dump, row_counts
from releases import (
    AFGHANISTAN_IN_WARSAW,
    AUSTRALIA_IN_ANKARA,
    BELGIUM_IN_KUALA_LUMPUR,
    CANADA_IN_ROME,
    CANADA_TO_THE_HOLY_SEE,
    ENTITY,
    GERMANY_IN_GUANGZHOU,
    MALAYSIA_IN_BRUSSELS,
    NEPAL_OR_IRAQ_IN_KUWAIT,
    QUEBEC_IN_PARIS,
    edited_row,
    import_posts,
    import_release,
    imported_release,
    release_file,
    release_rows,
)
from starlette.applications import Starlette

from seed.wikidata.release import creation_date
from server.cli import main


def test_the_test_rows_are_in_the_release() -> None:
    assert len(release_rows(QUEBEC_IN_PARIS)) == 1
    assert len(release_rows(NEPAL_OR_IRAQ_IN_KUWAIT)) == 2


async def test_the_articles_posts_and_wikidatas_are_merged_and_keep_both_sources(
    app: Starlette,
    data: GraphQL,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await import_posts(
        database_url,
        monkeypatch,
        tmp_path,
        BELGIUM_IN_KUALA_LUMPUR,
        MALAYSIA_IN_BRUSSELS,
        CANADA_TO_THE_HOLY_SEE,
    )
    assert (
        "3 rows read: 1 posts created, 0 updated, 2 merged with posts already there, "
        "0 unchanged, 0 skipped" in capsys.readouterr().out
    )
    found = await data(
        """{ country(code: "MY") { missions { name city cityWikidata wikidata opened
               location { latitude longitude }
               claims { property value wikidata source { title url } }
               sources { title url } } } }"""
    )
    release = "Wikidata, via database-of-embassies (release 2022-11-16)"
    article = "Belgium–Malaysia relations"
    wikidata_url = f"https://www.wikidata.org/wiki/{MALAYSIA_IN_BRUSSELS}"
    [embassy] = found["country"]["missions"]
    assert embassy["name"] == "Embassy of Malaysia, Brussels"
    assert embassy["city"] == "Brussels"  # the article's city stays the post's city
    assert embassy["cityWikidata"] is None  # Wikidata's ID is of its own city, kept in the claim
    assert embassy["wikidata"] == MALAYSIA_IN_BRUSSELS
    assert embassy["opened"] == "1975"
    assert embassy["location"] == {"latitude": 50.8265, "longitude": 4.4463}
    cities = [(c["value"], c["wikidata"], c["source"]["title"]) for c in embassy["claims"]]
    assert ("Brussels", None, article) in cities
    assert ("Woluwe-Saint-Pierre - Sint-Pieters-Woluwe", "Q242393", release) in cities
    assert [s["title"] for s in embassy["sources"]] == [article, release]
    assert embassy["sources"][1]["url"] == wikidata_url

    brunei = await data(
        """{ country(code: "BN") { accreditedMissions { name wikidata contact { email twitter }
               accreditations { target { ... on Country { code } } } } } }"""
    )
    assert brunei["country"]["accreditedMissions"] == [
        {
            "name": "Embassy of Belgium, Kuala Lumpur",
            "wikidata": BELGIUM_IN_KUALA_LUMPUR,
            "contact": {"email": "kualalumpur@diplobel.fed.be", "twitter": "BelgiumMalaysia"},
            "accreditations": [{"target": {"code": "MY"}}, {"target": {"code": "BN"}}],
        }
    ]
    holy_see = await data(
        """{ country(code: "VA") { accreditedMissions { name kind opened hostCountry { code } } } }"""
    )
    assert holy_see["country"]["accreditedMissions"] == [
        {
            "name": "Embassy of Canada to Vatican City, Rome",
            "kind": "EMBASSY",
            "opened": "1969",
            "hostCountry": {"code": "IT"},
        }
    ]


async def test_the_import_is_in_the_change_log(
    app: Starlette,
    data: GraphQL,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await import_posts(database_url, monkeypatch, tmp_path, CANADA_IN_ROME)
    found = await data("{ changes(first: 5) { nodes { action actor targetId after } } }")
    [change] = found["changes"]["nodes"]
    assert change["action"] == "importWikidataMissions" and change["actor"] == "import"
    target = await data(
        "query($id: ID!) { node(id: $id) { ... on Mission { name } } }", id=change["targetId"]
    )
    assert target["node"] == {"name": "Embassy of Canada, Rome"}
    assert change["after"]["wikidata"] == CANADA_IN_ROME
    assert change["after"]["accreditations"] == ["IT", "AL", "MT", "SM"]


async def test_rows_that_are_no_post_here_are_skipped_and_listed_with_their_line_and_reason(
    app: Starlette,
    data: GraphQL,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = release_rows(
        CANADA_IN_ROME, QUEBEC_IN_PARIS, AUSTRALIA_IN_ANKARA, NEPAL_OR_IRAQ_IN_KUWAIT
    )
    rows.append(rows[0])  # the same row again
    rows.append(edited_row(rows[0], {4: "Nowhere", 5: f"{ENTITY}Q2724951", 24: f"{ENTITY}Q1"}))
    rows.append(edited_row(rows[0], {21: "floating palace", 24: f"{ENTITY}Q2"}))
    assert await imported_release(database_url, monkeypatch, release_file(tmp_path, rows)) == 0
    out = capsys.readouterr().out
    assert "8 rows read: 1 posts created, 0 updated, 0 merged" in out and "7 skipped" in out
    report = (tmp_path / "database_of_embassies-2022-11-16.skipped.tsv").read_text()
    assert report.splitlines() == [
        "line\tqid\treason",
        "3\tQ335453\tthe sender Quebec (Q176) is not a state: it maps to no country",
        "4\tQ106519946\tthe host is the sender itself (AU): the row gives no country the post is in",
        "5\tQ106686567\tconflicting rows: lines 6 give post Q106686567 with other values, "
        "and the file does not say which is right",
        "6\tQ106686567\tconflicting rows: lines 5 give post Q106686567 with other values, "
        "and the file does not say which is right",
        "7\tQ103268964\trepeats line 2",
        "8\tQ1\tthe host Nowhere (Q2724951) maps to no country",
        "9\tQ2\tunknown type label 'floating palace' (Q3917681)",
    ]
    italy = await data('{ country(code: "IT") { hostedMissions { wikidata } } }')
    assert italy["country"]["hostedMissions"] == [{"wikidata": CANADA_IN_ROME}]


async def test_importing_a_release_twice_changes_nothing_the_second_time(
    app: Starlette,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = release_rows(
        BELGIUM_IN_KUALA_LUMPUR, MALAYSIA_IN_BRUSSELS, GERMANY_IN_GUANGZHOU, AFGHANISTAN_IN_WARSAW
    )
    path = release_file(tmp_path, rows)
    assert await imported_release(database_url, monkeypatch, path) == 0
    before = dump(database_url)
    capsys.readouterr()
    assert await imported_release(database_url, monkeypatch, path) == 0
    assert "0 posts created, 0 updated, 0 merged with posts already there, 4 unchanged" in (
        capsys.readouterr().out
    )
    assert dump(database_url) == before


async def test_a_newer_release_updates_posts_by_their_wikidata_id(
    app: Starlette,
    data: GraphQL,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    [row] = release_rows(GERMANY_IN_GUANGZHOU)
    assert await imported_release(database_url, monkeypatch, release_file(tmp_path, [row])) == 0
    fields = row.split(";")
    fields[2], fields[3] = "Guangdong", "http://www.wikidata.org/entity/Q15175"
    fields[13] = "https://china.diplo.de/cn-de/vertretungen/generalkonsulat-guangzhou"
    newer = release_file(tmp_path, [";".join(fields)], "database_of_embassies-2023-05-01.csv")
    capsys.readouterr()
    assert await imported_release(database_url, monkeypatch, newer) == 0
    assert "0 posts created, 1 updated" in capsys.readouterr().out
    found = await data(
        """{ missions(country: "DE", hostCountry: "CN") { totalCount nodes {
               wikidata contact { website } sources { title }
               accreditations { target { ... on Jurisdiction { name wikidata } } } } } }"""
    )
    assert found["missions"]["totalCount"] == 1
    [post] = found["missions"]["nodes"]
    assert post["wikidata"] == GERMANY_IN_GUANGZHOU
    assert post["contact"]["website"] == fields[13]
    assert post["sources"] == [
        {"title": "Wikidata, via database-of-embassies (release 2023-05-01)"}
    ]
    assert post["accreditations"] == [{"target": {"name": "Guangdong", "wikidata": "Q15175"}}]


def _other_format(folder: Path) -> Path:
    path = folder / "embassies-2022-11-16.csv"
    path.write_text("sender;host;city\nBelgium;Malaysia;Kuala Lumpur\n", encoding="utf-8")
    return path


def _badrelease_file(tmp_path: Path, edit: int, value: str) -> Path:
    fields = release_rows(CANADA_IN_ROME)[0].split(";")
    fields[edit] = value
    return release_file(tmp_path, [";".join(fields)])


@pytest.mark.parametrize(
    ("make", "fault"),
    [
        (
            lambda folder: _badrelease_file(folder, 9, "41.9x"),
            "line 2, latitude: not a number: '41.9x'",
        ),
        (
            lambda folder: _badrelease_file(folder, 10, "212.4"),
            "line 2, longitude: 212.4 is outside -180 to 180",
        ),
        (
            lambda folder: _badrelease_file(folder, 23, "sometime in 1969"),
            "line 2, creation: not a timestamp such as 1975-01-01T00:00:00Z: 'sometime in 1969'",
        ),
        (
            lambda folder: release_file(folder, [release_rows(CANADA_IN_ROME)[0][:120]]),
            "line 2: 4 fields where 25 were expected (a truncated line, or a ';' inside a value)",
        ),
        (
            lambda folder: _other_format(folder),
            "line 1: not a database-of-embassies header",
        ),
    ],
    ids=["bad latitude", "bad longitude", "bad date", "truncated line", "another format"],
)
def test_a_malformed_release_changes_nothing_and_says_where(
    make: object,
    fault: str,
    databases: Databases,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = databases.new()
    monkeypatch.setenv("DATABASE_URL", database)
    assert main(["seed"]) == 0
    before = row_counts(database)
    path = make(tmp_path)  # type: ignore[operator]
    assert import_release(database, monkeypatch, path, "--format", "wikidata-missions") == 1
    error = capsys.readouterr().err
    assert "has errors; nothing was imported" in error and fault in error
    assert row_counts(database) == before


def test_a_file_in_another_format_is_read_as_a_seed_file_and_refused(
    databases: Databases,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = databases.new()
    path = tmp_path / "embassies.csv"
    path.write_text("name,country\nEmbassy of Belgium,BE\n", encoding="utf-8")
    assert import_release(database, monkeypatch, path) == 1
    assert "has errors; nothing was imported" in capsys.readouterr().err


def test_a_release_without_a_date_needs_one_given(
    databases: Databases,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = databases.new()
    path = release_file(tmp_path, release_rows(CANADA_IN_ROME), "embassies.csv")
    assert import_release(database, monkeypatch, path) == 1
    assert "give one with --release-date" in capsys.readouterr().err
    assert import_release(database, monkeypatch, path, "--release-date", "2022-11-16") == 0


@pytest.mark.parametrize(
    ("timestamp", "date"),
    [
        ("1927-01-01T00:00:00Z", "1927"),  # a 1st of January is a year
        ("1993-05-01T00:00:00Z", "1993-05"),  # any other 1st is a month
        ("1968-04-25T00:00:00Z", "1968-04-25"),
    ],
)
def test_a_founding_date_is_no_more_precise_than_the_release(timestamp: str, date: str) -> None:
    assert str(creation_date(timestamp)) == date


QUESTIONS = {
    "posts abroad": '{ country(code: "Q16") { missions { name kind city } } }',
    "posts in a country, by kind": """{ missions(hostCountry: "IT", kind: [EMBASSY], first: 50) {
        totalCount nodes { name wikidata cityWikidata location { latitude longitude } } } }""",
    "accreditations both ways": """{ country(code: "VA") { accreditedMissions(kind: [EMBASSY]) {
        name accreditations { target { __typename ... on Country { code }
        ... on Jurisdiction { name wikidata } ... on Organization { name } } } } } }""",
    "what each source says": """{ country(code: "MY") { missions { contact { website phone }
        claims { property value wikidata source { title url } } } } }""",
    "search by city": """{ search(text: "Woluwe") { nodes { __typename ... on Mission { name } } } }""",
}


@pytest.mark.parametrize("question", QUESTIONS)
async def test_the_questions_users_ask_of_the_world_are_one_compiled_statement(
    question: str,
    app: Starlette,
    client: httpx.AsyncClient,
    graphql: GraphQL,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await import_posts(
        database_url,
        monkeypatch,
        tmp_path,
        MALAYSIA_IN_BRUSSELS,
        CANADA_TO_THE_HOLY_SEE,
        CANADA_IN_ROME,
        GERMANY_IN_GUANGZHOU,
    )
    statements = StatementCounter(app)
    response = await client.post("/graphql", json={"query": QUESTIONS[question]})
    assert response.headers["x-bilateral-execution"] == "compiled"
    assert statements.count == 1
    body = unrated(response.json())
    assert "errors" not in body and body["data"]
    assert await graphql(QUESTIONS[question]) == body  # and the resolvers agree


async def test_a_post_is_found_by_any_city_its_sources_name(
    app: Starlette,
    data: GraphQL,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await import_posts(database_url, monkeypatch, tmp_path, MALAYSIA_IN_BRUSSELS)
    found = await data(QUESTIONS["search by city"])
    assert found["search"]["nodes"] == [
        {"__typename": "Mission", "name": "Embassy of Malaysia, Brussels"}
    ]
