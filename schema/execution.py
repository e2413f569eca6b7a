"""Running one GraphQL operation: parse and validate once per document, check the limits, execute.

Documents are cached after parsing and validation (by their text), so a repeated
query pays only for the checks that depend on its variables, and for execution.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ASTValidationRule,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    execute,
    get_operation_ast,
    parse,
    specified_rules,
    validate,
)
from graphql.execution.values import VariableValues, get_variable_values
from graphql.language import OperationType

from db.statements import Statements
from schema.compiled.plans import Plans, RawJSON
from schema.errors import mask_unexpected, timed_out
from schema.limits import Limits, count_tokens, limit_error, limit_rules, node_check
from schema.list_sizes import ListSizes
from schema.validation import NulCharacterRule, PartialDateLiteralRule, nul_in_variables

log = logging.getLogger("bilateral.execution")


def validation_rules(limits: Limits) -> list[type[ASTValidationRule]]:
    """The rules every document is validated with, over HTTP and WebSocket alike."""
    return [*specified_rules, PartialDateLiteralRule, NulCharacterRule, *limit_rules(limits)]


def coded(errors: list[GraphQLError], code: str) -> list[GraphQLError]:
    """The errors, each given `code` as its extensions.code unless it has one."""
    for error in errors:
        error.extensions = {"code": code, **(error.extensions or {})}
    return errors


@dataclass(frozen=True)
class Prepared:
    """A parsed document (None if it did not parse) and the errors that stop it from running."""

    document: DocumentNode | None
    errors: list[GraphQLError] = field(default_factory=list)

    @property
    def runnable(self) -> DocumentNode | None:
        """The document when it may run: parsed and valid."""
        return None if self.errors else self.document


@dataclass(frozen=True)
class Answer:
    """An operation's result, and the node estimate it was checked against."""

    result: ExecutionResult | RawJSON
    estimate: int


class RequestError(Exception):
    """The request cannot run: its errors are the response, nothing was executed."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class Operations:
    """Prepares and runs operations against one schema under one set of limits."""

    def __init__(
        self,
        schema: GraphQLSchema,
        limits: Limits,
        *,
        timeout: float,
        cache_size: int = 512,
        plans: Plans | None = None,
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.timeout = timeout
        self.cache_size = cache_size
        self._rules = validation_rules(limits)
        self.sizes = ListSizes(schema)  # the longest lists in the data, for the node estimate
        self._check_nodes = node_check(schema, limits, self.sizes.of)
        self._prepared: OrderedDict[str, Prepared] = OrderedDict()
        self.plans = plans  # compiled execution; None runs every operation on the resolvers

    def prepare(self, query: str) -> Prepared:
        """The document for a query text, parsed and validated (cached by text)."""
        found = self._prepared.get(query)
        if found is not None:
            self._prepared.move_to_end(query)
            return found
        prepared = self._parse_and_validate(query)
        self._prepared[query] = prepared
        if len(self._prepared) > self.cache_size:
            self._prepared.popitem(last=False)
        return prepared

    def _parse_and_validate(self, query: str) -> Prepared:
        try:
            document = parse(
                query, max_tokens=self.limits.max_tokens, allow_empty_selection_sets=False
            )
        except GraphQLError as syntax_error:
            if "tokens. Parsing aborted" in syntax_error.message:
                found = count_tokens(query)
                limit = self.limits.max_tokens
                return Prepared(
                    None, [limit_error("max_tokens", found, limit, "The number of tokens")]
                )
            syntax_error.extensions = {"code": "GRAPHQL_PARSE_FAILED"}
            return Prepared(None, [syntax_error])
        errors = validate(self.schema, document, self._rules, allow_empty_selection_sets=False)
        return Prepared(document, coded(errors, "GRAPHQL_VALIDATION_FAILED"))

    @staticmethod
    def operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode:
        """The operation to run; a request error when the name is missing, wrong or ambiguous."""
        found = get_operation_ast(document, operation_name)
        if found is not None:
            return found
        if operation_name is None:
            message = "The document holds several operations; say which to run with operationName."
        else:
            message = f"The document holds no operation named {operation_name!r}."
        raise RequestError([GraphQLError(message, extensions={"code": "BAD_REQUEST"})])

    async def run(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
        context: Callable[[], Any],
        request_id: str,
        statements: Statements | None = None,
        written: str | None = None,
    ) -> Answer:
        """Check the variables and the node estimate, then execute within the time limit.

        A query the compiler covers runs as its one SQL statement and its answer is the
        `data` JSON the database built; anything else runs on the resolvers, with the context
        `context` makes (made only then). A plan is
        kept only for variables that passed the checks, and is keyed by them, so a
        request that finds one needs no checking again. `statements`: where a compiled
        statement runs, when not on the primary; `written`: the variables as a plan's key
        writes them (`Plans.written`), when the caller has them so already.
        """
        plan = None
        key = None
        if self.plans is not None and operation.operation == OperationType.QUERY:
            key = self.plans.key(operation, variables, written)
            plan = self.plans.cached(key)
        if plan is None:
            coerced, estimate = self._checked(document, operation, variables)
            if key is not None and self.plans is not None:
                plan = self.plans.make(key, document, operation, coerced, estimate)
        else:
            estimate = plan.estimate
        if plan is not None and plan.compiled is not None:
            assert self.plans is not None
            try:
                text = await self.plans.answer(plan, statements, self.timeout)
                return Answer(RawJSON(text, plan.empties), estimate)
            except TimeoutError:
                return Answer(self._timed_out(request_id), estimate)
            except Exception as error:  # the resolvers answer, and report an outage if it is one
                self.plans.failures += 1
                log.warning("request %s: compiled statement failed: %r", request_id, error)
        result = await self._resolve(document, operation, variables, context(), request_id)
        if operation.operation == OperationType.MUTATION:
            self.sizes.expire()  # a write may have made a list longer
        return Answer(result, estimate)

    def estimate(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
    ) -> int:
        """The node estimate of an operation, checked as a run would check it, without running it."""
        return self._checked(document, operation, variables)[1]

    def _checked(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
    ) -> tuple[VariableValues, int]:
        """The coerced variables and the node estimate; a request error when either fails."""
        coerced = get_variable_values(
            self.schema, operation.variable_definitions or (), dict(variables or {}), max_errors=20
        )
        if isinstance(coerced, list):  # a variable of the wrong type, missing, or malformed
            raise RequestError(coded(coerced, "BAD_USER_INPUT"))
        if refused := nul_in_variables(coerced.coerced):
            raise RequestError(refused)
        estimate, too_big = self._check_nodes(document, operation, coerced)
        if too_big is not None:
            raise RequestError([too_big])
        return coerced, estimate

    def _timed_out(self, request_id: str) -> ExecutionResult:
        return ExecutionResult(data=None, errors=[timed_out(self.timeout, request_id)])

    async def _resolve(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
        context: Any,
        request_id: str,
    ) -> ExecutionResult:
        name = operation.name.value if operation.name else None
        try:
            result = execute(
                self.schema,
                document,
                context_value=context,
                variable_values=dict(variables or {}),
                operation_name=name,
            )
            if inspect.isawaitable(result):
                result = await asyncio.wait_for(result, self.timeout)
        except TimeoutError:
            return self._timed_out(request_id)
        assert isinstance(result, ExecutionResult)
        if result.errors:
            result.errors = mask_unexpected(result.errors, request_id)
        return result
