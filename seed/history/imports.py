"""`bilateral import` of an Office of the Historian archive: one entry point for every dataset.

The archive is read and checked in full first (seed/history/archive.py), then its dataset's
importer writes it in one transaction. A dataset without an importer yet is refused. An
importer refuses what it cannot import by raising ArchiveError (or a subclass, PocomError):
the transaction rolls back and nothing is written.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.relation_links import ensure_relations
from seed.countries import ensure_countries
from seed.history.archive import Archive, ArchiveError, open_archive
from seed.history.chiefs import import_chiefs
from seed.history.events import import_events
from seed.history.posts import import_gsh

# Each dataset's importer: it writes an archive into the session's transaction and returns a
# report whose str() says what it did.
Importer = Callable[[AsyncSession, Archive], Awaitable[Any]]
IMPORTERS: dict[str, Importer] = {
    "gsh": import_gsh,
    "pocom": import_chiefs,
    "travels": import_events,
    "visits": import_events,
    "rdcr": import_events,
}


@runtime_checkable
class SkipReport(Protocol):
    """A report that accounts for rows it did not import, each with its reason."""

    def write(self, path: Path) -> None:
        """Write every skipped row, with its reason, to a tab-separated file."""

    def reasons(self) -> Any:
        """How many rows were skipped for each kind of reason (a Counter)."""


async def run_import(sessions: async_sessionmaker[AsyncSession], archive: Archive) -> Any:
    """Import a read archive in one transaction and return its importer's report;
    ArchiveError, and nothing written, where it cannot be imported."""
    importer = IMPORTERS.get(archive.dataset)
    if importer is None:
        raise ArchiveError(f"{archive.dataset} archives cannot be imported yet")
    async with sessions() as session, session.begin():
        await ensure_countries(session)
        report = await importer(session, archive)
        await ensure_relations(session)  # the pairs its posts and events link
        return report


async def import_archive(
    sessions: async_sessionmaker[AsyncSession], path: Path, skipped: Path | None = None
) -> int:
    """Import one archive; print what it did, or why nothing was imported (exit status 1).
    Where the importer skips rows, each is written with its reason to `skipped` (default:
    `<dataset>.skipped.tsv`)."""
    try:
        archive = open_archive(path)
        for member in archive.skipped:
            print(f"  left unread: {member.member}: {member.reason}", file=sys.stderr)
        report = await run_import(sessions, archive)
    except ArchiveError as error:
        print(f"{path} cannot be imported; nothing was imported:\n{error}", file=sys.stderr)
        return 1
    print(f"Imported {path} ({archive.dataset} at {archive.commit}): {report}.")
    if isinstance(report, SkipReport):
        where = skipped or Path(f"{archive.dataset}.skipped.tsv")
        report.write(where)
        for reason, count in report.reasons().most_common():
            print(f"  skipped {count:>4}: {reason}")
        print(f"Every skipped row and every fault noticed, with its reason: {where}")
    return 0
