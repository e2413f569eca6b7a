"""The GraphQL schema: `schema`, built from the root types and our extensions."""

import strawberry
from strawberry.extensions import AddValidationRules
from strawberry.schema.config import StrawberryConfig

from schema.query import Query
from schema.scalars import SCALARS
from schema.validation import PartialDateLiteralRule

schema = strawberry.Schema(
    query=Query,
    config=StrawberryConfig(scalar_map=SCALARS),
    extensions=[AddValidationRules([PartialDateLiteralRule])],
)
