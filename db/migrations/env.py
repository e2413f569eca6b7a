"""Alembic's environment: runs the migrations on the database URL it is given, async."""

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import db.models  # noqa: F401  (registers every table on the metadata)
from db.base import Base
from db.session import make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by copying it and dropping the old one. With foreign keys
        # enforced, that drop would refuse (or cascade to) the rows that point at it, so they
        # are off while migrating (set outside any transaction, where SQLite honours it) and
        # every reference is checked once the migration is done.
        connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
        # pysqlite starts transactions only before data changes, so DDL would run outside
        # one: begun here, a failed migration leaves the schema as it was.
        connection.exec_driver_sql("BEGIN")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"The migration left rows whose references are broken: {broken}")
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys = ON")


async def _run_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    assert url is not None
    engine = make_engine(url, pooled=bool(context.config.attributes.get("pooled")))
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await engine.dispose()


asyncio.run(_run_online())
