"""Automatic persisted queries (Apollo's protocol): clients send a hash instead of the text.

The store is per process by design: a client whose hash is unknown to this process
gets PERSISTED_QUERY_NOT_FOUND and sends the text once more, which any process accepts.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict


class PersistedQueries:
    """A bounded store of query texts by SHA-256, dropping the least recently used."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._texts: OrderedDict[str, str] = OrderedDict()

    def get(self, sha256: str) -> str | None:
        """The text stored under a hash, or None."""
        text = self._texts.get(sha256)
        if text is not None:
            self._texts.move_to_end(sha256)
        return text

    def add(self, sha256: str, text: str) -> bool:
        """Store a text under its hash; False (nothing stored) when the hash is not the text's."""
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha256.lower():
            return False
        self._texts[sha256.lower()] = text
        self._texts.move_to_end(sha256.lower())
        while len(self._texts) > self.capacity:
            self._texts.popitem(last=False)
        return True

    def __len__(self) -> int:
        return len(self._texts)
