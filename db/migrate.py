"""Schema migrations with Alembic: upgrading a database, and telling whether it is current."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from db.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaBehind(RuntimeError):
    """The database's schema is older than the code's: it needs `bilateral migrate`."""


def alembic_config(url: str, *, pooled: bool = False) -> Config:
    """Alembic's configuration for one database (through a transaction-mode pooler?), without
    an alembic.ini."""
    config = Config()
    config.attributes["pooled"] = pooled
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The revision the code's models are at."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def upgrade(url: str, *, pooled: bool = False) -> None:
    """Bring a database's schema up to the code's (blocking: runs its own event loop)."""
    command.upgrade(alembic_config(url, pooled=pooled), "head")


async def schema_state(engine: AsyncEngine) -> str | None:
    """The database's revision; "" for a database without any tables; None if untracked."""

    def read(connection: object) -> str | None:
        if not inspect(connection).get_table_names():
            return ""
        return MigrationContext.configure(connection).get_current_revision()  # type: ignore[arg-type]

    async with engine.connect() as connection:
        return await connection.run_sync(read)


async def check_schema(engine: AsyncEngine) -> None:
    """Raise SchemaBehind unless the database is at the code's revision."""
    found, head = await schema_state(engine), head_revision()
    if found != head:
        where = "has no tables" if found == "" else f"is at revision {found}"
        raise SchemaBehind(
            f"The database {where}; the code needs revision {head}. Run `bilateral migrate` first."
        )


async def ensure_schema(database: Database) -> None:
    """Create the schema in a database without tables; refuse one whose schema is behind.

    A new, empty database is set up at once (that is how `make run` starts on a fresh
    machine); an existing one is never migrated behind its owner's back.
    """
    if await schema_state(database.engine) == "":
        # Alembic runs its own event loop, and so an engine of its own.
        await asyncio.to_thread(upgrade, database.alembic_url, pooled=database.pooled)
    await check_schema(database.engine)
