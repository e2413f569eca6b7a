"""The GraphQL schema: `schema`, built from the root types.

Requests run through schema.execution.Operations, which adds the validation rules
and limits; Strawberry's schema object supplies the types and the SDL.
"""

from typing import Any

import strawberry
from strawberry.extensions import AddValidationRules, MaxTokensLimiter
from strawberry.schema.config import StrawberryConfig

from schema.limits import Limits, limit_rules
from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALARS
from schema.subscription import Subscription
from schema.validation import PartialDateLiteralRule


def _websocket_checks() -> list[Any]:
    """The document checks for operations Strawberry runs itself (over WebSocket), at default limits.

    HTTP requests run through schema.execution.Operations with the configured limits.
    """
    limits = Limits()
    return [
        lambda: MaxTokensLimiter(limits.max_tokens),
        lambda: AddValidationRules([PartialDateLiteralRule, *limit_rules(limits)]),
    ]


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    subscription=Subscription,
    config=StrawberryConfig(scalar_map=SCALARS),
    extensions=_websocket_checks(),
)
