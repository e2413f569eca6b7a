"""Running one GraphQL request, for HTTP and WebSocket alike: one call, one answer.

`Operations.execute` takes a request (its document, variables and operation name) and
what the transport knows of the caller (its token, a log position for read-your-writes,
whether it asks for an estimate only), and returns the `Answer`: data, errors and
extensions, the cost among them. Everything in between happens here, once, for both
transports: parse and validate, the limits and the node estimate, where the read goes
(the primary or a replica, and the primary again if the replica fails), compiled SQL or
the resolvers, the time limit.

Documents are cached after parsing and validation (by their text), so a repeated
query pays only for the checks that depend on its variables, and for execution.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Collection, Container, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

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

from db import wal
from db.database import Database
from db.replicas import Replicas
from db.session import Writer
from schema.budget import Budgets, Client, Refused, Usage, free
from schema.compiled.plans import Plan, Plans, RawJSON
from schema.context import Context
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
class Request:
    """One GraphQL request as a client sends it, over either transport."""

    query: str | None  # None only with a persisted query's hash in `extensions`, or a document ID
    variables: dict[str, Any] | None = None
    operation_name: str | None = None
    extensions: dict[str, Any] | None = None
    document_id: str | None = None  # a trusted document's ID (server.trusted)

    @functools.cached_property
    def written(self) -> str:
        """The variables as a compiled plan's key writes them: worked out once for a request
        kept and sent again (`server.http`), not on every run."""
        return Plans.written(self.variables)


@dataclass(slots=True)
class Answer:
    """A request's answer, as either transport carries it: `data`, `errors`, `extensions`."""

    data: RawJSON | dict[str, Any] | None
    errors: list[GraphQLError] | None = None
    extensions: dict[str, Any] | None = None
    refused: bool = False  # it failed before it ran: there is no `data` at all
    position: int | None = None  # the log position of its last commit, if any
    rate: Usage | None = None  # where the client's budget stands after it, when budgets are on
    client: str | None = None  # whom it counted against: a token's name or an address
    retry_after: int | None = None  # refused by the budget: when to try again, in seconds

    @property
    def compiled(self) -> bool:
        """Whether one compiled statement made the data (else the resolvers did)."""
        return isinstance(self.data, RawJSON)

    @property
    def codes(self) -> set[str]:
        """The `extensions.code` of every error."""
        return {(error.extensions or {}).get("code", "") for error in self.errors or ()}

    def body(self) -> dict[str, Any]:
        """The answer as a JSON object, compiled `data` left as it is."""
        body: dict[str, Any] = {}
        if self.errors:
            body["errors"] = [error.formatted for error in self.errors]
        if not self.refused:
            body["data"] = self.data
        if self.extensions is not None:
            body["extensions"] = self.extensions
        return body


def refusal(errors: list[GraphQLError]) -> Answer:
    """A request that failed before it ran: errors and no `data`, as the specifications have it."""
    return Answer(None, errors, refused=True)


def untrusted() -> GraphQLError:
    """The error of a document that is not on a deployment's list of trusted documents."""
    return GraphQLError(
        "This deployment runs only the operations of its list of trusted documents"
        " (BILATERAL_TRUSTED_DOCUMENTS): send a listed document, its hash or its documentId.",
        extensions={"code": "TRUSTED_DOCUMENT_REQUIRED"},
    )


def refused_by_budget(refused: Refused) -> Answer:
    """A request its client's budget did not admit (RATE_LIMITED) or whose token is not
    valid (UNAUTHENTICATED)."""
    return Answer(
        None, [refused.error], refused=True, rate=refused.usage, retry_after=refused.retry_after
    )


