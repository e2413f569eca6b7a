"""What every resolver sees: the request's reader, its DataLoaders, and the means to write."""

from __future__ import annotations

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.session import Reader, Writer
from schema.budget import Usage
from schema.loaders import Loaders


class Context:
    """One request's access to the data; nothing in it outlives the request."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        writer: Writer,
        authorization: str | None = None,
    ) -> None:
        self.sessions = sessions
        self.writer = writer
        self.feed = writer.feed
        self.authorization = authorization  # the request's Authorization header, if any
        self.connection_params: dict[str, object] | None = (
            None  # a WebSocket's connection_init payload
        )
        self.websocket: object | None = None  # the WebSocket of a subscription, if any
        self.reader = Reader(sessions)
        self._loaders: Loaders | None = None
        # Where the log stood after this request's last commit (PostgreSQL with replicas).
        self.position: int | None = None
        # Where the caller's budget stood before this request, when budgets are on.
        self.rate: Usage | None = None

    @property
    def loaders(self) -> Loaders:
        """The request's DataLoaders, made when a resolver first needs them."""
        if self._loaders is None:
            self._loaders = Loaders(self.reader)
        return self._loaders

    def committed(self, position: object) -> None:
        """Note a commit's log position, if the writer read one."""
        if isinstance(position, int):
            self.position = max(position, self.position or 0)

    def for_operation(self) -> Context:
        """A context for one operation on a WebSocket: the connection's token and socket, fresh reads."""
        context = Context(self.sessions, self.writer, self.authorization)
        context.connection_params = self.connection_params
        context.websocket = self.websocket
        return context

    async def refresh(self) -> None:
        """After a write: later reads in this request start afresh and see it."""
        await self.reader.close()
        self._loaders = None


Info = strawberry.Info[Context, None]
