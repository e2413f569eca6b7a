"""Compiled plans: the SQL of each operation's shape, the values bound to it, and how to run it."""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from graphql import DocumentNode, GraphQLSchema, OperationDefinitionNode
from graphql.execution.values import VariableValues
from sqlalchemy import BindParameter, Select, func, select
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql.cache_key import CacheKey
from sqlalchemy.sql.compiler import SQLCompiler

from db import models
from db.statements import STATEMENT_TIMEOUT, Statements
from schema.compiled.compiler import Compiler, Uncovered
from schema.compiled.json_sql import for_dialect

log = logging.getLogger("bilateral.plans")


# Variables written as a key: the same values give the same text, whatever their order.
_KEYED = json.JSONEncoder(sort_keys=True, separators=(",", ":"))


class RawJSON:
    """JSON text that goes into a response as it is: the `data` a compiled plan built, and
    whether it may hold an empty object (`{}`), which a count of `{"` would miss."""

    __slots__ = ("empties", "text")

    def __init__(self, text: str, empties: bool = True) -> None:
        self.text = text
        self.empties = empties


@dataclass(frozen=True)
class Plan:
    """One compiled operation for one set of variable values: the statement of its shape and
    the values bound to it, or why the resolvers answer it instead."""

    operation: OperationDefinitionNode  # held so its id, part of the cache key, is not reused
    compiled: SQLCompiler | None  # shared by every plan of the same shape
    values: Sequence[BindParameter[Any]] = ()  # the plan's own values, in the shape's order
    uncovered: str | None = None
    estimate: int = 0  # the node estimate the operation was checked against
    # The text and parameters worked out once, for a plan with no value taken at execution.
    fixed: tuple[str, tuple[Any, ...]] | None = None
    empties: bool = True  # whether its answer may hold an empty object (`Build.empties`)
    stable: bool = False  # whether one database plan serves all its values (`Compiled`)

    def bound(self) -> tuple[str, tuple[Any, ...]]:
        """The SQL text and its positional parameters, as of now.

        A value given as a callable (today's date) is taken now, so a plan kept overnight
        asks about the new day. Lists (`kind: [...]`) expand to one parameter per item.
        """
        if self.fixed is not None:
            return self.fixed
        assert self.compiled is not None
        compiled = self.compiled
        named = compiled.construct_params(extracted_parameters=self.values)
        state = compiled.construct_expanded_state(named)
        # The types' own conversions (a partial date to its text, an enum to its name): the
        # compiler's, and the expanded state's for the items of expanded lists.
        processors: Mapping[str, Any] = compiled._bind_processors
        if state.processors:
            processors = {**processors, **state.processors}
        parameters = state.parameters
        values = tuple(
            processors[name](parameters[name]) if name in processors else parameters[name]
            for name in state.positiontup or ()
        )
        return state.statement, values

    def settled(self) -> Plan:
        """The plan with its text and parameters worked out now, unless a value is taken
        at execution."""
        if self.compiled is None:
            return self
        binds = self.values or list(self.compiled.binds.values())
        if any(bind.callable is not None for bind in binds):
            return self
        return replace(self, fixed=self.bound())


