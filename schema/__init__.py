"""The GraphQL schema: `schema`, built from the root types and our extensions."""

from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import AddValidationRules
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from schema.query import Query
from schema.scalars import SCALARS
from schema.validation import PartialDateLiteralRule


class Schema(strawberry.Schema):
    """Strawberry's schema, logging only the errors that are not the client's doing."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        unexpected = [
            error
            for error in errors
            if error.original_error is not None
            and not isinstance(error.original_error, GraphQLError)
        ]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def _extensions() -> list[Any]:
    return [lambda: AddValidationRules([PartialDateLiteralRule])]


schema = Schema(
    query=Query,
    config=StrawberryConfig(scalar_map=SCALARS),
    extensions=_extensions(),
)
