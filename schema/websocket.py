"""The checks HTTP requests get, for the operations Strawberry runs over WebSocket.

Strawberry parses, validates and runs what arrives on the socket itself; this schema
gives it the same rules and limits as schema.execution.Operations: the configured
token, depth, alias and node limits, the same validation, the same error codes, and
unexpected errors masked.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import strawberry
from graphql import get_operation_ast, validate
from graphql.execution.values import get_variable_values
from strawberry.extensions import MaxTokensLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig

from schema.errors import mask_unexpected
from schema.execution import coded, validation_rules
from schema.limits import Limits, node_check
from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALARS
from schema.subscription import Subscription


def _checks(limits: Limits) -> type[SchemaExtension]:
    class OperationChecks(SchemaExtension):
        """Validation, variables and the node estimate, before an operation runs; codes after."""

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            document = context.graphql_document
            assert document is not None
            schema = context.schema._schema
            errors = coded(
                validate(schema, document, validation_rules(limits)), "GRAPHQL_VALIDATION_FAILED"
            )
            operation = get_operation_ast(document, context.operation_name)
            if not errors and operation is not None:
                coerced = get_variable_values(
                    schema, operation.variable_definitions or (), dict(context.variables or {})
                )
                if isinstance(coerced, list):
                    errors = coded(coerced, "BAD_USER_INPUT")
                else:
                    _, too_big = node_check(schema, limits)(document, operation, coerced.coerced)
                    errors = [] if too_big is None else [too_big]
            context.pre_execution_errors = errors  # validation is done: Strawberry skips its own
            yield

        async def on_execute(self) -> AsyncIterator[None]:
            yield
            result = self.execution_context.result
            if result is not None and result.errors:
                result.errors = mask_unexpected(result.errors, "websocket")

    return OperationChecks


def websocket_schema(limits: Limits) -> strawberry.Schema:
    """The schema the WebSocket endpoint runs operations with, held to these limits."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[lambda: MaxTokensLimiter(limits.max_tokens), _checks(limits)],
    )