class Plans:
    """Compiles operations for one database and keeps the results.

    Values never enter the SQL text: each client value is a bound parameter. An
    operation's statement is compiled to SQL once per shape (what the variables change
    in the SQL's structure, as SQLAlchemy's cache key tells: which arguments are given,
    how many words a search has, which kind of node an ID names); a new set of values of
    a known shape costs the walk that builds the expression, not the SQL compilation.

    A plan is also kept per operation and set of variables as sent, so a repeated
    request skips variable coercion, the node estimate and the walk: it costs one round
    trip. Today's date is not part of either key; it is a parameter taken at execution.
    """

    def __init__(
        self,
        schema: GraphQLSchema,
        dialect: Dialect,
        statements: Statements,
        size: int = 1024,
        shapes: int = 256,
    ) -> None:
        self.compiler = Compiler(schema, for_dialect(dialect.name))
        self.dialect = dialect
        self.statements = statements
        self.size = size
        self.shapes = shapes
        self.failures = 0  # statements that failed, so the resolvers answered instead
        self.compilations = 0  # SQL compilations, one per shape (tests and benchmarks read it)
        self._plans: OrderedDict[tuple[int, str], Plan] = OrderedDict()
        self._shapes: OrderedDict[Any, SQLCompiler] = OrderedDict()

    async def learn(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        """Read each country's row id, so that statements bind ids rather than look codes up,
        and how many events each has, so that a list of events begins where it costs least."""
        async with sessions() as session:
            rows = await session.execute(select(models.Country.code, models.Country.id))
            self.compiler.countries.update({code: pk for code, pk in rows})
            ec = models.event_country
            counted = await session.execute(
                select(ec.c.country_id, func.count()).group_by(ec.c.country_id)
            )
            self.compiler.country_events.update({pk: count for pk, count in counted})
            events = await session.scalar(select(func.count()).select_from(models.Event))
            self.compiler.events = int(events or 0)

    def __len__(self) -> int:
        """How many plans are kept."""
        return len(self._plans)

    @staticmethod
    def key(
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any] | None,
        written: str | None = None,
    ) -> tuple[int, str]:
        """A plan's key: the operation, and its variables as `written` writes them (given,
        when the caller kept them so from an earlier request)."""
        return id(operation), Plans.written(variables) if written is None else written

    @staticmethod
    def written(variables: Mapping[str, Any] | None) -> str:
        """Variables as a plan's key holds them: the same values, the same text."""
        return _KEYED.encode(variables) if variables else ""

    def cached(self, key: tuple[int, str]) -> Plan | None:
        """The plan made before for this key, if it is still kept."""
        found = self._plans.get(key)
        if found is not None:
            self._plans.move_to_end(key)
        return found

    async def answer(
        self, plan: Plan, statements: Statements | None = None, timeout: float = STATEMENT_TIMEOUT
    ) -> str:
        """The `data` JSON text a compiled plan's statement builds (on a replica's runner, if
        given); TimeoutError, with the statement stopped, after `timeout` seconds."""
        sql, parameters = plan.bound()
        runner = statements or self.statements
        return await runner.text(sql, parameters, timeout, stable=plan.stable)

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
            made = self.compiler.compile(document, operation, variables)
        except Uncovered as reason:
            plan = Plan(operation, None, uncovered=str(reason), estimate=estimate)
            log.debug("resolvers answer this operation: %s", reason)
        else:
            compiled, values = self._shape(made.statement)
            plan = Plan(
                operation,
                compiled,
                values,
                estimate=estimate,
                empties=made.empties,
                stable=made.stable,
            ).settled()
        self._plans[key] = plan
        if len(self._plans) > self.size:
            self._plans.popitem(last=False)
        return plan

    def _shape(self, statement: Select[Any]) -> tuple[SQLCompiler, Sequence[BindParameter[Any]]]:
        """The compiled SQL of the statement's shape (compiled now if it is new), and the
        statement's own values in the order the shape expects them."""
        cache_key = statement._generate_cache_key()
        if cache_key is None:  # not cacheable: compiled for this plan alone
            self.compilations += 1
            return self._compile(statement, None), ()
        # SQLAlchemy's key does not tell a value taken at execution (today's date) from a
        # fixed one, and a shape compiled for either reads the other's as NULL.
        shape = (cache_key.key, tuple(bind.callable is None for bind in cache_key.bindparams))
        found = self._shapes.get(shape)
        if found is None:
            self.compilations += 1
            found = self._compile(statement, cache_key)
            self._shapes[shape] = found
            if len(self._shapes) > self.shapes:
                self._shapes.popitem(last=False)
        else:
            self._shapes.move_to_end(shape)
        return found, cache_key.bindparams

    def _compile(self, statement: Select[Any], cache_key: CacheKey | None) -> SQLCompiler:
        compiled = statement.compile(dialect=self.dialect, cache_key=cache_key)
        assert isinstance(compiled, SQLCompiler)
        return compiled
