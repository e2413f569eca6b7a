"""Loading the seed: all or nothing, and the same database however often it runs."""

from pathlib import Path

import pytest
import yaml
from databases import ON_POSTGRESQL, Databases, dump
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.countries import former_states
from db.database import Database
from db.migrate import ensure_schema
from db.session import make_sessions
from seed.document import SeedError
from seed.load import ARTICLE, seed_database


async def _fresh(url: str) -> AsyncEngine:
    database = Database.open(url)
    await ensure_schema(database)
    return database.engine


async def test_seed_twice_gives_the_same_database(databases: Databases) -> None:
    once, twice = databases.new(), databases.new()
    for url, loads in ((once, 1), (twice, 2)):
        engine = await _fresh(url)
        for _ in range(loads):
            await seed_database(make_sessions(engine), reset=True)
        await engine.dispose()
    first, second = dump(once), dump(twice)
    assert first == second
    # ISO's 249, Kosovo, and the states that no longer exist
    assert len(first["event"]) == 19 and len(first["country"]) == 249 + 1 + len(former_states())


async def test_seed_without_reset_leaves_a_loaded_database_alone(database_url: str) -> None:
    engine = await _fresh(database_url)
    sessions = make_sessions(engine)
    assert await seed_database(sessions) is not None
    before = dump(database_url)
    assert await seed_database(sessions) is None
    assert dump(database_url) == before
    await engine.dispose()


async def test_a_bad_seed_file_changes_nothing(tmp_path: Path, database_url: str) -> None:
    engine = await _fresh(database_url)
    sessions = make_sessions(engine)
    await seed_database(sessions)
    before = dump(database_url)
    broken = yaml.safe_load(ARTICLE.read_text(encoding="utf-8"))
    broken["events"][0]["date"] = "1957-02-30"
    bad_file = tmp_path / "bad.yaml"
    bad_file.write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    with pytest.raises(
        SeedError, match=r'events\[0\] "Belgium and Malaysia establish diplomatic relations"\.date'
    ):
        await seed_database(sessions, bad_file, reset=True)
    assert dump(database_url) == before
    await engine.dispose()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="SQLite plans the seeded database without statistics")
async def test_a_seeded_postgresql_database_has_its_planner_statistics(database_url: str) -> None:
    engine = await _fresh(database_url)
    try:
        assert await seed_database(make_sessions(engine)) is not None
        async with engine.connect() as connection:
            analyzed = await connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_user_tables WHERE relname IN"
                    " ('mission', 'event', 'country') AND last_analyze IS NOT NULL"
                )
            )
        assert analyzed == 3
    finally:
        await engine.dispose()
