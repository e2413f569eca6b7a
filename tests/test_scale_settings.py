"""The scale-out settings as read from the environment, log positions as written, and a server
without replicas: its answers carry no LSN, and an LSN sent to it changes nothing."""

import httpx
import pytest
import sqlalchemy
from conftest import GraphQL, unrated
from databases import ON_POSTGRESQL

from db import wal
from db.database import Database
from db.statements import PostgresStatements
from server.settings import Settings

CREATE = """mutation { createEvent(input: {title: "No replica", kind: POLITICAL, date: "2026-05",
    summary: "A visit.", countries: ["BE"], sources: [{title: "Bernama"}]}) { userErrors { code } } }"""


# A primary through PgBouncer, a direct line to it for LISTEN, and two replicas.
SCALED_OUT = {
    "DATABASE_URL": "postgresql+asyncpg://app:secret@pgbouncer:6432/bilateral",
    "DATABASE_REPLICA_URLS": " postgresql+asyncpg://a/db , postgresql+asyncpg://b/db,",
    "DATABASE_REPLICA_MAX_LAG_SECONDS": "3",
    "DATABASE_LISTEN_URL": "postgresql+asyncpg://app:secret@primary/bilateral",
    "DATABASE_POOL_MODE": "Transaction",
}


def test_replica_pooler_and_listen_settings_are_read_from_the_environment() -> None:
    settings = Settings.from_env(SCALED_OUT)
    assert settings.replica_urls == ("postgresql+asyncpg://a/db", "postgresql+asyncpg://b/db")
    assert settings.replica_max_lag_seconds == 3
    assert settings.listen_url == "postgresql+asyncpg://app:secret@primary/bilateral"
    assert settings.pool_mode == "transaction"
    defaults = Settings.from_env({})
    assert (defaults.replica_urls, defaults.listen_url, defaults.pool_mode) == ((), None, "session")


def test_replicas_need_a_postgresql_primary() -> None:
    with pytest.raises(SystemExit, match="PostgreSQL primary"):
        Settings.from_env({"DATABASE_REPLICA_URLS": "postgresql+asyncpg://replica/db"})


def test_an_unknown_pool_mode_is_refused() -> None:
    with pytest.raises(SystemExit, match="DATABASE_POOL_MODE"):
        Settings.from_env({"DATABASE_POOL_MODE": "statement"})


def test_switches_and_seconds_are_read_one_way() -> None:
    settings = Settings.from_env(
        {
            "BILATERAL_BATCHING": "Yes",
            "BILATERAL_COMPILED": "0",
            "BILATERAL_SEED_WORLD": "off",
            "BILATERAL_TIMEOUT_SECONDS": "2.5",
        }
    )
    assert (settings.batching, settings.compiled, settings.seed_world) == (True, False, False)
    assert settings.timeout_seconds == 2.5
    for switch in ("BILATERAL_BATCHING", "BILATERAL_COMPILED", "BILATERAL_SEED_WORLD"):
        with pytest.raises(SystemExit, match=f"{switch} must be on or off"):
            Settings.from_env({switch: "maybe"})
    for wrong in ("0", "-1", "soon"):
        with pytest.raises(SystemExit, match="BILATERAL_TIMEOUT_SECONDS"):
            Settings.from_env({"BILATERAL_TIMEOUT_SECONDS": wrong})


def test_one_url_gives_the_database_every_connection_it_needs() -> None:
    settings = Settings.from_env(SCALED_OUT)
    database = settings.database()
    assert (database.dialect, database.pooled) == ("postgresql", True)
    assert database.alembic_url == "postgresql+asyncpg://app:secret@pgbouncer:6432/bilateral"
    assert database.listen_dsn == "postgresql://app:secret@primary/bilateral"
    assert isinstance(database.statements, PostgresStatements)
    assert database.statements.dsn == "postgresql://app:secret@pgbouncer:6432/bilateral"
    assert database.statements.pooled
    assert settings.database(compiled=False).statements is None
    replicas = settings.replicas()
    assert [(replica.name, replica.alembic_url) for replica in replicas] == [
        ("replica 1", "postgresql+asyncpg://a/db"),
        ("replica 2", "postgresql+asyncpg://b/db"),
    ]
    assert all(replica.pooled and replica.statements is not None for replica in replicas)
    local = Settings(database_url="sqlite+aiosqlite:///local.db").database()
    assert (local.dialect, local.pooled, local.listen_dsn) == ("sqlite", False, None)


def test_log_positions_are_read_and_written_as_postgresql_writes_them() -> None:
    assert wal.parse("16/B374D848") == (0x16 << 32) + 0xB374D848
    assert wal.write(wal.parse("16/b374d848") or 0) == "16/B374D848"
    assert wal.parse("0/0") == 0
    for wrong in ("", "16", "16/", "G/1", "1/2/3", "123456789/0"):
        assert wal.parse(wrong) is None


async def test_without_replicas_a_mutation_answer_carries_no_lsn(editor: GraphQL) -> None:
    body = await editor(CREATE)
    assert body["data"]["createEvent"]["userErrors"] == []
    assert "lsn" not in body["extensions"]


async def test_without_replicas_an_lsn_sent_back_changes_nothing(client: httpx.AsyncClient) -> None:
    query = {"query": '{ country(code: "BE") { name } }'}
    plain = await client.post("/graphql", json=query)
    sent = await client.post("/graphql", json=query, headers={"X-Bilateral-LSN": "FF/0"})
    assert sent.status_code == plain.status_code == 200
    assert unrated(sent.json()) == unrated(plain.json())
    refused = await client.post("/graphql", json=query, headers={"X-Bilateral-LSN": "yesterday"})
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite statements have no time limit")
async def test_the_apps_statements_have_a_time_limit_and_the_commands_do_not(
    database_url: str,
) -> None:
    settings = Settings(database_url=database_url)
    sleep = sqlalchemy.text("SELECT pg_sleep(0.6)")
    app = Database.open(database_url, statement_timeout=0.2)
    command = settings.database(compiled=False, command=True)
    try:
        async with app.engine.connect() as connection:
            with pytest.raises(TimeoutError):
                await connection.execute(sleep)
        async with command.engine.connect() as connection:
            await connection.execute(sleep)  # a seed's long statement runs to its end
    finally:
        await app.close()
        await command.close()
