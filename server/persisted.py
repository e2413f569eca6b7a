"""Automatic persisted queries (Apollo's protocol): clients send a hash instead of the text.

The store is the database's, so a hash registered through one process works on every
other; each process keeps the texts it has used lately in memory, in front of it.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.persisted_queries import find_query, register_query
from db.session import Writer


class PersistedQueries:
    """Query texts by SHA-256: the database's store, with a bounded memory of recent ones."""

    def __init__(
        self, capacity: int, sessions: async_sessionmaker[AsyncSession], writer: Writer
    ) -> None:
        self.capacity = capacity  # texts kept, both in the database and in this process
        self._sessions = sessions  # the primary's: a hash registered a moment ago is there
        self._writer = writer
        self._texts: OrderedDict[str, str] = OrderedDict()

    async def get(self, sha256: str) -> str | None:
        """The text stored under a hash, or None."""
        sha256 = sha256.lower()
        text = self._texts.get(sha256)
        if text is None:
            async with self._sessions() as session:
                text = await find_query(session, sha256)
            if text is None:
                return None
            self._remember(sha256, text)
        self._texts.move_to_end(sha256)
        return text

    async def add(self, sha256: str, text: str) -> bool:
        """Store a text under its hash; False (nothing stored) when the hash is not the text's."""
        sha256 = sha256.lower()
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256:
            return False
        if sha256 not in self._texts:
            async with self._writer.transaction() as session:
                await register_query(session, sha256, text, self.capacity)
        self._remember(sha256, text)
        return True

    def _remember(self, sha256: str, text: str) -> None:
        self._texts[sha256] = text
        self._texts.move_to_end(sha256)
        while len(self._texts) > self.capacity:
            self._texts.popitem(last=False)

    def __len__(self) -> int:
        return len(self._texts)
