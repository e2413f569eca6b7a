"""`bilateral import` merges seed files by natural keys; `bilateral export` writes every fact,
which `bilateral import` restores into a database without facts."""

from pathlib import Path

import pytest
import yaml
from conftest import GraphQL
from databases import Databases, row_counts
from starlette.applications import Starlette

from db.session import make_sessions
from seed.load import import_file
from seed.restore import read_export
from server.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "seed" / "examples" / "japan-portugal.yaml"


def _run(database_url: str, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    monkeypatch.setenv("DATABASE_URL", database_url)
    return main(list(argv))


def test_export_import_export_gives_identical_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_db, second_db = (f"sqlite+aiosqlite:///{tmp_path / name}" for name in ("a.db", "b.db"))
    assert _run(first_db, monkeypatch, "seed") == 0
    assert _run(first_db, monkeypatch, "import", str(EXAMPLE)) == 0
    assert _run(first_db, monkeypatch, "export", str(tmp_path / "first.jsonl")) == 0
    assert _run(second_db, monkeypatch, "import", str(tmp_path / "first.jsonl")) == 0
    assert _run(second_db, monkeypatch, "export", str(tmp_path / "second.jsonl")) == 0
    first, second = (tmp_path / "first.jsonl").read_text(), (tmp_path / "second.jsonl").read_text()
    assert first == second
    exported = read_export(tmp_path / "first.jsonl").rows
    assert len(exported["event"]) == 21 and len(exported["mission"]) == 5
    assert row_counts(first_db) == row_counts(second_db)


def test_an_export_is_restored_only_into_a_database_without_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    assert _run(database, monkeypatch, "seed") == 0
    assert _run(database, monkeypatch, "export", str(tmp_path / "all.jsonl")) == 0
    before = row_counts(database)
    capsys.readouterr()
    assert _run(database, monkeypatch, "import", str(tmp_path / "all.jsonl")) == 1
    assert "the database holds facts" in capsys.readouterr().err
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join((tmp_path / "all.jsonl").read_text().splitlines(True)[:-3]))
    empty = f"sqlite+aiosqlite:///{tmp_path / 'b.db'}"
    assert _run(empty, monkeypatch, "import", str(cut)) == 1
    assert "is not a whole export" in capsys.readouterr().err
    assert row_counts(database) == before


def test_importing_a_file_twice_changes_nothing_the_second_time(
    tmp_path: Path,
    databases: Databases,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = databases.new()
    assert _run(database, monkeypatch, "import", str(EXAMPLE)) == 0
    assert "added 2 events, 2 missions, 1 relations" in capsys.readouterr().out
    before = row_counts(database)
    assert _run(database, monkeypatch, "import", str(EXAMPLE)) == 0
    assert "added nothing; updated nothing" in capsys.readouterr().out
    assert row_counts(database) == before


def test_a_file_that_fails_validation_changes_nothing_and_names_the_entry(
    tmp_path: Path,
    databases: Databases,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = databases.new()
    assert _run(database, monkeypatch, "seed") == 0
    broken = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    broken["missions"][1]["host"] = "XX"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    before = row_counts(database)
    assert _run(database, monkeypatch, "import", str(bad)) == 1
    assert (
        'missions[1] "Embassy of Portugal, Tokyo".host: unknown country code'
        in capsys.readouterr().err
    )
    assert row_counts(database) == before


def test_an_import_updates_records_by_natural_key_and_raises_the_version(
    tmp_path: Path,
    databases: Databases,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    database = databases.new()
    assert _run(database, monkeypatch, "import", str(EXAMPLE)) == 0
    changed = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    changed["events"][0]["summary"] = "Portuguese traders landed on Tanegashima."
    changed["missions"][0]["opened"] = "1950"
    edited = tmp_path / "edited.yaml"
    edited.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    capsys.readouterr()
    assert _run(database, monkeypatch, "import", str(edited)) == 0
    assert "added nothing; updated 1 events, 1 missions" in capsys.readouterr().out
    assert _run(database, monkeypatch, "export", str(tmp_path / "all.jsonl")) == 0
    exported = read_export(tmp_path / "all.jsonl").rows
    tanegashima = next(e for e in exported["event"] if str(e["date"]) == "1543")
    assert tanegashima["summary"] == "Portuguese traders landed on Tanegashima."


async def test_the_example_pair_is_served_once_imported(app: Starlette, data: GraphQL) -> None:
    report = await import_file(make_sessions(app.state.engine), EXAMPLE)
    assert (report.added["events"], report.added["relations"]) == (2, 1)
    found = await data(
        """{ relation(between: ["PT", "JP"]) { established missions { name }
            events { nodes { date title sources { title } } } } }"""
    )
    relation = found["relation"]
    assert relation["established"] == "1860"
    assert [m["name"] for m in relation["missions"]] == [
        "Embassy of Japan, Lisbon",
        "Embassy of Portugal, Tokyo",
    ]
    assert [e["date"] for e in relation["events"]["nodes"]] == ["1543", "1860"]
    assert len(relation["events"]["nodes"][1]["sources"]) == 2
