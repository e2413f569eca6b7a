"""Subscriptions, queries and mutations over WebSocket at /graphql, with the graphql-transport-ws protocol."""

from __future__ import annotations

from typing import Any

from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types.unset import UnsetType

from schema.context import Context
from schema.execution import Operations
from schema.websocket import websocket_schema
from server import request_id


class SubscriptionEndpoint(GraphQL[Context, None]):
    """Strawberry's WebSocket handling, with our Context; the token may come with connection_init."""

    def __init__(self, operations: Operations) -> None:
        super().__init__(
            websocket_schema(operations, request_id.new),  # the executor HTTP requests go through
            graphql_ide=None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.operations = operations

    async def get_context(self, request: Any, response: Any) -> Context:
        # Subscriptions read from the primary, where the feed's changes are first committed.
        context = Context(self.operations.replicas.primary.sessions, self.operations.writer)
        context.websocket = request
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        # Subscriptions to public data need no token; one given here is used for mutations.
        params = context.connection_params or {}
        token = params.get("Authorization") or params.get("authorization")
        if isinstance(token, str):
            context.authorization = token
        return await super().on_ws_connect(context)
