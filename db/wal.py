"""Positions in PostgreSQL's write-ahead log (LSNs): read from a server, written as PostgreSQL does.

A position is kept as a whole number of bytes from the start of the log, and written
the way PostgreSQL writes a `pg_lsn`: two hexadecimal halves, `16/B374D848`.
"""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

_WRITTEN = re.compile(r"([0-9A-Fa-f]{1,8})/([0-9A-Fa-f]{1,8})")

# Subtracting the log's start turns a pg_lsn into its number of bytes.
INSERTED = text("SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn")
REPLAYED = text("SELECT pg_last_wal_replay_lsn() - '0/0'::pg_lsn")


def parse(written: str) -> int | None:
    """The position `written` stands for, or None when it is not one."""
    found = _WRITTEN.fullmatch(written.strip())
    if found is None:
        return None
    return (int(found[1], 16) << 32) + int(found[2], 16)


def write(position: int) -> str:
    """A position as PostgreSQL writes it."""
    return f"{position >> 32:X}/{position & 0xFFFFFFFF:X}"


async def inserted(connection: AsyncSession | AsyncConnection) -> int:
    """How far the primary's log reaches: past the end of every transaction committed before."""
    return int((await connection.execute(INSERTED)).scalar_one())


async def replayed(connection: AsyncSession | AsyncConnection) -> int | None:
    """How far a standby has replayed the primary's log; None on a server that is no standby."""
    found = (await connection.execute(REPLAYED)).scalar_one()
    return None if found is None else int(found)
