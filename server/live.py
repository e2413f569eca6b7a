"""Subscriptions over WebSocket at /graphql, with the graphql-transport-ws protocol."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from db.session import Writer
from schema.context import Context
from schema.limits import Limits
from schema.websocket import websocket_schema


class SubscriptionEndpoint(GraphQL[Context, None]):
    """Strawberry's WebSocket handling, with our Context; the token may come with connection_init."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        writer: Writer,
        limits: Limits,
        timeout: float,
    ) -> None:
        super().__init__(
            websocket_schema(limits, timeout),  # held to the same limits and checks as HTTP
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.sessions = sessions
        self.writer = writer

    async def get_context(self, request: Any, response: Any) -> Context:
        context = Context(self.sessions, self.writer)
        context.websocket = request
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        # Subscriptions to public data need no token; one given here is used for mutations.
        params = context.connection_params or {}
        token = params.get("Authorization") or params.get("authorization")
        if isinstance(token, str):
            context.authorization = token
        return await super().on_ws_connect(context)
