"""Files cut from real rows of the shipped Wikidata release, and `bilateral import` run on them."""

import asyncio
import gzip
from pathlib import Path

import pytest

from seed.load import WORLD
from seed.wikidata.release import HEADER
from server.cli import main

BELGIUM_IN_KUALA_LUMPUR = "Q104586118"
MALAYSIA_IN_BRUSSELS = "Q69876977"
CANADA_TO_THE_HOLY_SEE = "Q63615140"
CANADA_IN_ROME = "Q103268964"
AUSTRALIA_IN_ANKARA = "Q106519946"  # the row gives Australia as the country it is in
GERMANY_IN_GUANGZHOU = "Q15903420"  # covers provinces, which are not countries
AFGHANISTAN_IN_WARSAW = "Q9149445"  # founded "1927-01-01T00:00:00Z": the year 1927
NEPAL_OR_IRAQ_IN_KUWAIT = "Q106686567"  # two rows, two senders
QUEBEC_IN_PARIS = "Q335453"


def _release_lines() -> list[str]:
    return gzip.decompress(WORLD.read_bytes()).decode("utf-8").split("\n")


def release_rows(*qids: str) -> list[str]:
    """The release's rows of these posts, in the order asked for (each row of a post)."""
    lines = _release_lines()[1:]
    return [line for qid in qids for line in lines if line.endswith(f"/entity/{qid}")]


ENTITY = "http://www.wikidata.org/entity/"


def edited_row(row: str, values: dict[int, str]) -> str:
    """A row with some of its fields (by index) set to other values."""
    fields = row.split(";")
    for index, value in values.items():
        fields[index] = value
    return ";".join(fields)


def release_file(
    folder: Path, rows: list[str], name: str = "database_of_embassies-2022-11-16.csv"
) -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER + ";", *rows]) + "\n", encoding="utf-8")
    return path


def import_release(
    database_url: str, monkeypatch: pytest.MonkeyPatch, path: Path, *options: str
) -> int:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.chdir(path.parent)  # where the report of skipped rows is written
    return main(["import", str(path), *options])


async def imported_release(
    database_url: str, monkeypatch: pytest.MonkeyPatch, path: Path, *options: str
) -> int:
    """import_release from an async test, in a thread of its own: the command runs its own event loop."""
    return await asyncio.to_thread(import_release, database_url, monkeypatch, path, *options)


async def import_posts(
    database_url: str, monkeypatch: pytest.MonkeyPatch, folder: Path, *qids: str
) -> None:
    """Import a file of the release's rows of these posts; the command must succeed."""
    path = release_file(folder, release_rows(*qids))
    assert await imported_release(database_url, monkeypatch, path) == 0
