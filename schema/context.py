"""What every resolver sees: the request's reader and its DataLoaders."""

from __future__ import annotations

from typing import Any

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.session import Reader
from schema.loaders import Loaders


class Context:
    """One request's access to the data; nothing in it outlives the request."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], request: Any = None) -> None:
        self.reader = Reader(sessions)
        self.loaders = Loaders(self.reader)
        self.request = request


Info = strawberry.Info[Context, None]
