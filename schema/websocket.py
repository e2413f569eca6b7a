"""The checks HTTP requests get, for the operations Strawberry runs over WebSocket.

Strawberry parses, validates and runs what arrives on the socket itself; this schema
gives it the same rules and limits as schema.execution.Operations: the configured
token, depth, alias and node limits, the same validation, the same error codes,
unexpected errors masked, and the time limit on queries and mutations (a subscription
runs for as long as the client keeps it).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

import strawberry
from graphql import GraphQLError, OperationType, get_operation_ast, parse, validate
from graphql.execution.values import get_variable_values
from strawberry.extensions import MaxTokensLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StreamResult
from strawberry.types.execution import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from schema.context import Context
from schema.errors import mask_unexpected, timed_out
from schema.execution import coded, validation_rules
from schema.limits import Limits, node_check
from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALARS
from schema.subscription import Subscription
from schema.validation import nul_in_variables


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
                elif refused := nul_in_variables(coerced.coerced):
                    errors = refused
                else:
                    _, too_big = node_check(schema, limits)(document, operation, coerced)
                    errors = [] if too_big is None else [too_big]
            context.pre_execution_errors = errors  # validation is done: Strawberry skips its own
            yield

        async def on_execute(self) -> AsyncIterator[None]:
            yield
            result = self.execution_context.result
            if result is not None and result.errors:
                result.errors = mask_unexpected(result.errors, "websocket")

    return OperationChecks


def _single_result(query: str | None, operation_name: str | None) -> bool:
    """Whether the document's operation is a query or a mutation (False if it does not parse)."""
    try:
        operation = get_operation_ast(parse(query or ""), operation_name)
    except GraphQLError:
        return False  # Strawberry parses it again and reports the syntax error
    return operation is not None and operation.operation != OperationType.SUBSCRIPTION


async def _own_reads(
    results: StreamResult, context: Context, timeout: float | None
) -> StreamResult:
    """The operation's results; its reads closed when it ends.

    With a timeout (a query or mutation), the one result, or a TIMEOUT error once the
    time limit has passed.
    """
    try:
        if timeout is None:
            async for result in results:
                yield result
            return
        try:
            async with asyncio.timeout(timeout):
                first = await anext(results, None)
        except TimeoutError:
            first = ExecutionResult(data=None, errors=[timed_out(timeout, "websocket")])
        if first is not None:
            yield first
    finally:
        await results.aclose()
        await context.reader.close()


class _SocketSchema(strawberry.Schema):
    """Runs each operation on a socket with reads of its own, and a query or mutation within the time limit."""

    timeout: float

    async def stream(
        self,
        query: str | None,
        variable_values: dict[str, Any] | None = None,
        context_value: Any | None = None,
        root_value: Any | None = None,
        operation_name: str | None = None,
        operation_extensions: dict[str, Any] | None = None,
        allowed_operation_types: Iterable[StrawberryOperationType] | None = None,
    ) -> StreamResult:
        # The connection's context holds its token and socket; each operation reads afresh,
        # so no session or DataLoader cache outlives the operation that opened it.
        assert isinstance(context_value, Context)
        context = context_value.for_operation()
        results = await super().stream(
            query,
            variable_values,
            context,
            root_value,
            operation_name,
            operation_extensions,
            allowed_operation_types,
        )
        timeout = self.timeout if _single_result(query, operation_name) else None
        return _own_reads(results, context, timeout)


def websocket_schema(limits: Limits, timeout: float) -> strawberry.Schema:
    """The schema the WebSocket endpoint runs operations with, held to these limits."""
    schema = _SocketSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[lambda: MaxTokensLimiter(limits.max_tokens), _checks(limits)],
    )
    schema.timeout = timeout
    return schema
