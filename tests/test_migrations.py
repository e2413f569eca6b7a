"""Migrations: they build the models' schema exactly, and old schemas are refused, not guessed at."""

import asyncio
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from databases import Databases, dump, run_apart
from sqlalchemy import text

from db.base import Base
from db.migrate import alembic_config, head_revision, upgrade
from db.session import make_engine
from server.cli import main


def _differences(url: str) -> list[Any]:
    def compare(connection: Any) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                # The search index lives outside the models, built per database by db/search.py.
                "include_name": lambda name, kind, _: not (name or "").startswith("search_index"),
            },
        )
        return list(compare_metadata(context, Base.metadata))

    async def run() -> list[Any]:
        engine = make_engine(url)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(compare)
        finally:
            await engine.dispose()

    return run_apart(run)


def _execute(url: str, statement: str) -> None:
    async def run() -> None:
        engine = make_engine(url)
        try:
            async with engine.begin() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    run_apart(run)


def test_the_migrations_build_exactly_the_models_schema(databases: Databases) -> None:
    url = databases.new()
    upgrade(url)
    assert _differences(url) == []


def test_the_migrations_go_down_as_well_as_up(databases: Databases) -> None:
    from alembic import command

    url = databases.new()
    upgrade(url)
    command.downgrade(alembic_config(url), "base")
    assert set(dump(url)) - {"search_index"} == {"alembic_version"}


def test_migrate_then_seed_and_serve_checks(
    databases: Databases, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = databases.new()
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["migrate"]) == 0
    assert head_revision() in capsys.readouterr().out
    assert main(["seed"]) == 0
    assert len(dump(url)["event"]) == 19


def test_seed_and_serve_refuse_a_database_whose_schema_is_behind(
    databases: Databases, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = databases.new()
    upgrade(url)
    _execute(url, "UPDATE alembic_version SET version_num = '0000'")
    monkeypatch.setenv("DATABASE_URL", url)
    for command in (["seed"], ["serve"]):
        assert main(command) == 2
        message = capsys.readouterr().err
        assert "is at revision 0000" in message and "bilateral migrate" in message
    assert dump(url)["event"] == []


def test_the_app_refuses_to_start_on_an_old_schema(databases: Databases) -> None:
    from server.app import create_app
    from server.settings import Settings

    url = databases.new()
    upgrade(url)
    _execute(url, "DELETE FROM alembic_version")
    app = create_app(Settings(database_url=url, seed_world=False))

    async def start() -> None:
        async with app.router.lifespan_context(app):
            pass

    with pytest.raises(RuntimeError, match="bilateral migrate"):
        asyncio.run(start())


def test_a_database_with_facts_keeps_them_through_every_migration(databases: Databases) -> None:
    from alembic import command

    url = databases.new()
    command.upgrade(alembic_config(url), "0002")
    for statement in (
        "INSERT INTO country (id, code, alpha3, name) VALUES (1, 'BE', 'BEL', 'Belgium'),"
        " (2, 'MY', 'MYS', 'Malaysia')",
        "INSERT INTO source (id, title, section) VALUES (1, 'Belgium–Malaysia relations', 'History')",
        "INSERT INTO person (id, name) VALUES (1, 'Peter Stephen Lai')",
        "INSERT INTO mission (id, kind, name, country_id, host_country_id, city, opened)"
        " VALUES (1, 'EMBASSY', 'Embassy of Malaysia, Brussels', 2, 1, 'Brussels', '1975')",
        "INSERT INTO mission_source (mission_id, source_id) VALUES (1, 1)",
        "INSERT INTO accreditation (mission_id, country_id) VALUES (1, 1)",
        "INSERT INTO head_of_mission (mission_id, person_id, title, ongoing, start)"
        " VALUES (1, 1, 'Ambassador', false, '1975')",
    ):
        _execute(url, statement)
    upgrade(url)
    after = dump(url)
    assert len(after["mission"]) == len(after["accreditation"]) == 1
    assert len(after["head_of_mission"]) == len(after["mission_source"]) == 1
    claims = sorted((row[2], row[3], row[6]) for row in after["mission_claim"])
    assert claims == [("city", "Brussels", "PREFERRED"), ("opened", "1975", "PREFERRED")]


def test_the_keys_of_earlier_imports_move_to_the_one_table_the_writers_match_by(
    databases: Databases,
) -> None:
    """0012: an event's dataset and record id, and a pocom tenure's id, become its key in
    source_record, so that a database imported before re-imports without duplicates."""
    from alembic import command

    url = databases.new()
    command.upgrade(alembic_config(url), "0011")
    for statement in (
        "INSERT INTO country (id, code, alpha3, name) VALUES (1, 'BE', 'BEL', 'Belgium'),"
        " (2, 'US', 'USA', 'United States')",
        "INSERT INTO event (id, title, kind, date, summary, version, dataset, record_id)"
        " VALUES (7, 'Visit', 'VISIT', '2020-06-24', 'A visit.', 1, 'visits', '3000'),"
        " (8, 'Written here', 'OTHER', '2021', 'No source of its own.', 1, NULL, NULL)",
        "INSERT INTO person (id, name) VALUES (1, 'Hugh Swinton Legare')",
        "INSERT INTO mission (id, kind, name, country_id, host_country_id, city)"
        " VALUES (1, 'LEGATION', 'US Legation, Brussels', 2, 1, 'Brussels')",
        "INSERT INTO head_of_mission (id, mission_id, person_id, title, ongoing, historian_id)"
        " VALUES (3, 1, 1, 'Chargé d''Affaires', false, 'be-1832-lega-01')",
    ):
        _execute(url, statement)
    upgrade(url)
    assert sorted(dump(url)["source_record"]) == [
        ("pocom", "head_of_mission", "be-1832-lega-01", 3),
        ("visits", "event", "3000", 7),
    ]
    command.downgrade(alembic_config(url), "0011")
    assert dump(url)["source_record"] == []
