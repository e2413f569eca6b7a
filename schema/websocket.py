"""Operations over WebSocket: a query or mutation through the one executor, a subscription
through Strawberry's, after the same checks.

A query or mutation that arrives on the socket is answered by
`schema.execution.Operations.execute`, the call HTTP makes: the same validation, limits,
node estimate (with the measured list sizes), error codes, time limit and cost, because
it is the same path. A subscription runs for as long as the client keeps it, so
Strawberry runs it, once the executor's own checks (`Operations.prepare`, `Operations.check`)
have passed it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import strawberry
from graphql import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.schema import StreamResult
from strawberry.types.execution import ExecutionResult, PreExecutionError
from strawberry.types.graphql import OperationType as StrawberryOperationType

from schema.compiled.plans import RawJSON
from schema.context import Context
from schema.errors import mask_unexpected
from schema.execution import Answer, NotCarried, Operations, Request
from schema.mutation import Mutation
from schema.query import Query
from schema.scalars import SCALARS
from schema.subscription import Subscription


def _checks(operations: Operations) -> type[SchemaExtension]:
    class SubscriptionChecks(SchemaExtension):
        """A subscription's checks, the executor's own, before it starts; codes after."""

        def on_validate(self) -> Iterator[None]:
            context = self.execution_context
            document = context.graphql_document
            assert document is not None and context.query is not None
            errors = operations.prepare(context.query).errors
            operation = get_operation_ast(document, context.operation_name)
            if not errors and operation is not None:
                errors = operations.check(document, operation, context.variables)
            context.pre_execution_errors = errors  # validation is done: Strawberry skips its own
            yield

        async def on_execute(self) -> AsyncIterator[None]:
            yield
            result = self.execution_context.result
            if result is not None and result.errors:
                result.errors = mask_unexpected(result.errors, "websocket")

    return SubscriptionChecks


async def _one(answer: Answer) -> StreamResult:
    """The executor's answer as Strawberry sends it: an `error` message for a request refused
    before it ran, else one `next`."""
    if answer.refused:
        yield PreExecutionError(data=None, errors=answer.errors)
        return
    data = json.loads(answer.data.text) if isinstance(answer.data, RawJSON) else answer.data
    yield ExecutionResult(data=data, errors=answer.errors, extensions=answer.extensions)


async def _own_reads(results: StreamResult, context: Context) -> StreamResult:
    """A subscription's results; its reads closed when it ends."""
    try:
        async for result in results:
            yield result
    finally:
        await results.aclose()
        await context.reader.close()


class _SocketSchema(strawberry.Schema):
    """Hands each query or mutation on a socket to the executor; runs a subscription with
    reads of its own."""

    operations: Operations
    request_ids: Callable[[], str]

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
        # The connection's context holds its token and socket.
        assert isinstance(context_value, Context)
        request = Request(query or "", variable_values, operation_name)
        try:
            answer = await self.operations.execute(
                request,
                self.request_ids(),
                authorization=context_value.authorization,
                address=_address(context_value.websocket),
            )
        except NotCarried:  # a subscription
            pass
        else:
            return _one(answer)
        # Each subscription reads afresh: no session or DataLoader cache outlives it.
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
        return _own_reads(results, context)


def websocket_schema(operations: Operations, request_ids: Callable[[], str]) -> strawberry.Schema:
    """The schema the WebSocket endpoint runs operations with: through `operations`, each
    query or mutation given an ID by `request_ids`."""
    schema = _SocketSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=[_checks(operations)],
    )
    schema.operations = operations
    schema.request_ids = request_ids
    return schema


def _address(websocket: object) -> str | None:
    """The network address of a WebSocket's client, for its budget (schema.budget)."""
    client = getattr(websocket, "client", None)
    host = getattr(client, "host", None)
    return host if isinstance(host, str) else None
