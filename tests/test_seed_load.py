"""Loading the seed: all or nothing, and the same database however often it runs."""

import sqlite3
from pathlib import Path

import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncEngine

from db.base import Base
from db.session import make_engine, make_sessions
from seed.document import SeedError
from seed.load import ARTICLE, seed_database

TABLES = sorted(table for table in Base.metadata.tables)


async def _fresh(path: Path) -> AsyncEngine:
    engine = make_engine(f"sqlite+aiosqlite:///{path}")
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    return engine


def _dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as connection:
        return {
            table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
            for table in [*TABLES, "search_index"]
        }


async def test_seed_twice_gives_the_same_database(tmp_path: Path) -> None:
    once, twice = tmp_path / "once.db", tmp_path / "twice.db"
    for path, loads in ((once, 1), (twice, 2)):
        engine = await _fresh(path)
        for _ in range(loads):
            await seed_database(make_sessions(engine), reset=True)
        await engine.dispose()
    first, second = _dump(once), _dump(twice)
    assert first == second
    assert len(first["event"]) == 19 and len(first["country"]) == 249


async def test_seed_without_reset_leaves_a_loaded_database_alone(tmp_path: Path) -> None:
    engine = await _fresh(tmp_path / "db.sqlite")
    sessions = make_sessions(engine)
    assert await seed_database(sessions) is not None
    before = _dump(tmp_path / "db.sqlite")
    assert await seed_database(sessions) is None
    assert _dump(tmp_path / "db.sqlite") == before
    await engine.dispose()


async def test_a_bad_seed_file_changes_nothing(tmp_path: Path) -> None:
    engine = await _fresh(tmp_path / "db.sqlite")
    sessions = make_sessions(engine)
    await seed_database(sessions)
    before = _dump(tmp_path / "db.sqlite")
    broken = yaml.safe_load(ARTICLE.read_text(encoding="utf-8"))
    broken["events"][0]["date"] = "1957-02-30"
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        SeedError, match=r'events\[0\] "Belgium and Malaysia establish diplomatic relations"\.date'
    ):
        await seed_database(sessions, bad_file, reset=True)
    assert _dump(tmp_path / "db.sqlite") == before
    await engine.dispose()