class RequestError(Exception):
    """The request cannot run: its errors are the response, nothing was executed."""

    def __init__(self, errors: list[GraphQLError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class NotCarried(Exception):
    """The transport does not carry this kind of operation (a mutation in a GET, a
    subscription outside a WebSocket): the transport says so its own way."""

    def __init__(self, kind: OperationType) -> None:
        super().__init__(kind.value)
        self.kind = kind


# The kinds of operation `execute` runs: a subscription runs on a WebSocket, for as long as
# it lasts (`schema.websocket`).
RUN = frozenset({OperationType.QUERY, OperationType.MUTATION})


class Observer(Protocol):
    """What is told of every request (server.metrics.Metrics)."""

    def begun(self) -> None: ...

    def ended(self) -> None: ...

    def observe(
        self, operation_name: str | None, request_id: str, answer: Answer, seconds: float
    ) -> None: ...


class Operations:
    """Prepares and runs operations against one schema under one set of limits, reading from
    the primary or its replicas and writing through the one writer."""

    def __init__(
        self,
        schema: GraphQLSchema,
        limits: Limits,
        replicas: Replicas,
        writer: Writer,
        *,
        timeout: float,
        cache_size: int = 512,
        plans: Plans | None = None,
        budgets: Budgets | None = None,
        trusted: Container[str] | None = None,
    ) -> None:
        self.schema = schema
        self.limits = limits
        self.replicas = replicas
        self.writer = writer
        self.timeout = timeout
        self.cache_size = cache_size
        self._rules = validation_rules(limits)
        self.sizes = ListSizes(schema)  # the longest lists in the data, for the node estimate
        self._check_nodes = node_check(schema, limits, self.sizes)
        self._prepared: OrderedDict[str, Prepared] = OrderedDict()
        self.plans = plans  # compiled execution; None runs every operation on the resolvers
        # Each client's budget of cost points; None when switched off.
        self.budgets = budgets if budgets is not None and budgets.limits.enabled else None
        # The only documents that run, when the deployment has a list of them (server.trusted).
        self.trusted = trusted
        # Told of every request as it starts and once answered (server.metrics, the log).
        self.observers: list[Observer] = []

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

    async def execute(
        self,
        request: Request,
        request_id: str,
        *,
        authorization: str | None = None,
        address: str | None = None,
        after: int | None = None,
        estimate_only: bool = False,
        carried: Collection[OperationType] = RUN,
    ) -> Answer:
        """Answer one request, as `_execute` does, and tell the observers of it."""
        answering = self._execute(
            request,
            request_id,
            authorization=authorization,
            address=address,
            after=after,
            estimate_only=estimate_only,
            carried=carried,
        )
        if not self.observers:
            return await answering
        started = time.perf_counter()
        for observer in self.observers:
            observer.begun()
        try:
            answer = await answering
        finally:
            for observer in self.observers:
                observer.ended()
        seconds = time.perf_counter() - started
        name = self._name(request)
        for observer in self.observers:
            observer.observe(name, request_id, answer, seconds)
        return answer

    def _name(self, request: Request) -> str | None:
        """The name of the operation a request ran, as sent or as its document has it."""
        if request.operation_name or request.query is None:
            return request.operation_name
        prepared = self._prepared.get(request.query)
        if prepared is None or prepared.document is None:
            return None
        found = get_operation_ast(prepared.document)
        return found.name.value if found is not None and found.name is not None else None

    async def _execute(
        self,
        request: Request,
        request_id: str,
        *,
        authorization: str | None = None,
        address: str | None = None,
        after: int | None = None,
        estimate_only: bool = False,
        carried: Collection[OperationType] = RUN,
    ) -> Answer:
        """Answer one request. `authorization`: the caller's token; `address`: the caller's
        network address (its client, without a token); `after`: a log position the
        caller's own writes reached, which a replica must have replayed to serve its read;
        `estimate_only`: check and estimate it, without running it; `carried`: the kinds of
        operation the transport takes (NotCarried for another, before validity is judged).
        """
        assert request.query is not None  # a persisted query's text is found before
        client = None
        if self.budgets is not None:
            try:
                client = await self.budgets.client(authorization, address)
            except Refused as refused:
                answer = refused_by_budget(refused)
                answer.client = address
                return answer
        answer = await self._answer_for(
            request, request_id, client, authorization, after, estimate_only, carried
        )
        answer.client = address if client is None else client.name
        return answer

    async def _answer_for(
        self,
        request: Request,
        request_id: str,
        client: Client | None,
        authorization: str | None,
        after: int | None,
        estimate_only: bool,
        carried: Collection[OperationType],
    ) -> Answer:
        """The answer to a request whose client (if budgets are on) is known."""
        assert request.query is not None
        if self.trusted is not None and request.query not in self.trusted:
            return refusal([untrusted()])
        try:
            prepared = self.prepare(request.query)
            if prepared.document is None:
                return refusal(prepared.errors)
            operation = self.operation(prepared.document, request.operation_name)
            if operation.operation not in carried:
                raise NotCarried(operation.operation)
            if prepared.errors:
                return refusal(prepared.errors)
            if operation.operation not in RUN:
                raise NotCarried(operation.operation)
            if estimate_only:
                nodes = self.estimate(prepared.document, operation, request.variables)
                rate = None if client is None else self._budgets.usage(client)
                return Answer(None, extensions={"cost": self._cost(nodes, rate=rate)}, rate=rate)
            run = functools.partial(
                self._run, prepared.document, operation, request, request_id, authorization, client
            )
            database = self.replicas.primary
            if operation.operation is OperationType.QUERY and self.replicas.replicas:
                database = await self.replicas.choose(after)
            answer = await run(database)
            if database is not self.replicas.primary and "SERVICE_UNAVAILABLE" in answer.codes:
                # A read the replica could not serve is the primary's to answer.
                self.replicas.take_out(database, "a request found it unavailable")
                answer = await run(self.replicas.primary)
            return answer
        except RequestError as error:
            return refusal(error.errors)

    @property
    def _budgets(self) -> Budgets:
        assert self.budgets is not None
        return self.budgets

    async def _run(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        request: Request,
        request_id: str,
        authorization: str | None,
        client: Client | None,
        database: Database,
    ) -> Answer:
        """Check the variables and the node estimate, hold the estimate against the client's
        budget, then execute a valid operation within the time limit, reading from
        `database`, and charge the client for the objects it returned.

        A query the compiler covers runs as its one SQL statement and its answer is the
        `data` JSON the database built; anything else runs on the resolvers, with a context
        made only then. A plan is kept only for variables that passed the checks, and is
        keyed by them, so a request that finds one needs no checking again.
        """
        plan, estimate = self._plan(document, operation, request)
        if client is None:
            return await self._ran(
                document, operation, request, request_id, authorization, database, plan, estimate
            )
        budgets = self._budgets
        if free(operation):
            before = budgets.usage(client)
            answer = await self._ran(
                document,
                operation,
                request,
                request_id,
                authorization,
                database,
                plan,
                estimate,
                before,
            )
            return self._rated(answer, budgets.usage(client))
        try:
            before = await budgets.admit(client, estimate)
        except Refused as refused:
            return refused_by_budget(refused)
        returned = 0
        try:
            answer = await self._ran(
                document,
                operation,
                request,
                request_id,
                authorization,
                database,
                plan,
                estimate,
                before,
            )
            returned = (answer.extensions or {}).get("cost", {}).get("returnedObjects", 0)
        finally:
            after = budgets.settle(client, estimate, max(returned, 1))
        return self._rated(answer, after)

    @staticmethod
    def _rated(answer: Answer, usage: Usage) -> Answer:
        """The answer with where the client's budget stands after it, in `extensions.cost`."""
        answer.rate = usage
        cost = (answer.extensions or {}).get("cost")
        if isinstance(cost, dict):
            cost["rateLimit"] = usage.extension()
        return answer

    def _plan(
        self, document: DocumentNode, operation: OperationDefinitionNode, request: Request
    ) -> tuple[Plan | None, int]:
        """The compiled plan of a query (None when there is none) and its node estimate."""
        variables = request.variables
        plan = None
        key = None
        if self.plans is not None and operation.operation is OperationType.QUERY:
            key = self.plans.key(operation, variables, request.written)
            plan = self.plans.cached(key)
        if plan is None:
            coerced, estimate = self._checked(document, operation, variables)
            if key is not None and self.plans is not None:
                plan = self.plans.make(key, document, operation, coerced, estimate)
        else:
            estimate = plan.estimate
        return plan, estimate

    async def _ran(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        request: Request,
        request_id: str,
        authorization: str | None,
        database: Database,
        plan: Plan | None,
        estimate: int,
        rate: Usage | None = None,
    ) -> Answer:
        """Run the operation as planned: its compiled statement, or the resolvers."""
        variables = request.variables
        if plan is not None and plan.compiled is not None:
            assert self.plans is not None
            try:
                text = await self.plans.answer(plan, database.statements, self.timeout)
            except TimeoutError:
                return self._answer(self._timed_out(request_id), estimate)
            except Exception as error:  # the resolvers answer, and report an outage if it is one
                self.plans.failures += 1
                log.warning("request %s: compiled statement failed: %r", request_id, error)
            else:
                raw = RawJSON(text, plan.empties)
                return Answer(raw, extensions={"cost": self._cost(estimate, _objects(raw))})
        context = Context(database.sessions, self.writer, authorization)
        context.rate = rate
        try:
            result = await self._resolve(document, operation, variables, context, request_id)
        finally:
            await context.reader.close()
        if operation.operation is OperationType.MUTATION:
            self.sizes.expire()  # a write may have made a list longer
        return self._answer(result, estimate, context.position)

    def _answer(
        self, result: ExecutionResult, estimate: int, position: int | None = None
    ) -> Answer:
        """The resolvers' result as an answer, with its cost (and, after a write with
        replicas about, the log position of its commit)."""
        extensions: dict[str, Any] = {"cost": self._cost(estimate, _objects(result))}
        if position is not None:
            extensions["lsn"] = wal.write(position)
        return Answer(result.data, result.errors or None, extensions, position=position)

    def _cost(
        self, estimate: int, returned: int | None = None, rate: Usage | None = None
    ) -> dict[str, Any]:
        """What a request cost, as `extensions.cost`: the node estimate it was checked
        against, the limit, (unless it only asked for the estimate) the objects returned,
        and (with budgets on) where the client's budget stands."""
        cost: dict[str, Any] = {"estimatedNodes": estimate, "maxNodes": self.limits.max_nodes}
        if returned is not None:
            cost["returnedObjects"] = returned
        if rate is not None:
            cost["rateLimit"] = rate.extension()
        return cost

    def estimate(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
    ) -> int:
        """The node estimate of an operation, checked as a run would check it, without running it."""
        return self._checked(document, operation, variables)[1]

    def check(
        self,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
    ) -> list[GraphQLError]:
        """The errors that stop a valid document's operation from running with these
        variables (wrong variables, an estimate over the limit); none when it may run."""
        try:
            self._checked(document, operation, variables)
        except RequestError as error:
            return error.errors
        return []

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


def _objects(result: ExecutionResult | RawJSON) -> int:
    """How many objects an answer's `data` holds, the data itself aside."""
    if isinstance(result, RawJSON) and not (result.empties and "{}" in result.text):
        # In JSON text a quote inside a string is escaped, so `{"` opens an object and
        # nothing else: counted without parsing what the database built (unless it may
        # hold an empty object, which the count would miss; a `{}` in a string is not one).
        return max(result.text.count('{"') - 1, 0) if result.text != "null" else 0
    data = json.loads(result.text) if isinstance(result, RawJSON) else result.data

    def count(value: Any) -> int:
        if isinstance(value, dict):
            return 1 + sum(count(item) for item in value.values())
        if isinstance(value, list):
            return sum(count(item) for item in value)
        return 0

    return max(count(data) - 1, 0) if data is not None else 0
