"""`bilateral import` of an Office of the Historian archive: one entry point for every dataset.

The archive is read and checked in full first (seed/history/archive.py), then its dataset's
importer writes it in one transaction. A dataset without an importer yet is refused.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from seed.countries import ensure_countries
from seed.history.archive import Archive, ArchiveError, open_archive
from seed.history.events import import_events
from seed.history.former_states import load_former_states

# Each dataset's importer: it writes an archive into the session's transaction and returns a
# report whose str() says what it did.
Importer = Callable[[AsyncSession, Archive], Awaitable[Any]]
IMPORTERS: dict[str, Importer] = {
    "gsh": load_former_states,
    "travels": import_events,
    "visits": import_events,
    "rdcr": import_events,
}


async def import_archive(sessions: async_sessionmaker[AsyncSession], path: Path) -> int:
    """Import one archive; print what it did, or why nothing was imported (exit status 1)."""
    try:
        archive = open_archive(path)
        importer = IMPORTERS.get(archive.dataset)
        if importer is None:
            raise ArchiveError(f"{archive.dataset} archives cannot be imported yet")
    except ArchiveError as error:
        print(f"{path} cannot be imported; nothing was imported:\n{error}", file=sys.stderr)
        return 1
    for skipped in archive.skipped:
        print(f"  left unread: {skipped.member}: {skipped.reason}", file=sys.stderr)
    try:
        async with sessions() as session, session.begin():
            await ensure_countries(session)
            report = await importer(session, archive)
    except ArchiveError as error:
        print(f"{path} cannot be imported; nothing was imported:\n{error}", file=sys.stderr)
        return 1
    print(f"Imported {path} ({archive.dataset} at {archive.commit}): {report}.")
    if hasattr(report, "write"):  # a report that accounts for every row, to a file
        target = Path(path.name.split(".")[0] + ".report.tsv")
        report.write(target)
        for reason, count in report.reasons().most_common():
            print(f"  skipped {count:>4}: {reason}")
        print(f"Every skipped row and every fault noticed, with its reason: {target}")
    return 0
