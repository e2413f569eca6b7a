"""The GraphQL schema: `schema`, built from the root types.

Requests over HTTP run through schema.execution.Operations, and over WebSocket through
schema.websocket's schema, each adding the validation rules and the configured limits;
this schema object supplies the types and the SDL.
"""

import strawberry
from strawberry.schema.config import StrawberryConfig

from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALARS
from schema.subscription import Subscription

schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(scalar_map=SCALARS),
)
