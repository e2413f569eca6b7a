"""Compiled plans: the SQL text of each operation and its variables, cached, and how to run it."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import DocumentNode, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues
from sqlalchemy.engine import Dialect

from db.statements import Statements
from schema.compiled.compiler import Compiler, Uncovered
from schema.compiled.json_sql import for_dialect

log = logging.getLogger("bilateral.plans")


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
    estimate: int = 0  # the node estimate the operation was checked against


class Plans:
    """Compiles operations for one database and keeps the results.

    A plan is keyed by the operation (documents are cached by text before this) and the
    request's variables as sent, so a repeated request skips variable coercion, the
    node estimate and compilation: it costs one round trip. Variable values are written
    into the SQL as literals by SQLAlchemy's literal renderer, so each set of values
    has a plan of its own.
    """

    def __init__(
        self, schema: GraphQLSchema, dialect: Dialect, statements: Statements, size: int = 1024
    ) -> None:
        self.compiler = Compiler(schema, for_dialect(dialect.name))
        self.dialect = dialect
        self.statements = statements
        self.size = size
        self.failures = 0  # statements that failed, so the resolvers answered instead
        self._plans: OrderedDict[tuple[int, str], Plan] = OrderedDict()

    def __len__(self) -> int:
        """How many plans are kept."""
        return len(self._plans)

    @staticmethod
    def key(
        operation: OperationDefinitionNode, variables: Mapping[str, Any] | None
    ) -> tuple[int, str]:
        written = json.dumps(variables, sort_keys=True, separators=(",", ":")) if variables else ""
        # Today's date is part of the key: questions asked "as of today" by default change with it.
        return id(operation), f"{dt.date.today().toordinal()} {written}"

    def cached(self, key: tuple[int, str]) -> Plan | None:
        """The plan made before for this key, if it is still kept."""
        found = self._plans.get(key)
        if found is not None:
            self._plans.move_to_end(key)
        return found

    async def answer(self, plan: Plan, statements: Statements | None = None) -> str:
        """The `data` JSON text a compiled plan's statement builds (on a replica's runner, if given)."""
        assert plan.sql is not None
        return await (statements or self.statements).text(plan.sql)

    def make(
        self,
        key: tuple[int, str],
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: VariableValues,
        estimate: int = 0,
    ) -> Plan:
        """Compile the operation for checked variables, and keep the plan."""
        try:
            statement = self.compiler.compile(document, operation, variables)
            sql = str(
                statement.compile(dialect=self.dialect, compile_kwargs={"literal_binds": True})
            )
            plan = Plan(operation, sql, estimate=estimate)
        except Uncovered as reason:
            plan = Plan(operation, None, str(reason), estimate)
            log.debug("resolvers answer this operation: %s", reason)
        self._plans[key] = plan
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return plan
