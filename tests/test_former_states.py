"""States that no longer exist: the Office of the Historian's territory ids mapped to countries,
one country per state, with its years and its predecessors and successors."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest
from conftest import GraphQL
from databases import Databases, dump

from db.countries import find_iso_country, former_states, iso_countries
from seed.history.archive import SHIPPED, Archive, open_archive, shipped
from seed.history.territories import country_of, crosswalk, territory_ids, unmapped_ids
from server.cli import main


@cache
def _shipped() -> tuple[Archive, ...]:
    return tuple(open_archive(path) for path in sorted(SHIPPED.glob("*.tar.gz")))


def test_the_ids_left_unmapped_are_exactly_those_the_table_leaves_unmapped_with_a_reason() -> None:
    unmapped = unmapped_ids(_shipped())
    deliberate = {t.id: t.note for t in crosswalk().values() if t.country is None}
    assert unmapped == deliberate
    assert all(reason for reason in deliberate.values())
    # Every id the records use (not only the gazetteer's list of territories) maps to a country.
    records = set()
    for archive in _shipped():
        for territory, files in territory_ids(archive).items():
            if archive.dataset != "gsh" or any(
                not f.startswith("data/territories/") for f in files
            ):
                records.add(territory)
    assert sorted(records & set(unmapped)) == []


def test_the_table_holds_only_ids_the_archives_use_and_codes_that_exist() -> None:
    used = set().union(*(territory_ids(archive) for archive in _shipped()))
    assert set(crosswalk()) == used
    codes = {c.code for c in iso_countries()} | {s.code for s in former_states()}
    assert {t.country for t in crosswalk().values() if t.country} <= codes
    # Every former state is one that some id maps to.
    assert {s.code for s in former_states()} <= {t.country for t in crosswalk().values()}


def test_one_country_per_state_whatever_id_the_office_uses() -> None:
    assert country_of("prussia-1871") == country_of("prussia-1918") == "XPRU"
    assert country_of("czechoslovakia") == country_of("czechoslovakia-1993") == "CSHH"
    assert country_of("german-democratic-republic") == country_of("east-germany-1990") == "DDDE"
    assert country_of("yugoslavia") == country_of("kingdom-of-yugoslavia") == "YUCS"
    assert country_of("north-german-union") == country_of("north-german-confederation") == "XNGC"
    # Synonyms and a misspelling among the datasets' ids
    assert country_of("czechia") == country_of("czech-republic") == "CZ"
    assert country_of("turkiye") == country_of("turkey") == "TR"
    assert country_of("congo-kinshasa") == country_of("congo-democratic-republic") == "CD"
    assert country_of("somoa") == country_of("samoa") == "WS"
    assert crosswalk()["somoa"].note == "misspelling of samoa (visits)"
    # Not known, or deliberately left unmapped: no country either way
    assert country_of("atlantis") is None and country_of("akrotiri") is None


def test_former_states_codes_are_iso_3166_3_or_the_projects_own() -> None:
    import pycountry

    historic = {c.alpha_4: c for c in pycountry.historic_countries}
    for state in former_states():
        if state.code in historic:
            assert state.alpha3 == historic[state.code].alpha_3
        else:
            # X then three letters: ISO never assigns alpha-2 codes from X, so never such a code.
            assert len(state.code) == 4 and state.code[0] == "X" and state.code.isalpha()
            assert state.alpha3 == state.code
        assert state.wikidata is None  # none could be verified: nothing is guessed
    assert len({s.alpha3 for s in former_states()} | {c.alpha3 for c in iso_countries()}) == len(
        former_states()
    ) + len(iso_countries())
    assert find_iso_country("cshh") is not None and find_iso_country("cshh").code == "CSHH"  # type: ignore[union-attr]


async def test_a_former_state_is_found_by_its_code_with_its_years_and_neighbours(
    data: GraphQL,
) -> None:
    query = """query($code: String!) { country(code: $code) {
        code alpha3 name longName former existedFrom existedUntil
        predecessors { code } successors { code former } } }"""
    found = await data(query, code="cshh")
    assert found["country"] == {
        "code": "CSHH",
        "alpha3": "CSK",
        "name": "Czechoslovakia",
        "longName": None,
        "former": True,
        "existedFrom": "1918",
        "existedUntil": "1993",
        "predecessors": [{"code": "XAHU"}],
        "successors": [{"code": "CZ", "former": False}, {"code": "SK", "former": False}],
    }
    prussia = (await data(query, code="XPRU"))["country"]
    assert (prussia["name"], prussia["longName"]) == ("Prussia", None)
    assert (prussia["existedFrom"], prussia["existedUntil"]) == ("1701", "1918")
    assert prussia["successors"] == [{"code": "DE", "former": False}]
    today = await data('{ country(code: "SK") { former existedFrom predecessors { code } } }')
    assert today["country"] == {
        "former": False,
        "existedFrom": None,
        "predecessors": [{"code": "CSHH"}],
    }


async def test_countries_lists_former_states_only_when_asked(data: GraphQL) -> None:
    today = await data("{ countries(first: 0) { totalCount } }")
    everything = await data("{ countries(first: 0, former: true) { totalCount } }")
    assert today["countries"]["totalCount"] == 249 + 1
    assert everything["countries"]["totalCount"] == 249 + 1 + len(former_states())
    searched = await data('{ countries(search: "czecho", former: true) { nodes { code } } }')
    assert searched["countries"]["nodes"] == [{"code": "CSHH"}]
    assert (await data('{ countries(search: "czecho") { nodes { code } } }'))["countries"] == {
        "nodes": []
    }


async def test_search_finds_former_states_by_name(data: GraphQL) -> None:
    found = await data('{ search(text: "two sicilies") { nodes { ... on Country { code } } } }')
    assert found["search"]["nodes"] == [{"code": "XTSI"}]


def _gsh_folder(tmp_path: Path, edit: dict[str, tuple[bytes, bytes]]) -> Path:
    """The shipped gsh archive unpacked into a folder, with some files edited (old, new)."""
    folder = tmp_path / "gsh-0123456789ab"
    for name, content in open_archive(shipped("gsh")).files.items():
        old, new = edit.get(name, (b"", b""))
        assert old in content
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(content.replace(old, new) if old else content)
    return folder


@pytest.fixture
def imported(
    databases: Databases,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> str:
    """A new database, set as the command's, into which the shipped gsh archive was imported:
    its former states are those the country list already holds."""
    database = databases.new()
    monkeypatch.setenv("DATABASE_URL", database)
    monkeypatch.chdir(tmp_path)  # where the import writes gsh.skipped.tsv, its skipped rows
    assert main(["import", str(shipped("gsh"))]) == 0
    assert "(gsh at c8aea3fec913): former states: 0 added, 0 updated" in capsys.readouterr().out
    return database


def test_a_gsh_release_updates_the_former_states_and_twice_changes_nothing(
    tmp_path: Path, imported: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = imported
    # A release in which Czechoslovakia ends a year earlier and Austria-Hungary is not before it
    czechoslovakia = "data/territories/czechoslovakia-1993.xml"
    newer = _gsh_folder(
        tmp_path,
        {
            czechoslovakia: (
                b"<valid-until>1993</valid-until>",
                b"<valid-until>1992</valid-until>",
            ),
            "data/territories/austria-hungary-1918.xml": (
                b"<successor>czechoslovakia-1993</successor>",
                b"",
            ),
        },
    )
    text = (newer / czechoslovakia).read_text()
    (newer / czechoslovakia).write_text(
        text.replace("<predecessor>austria-hungary-1918</predecessor>", "")
    )
    assert main(["import", str(newer)]) == 0
    said = capsys.readouterr().out
    assert "(gsh at 0123456789ab): former states: 0 added, 1 updated, 1 links" in said, said
    before = dump(database)
    cshh = [row for row in before["country"] if row[1] == "CSHH"]
    assert len(cshh) == 1 and "1992" in cshh[0]
    assert not any(row for row in before["country_succession"] if row[1] == cshh[0][0])
    assert main(["import", str(newer)]) == 0
    assert "0 added, 0 updated, 0 links between states changed" in capsys.readouterr().out
    assert dump(database) == before


def test_an_archive_of_another_dataset_or_a_broken_one_imports_nothing(
    tmp_path: Path, imported: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = imported
    before = dump(database)
    cut = tmp_path / "gsh-c8aea3fec913.tar.gz"
    cut.write_bytes(shipped("gsh").read_bytes()[:50_000])
    assert main(["import", str(cut)]) == 1
    error = capsys.readouterr().err
    assert "nothing was imported" in error and "truncated" in error and "Traceback" not in error
    other = tmp_path / "other"
    shutil.copytree(Path(__file__).parent / "contract", other)
    assert main(["import", str(other)]) == 1
    assert "not an archive of the Office of the Historian" in capsys.readouterr().err
    # An archive named for one dataset that holds another's (every dataset can be imported now).
    misnamed = tmp_path / "travels-3170c773f22c"
    shutil.copytree(Path(__file__).parent / "history" / "visits", misnamed)
    assert main(["import", str(misnamed)]) == 1
    assert "named for travels but holds visits" in capsys.readouterr().err
    assert dump(database) == before
