"""The GraphQL schema: `schema`, built from the root types.

Requests run through schema.execution.Operations, which adds the validation rules
and limits; Strawberry's schema object supplies the types and the SDL.
"""

import strawberry
from strawberry.schema.config import StrawberryConfig

from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALARS

schema = strawberry.Schema(
    query=Query, mutation=Mutation, config=StrawberryConfig(scalar_map=SCALARS)
)
