"""Compiled plans: the SQL text of each operation and its variables, cached, and how to run it."""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues
from sqlalchemy.engine import Dialect

from schema.compiled.compiler import Compiler, Uncovered
from schema.compiled.json_sql import for_dialect

log = logging.getLogger(__name__)


class RawJSON:
    """JSON text that goes into a response as it is: the `data` a compiled plan built."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


@dataclass(frozen=True)
class Plan:
    """One compiled operation: its SQL, or why the resolvers answer it instead."""

    operation: OperationDefinitionNode  # held so its id, part of the cache key, is not reused
    sql: str | None
    uncovered: str | None = None


class Plans:
    """Compiles operations for one database and keeps the results.

    A plan is keyed by the operation (documents are cached by text before this) and the
    request's variables as sent, so a repeated request skips variable coercion, the
    node estimate and compilation: it costs one round trip. Variable values are written
    into the SQL as literals by SQLAlchemy's literal renderer, so each set of values
    has a plan of its own.
    """

    def __init__(self, schema: GraphQLSchema, dialect: Dialect, size: int = 1024) -> None:
        self.compiler = Compiler(schema, for_dialect(dialect.name))
        self.dialect = dialect
        self.size = size
        self._plans: OrderedDict[tuple[int, str], Plan] = OrderedDict()

    @staticmethod
    def key(
        operation: OperationDefinitionNode, variables: Mapping[str, Any] | None
    ) -> tuple[int, str]:
        written = json.dumps(variables or {}, sort_keys=True, separators=(",", ":"))
        return id(operation), written

    def cached(self, key: tuple[int, str]) -> Plan | None:
        """The plan made before for this key, if it is still kept."""
        found = self._plans.get(key)
        if found is not None:
            self._plans.move_to_end(key)
        return found

    def refuse(self, key: tuple[int, str], plan: Plan, reason: str) -> None:
        """Send an operation whose statement failed to the resolvers from now on."""
        self._plans[key] = Plan(plan.operation, None, f"the statement failed: {reason}")

    def make(
        self,
        key: tuple[int, str],
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
    ) -> Plan:
        """Compile the operation for checked variables, and keep the plan."""
        try:
            statement = self.compiler.compile(document, operation, variables)
            sql = str(
                statement.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True})
            )
            plan = Plan(operation, sql)
        except Uncovered as reason:
            plan = Plan(operation, None, str(reason))
            log.debug("resolvers answer this operation: %s", reason)
        self._plans[key] = plan
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return plan
