"""Building JSON inside the database: the few constructs the compiler needs, per dialect
(and one that keeps SQLite from planning a statement again at every run: `steady`).

SQLite builds JSON with its JSON1 functions, which mark what they make as JSON; where
that mark does not survive a subquery (`db.sqlite_driver.json_crosses_subqueries`), a
JSON value read from one is re-marked with `json()`, a parse of all of it. PostgreSQL builds `json` values
with `json_build_object` and `json_agg`, which nest as they are. Both render global IDs
and cursors exactly as `schema.ids` and `schema.connection` do in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Float,
    Integer,
    String,
    Text,
    case,
    cast,
    func,
    literal_column,
    or_,
    type_coerce,
)
from sqlalchemy.dialects.postgresql import JSON

from db import sqlite_driver

Expr = ColumnElement[Any]

# The most keys one object may have: PostgreSQL functions take at most 100 arguments.
MAX_KEYS = 50


def constant(value: str) -> Expr:
    """A string the server chose (a key, a type name), written into the SQL as a literal.

    What a client sends is always a bound parameter; these are names from the schema and
    the operation's GraphQL document (names hold letters, digits and underscores) or fixed words.
    """
    return literal_column("'" + value.replace("'", "''") + "'", String)


class JsonSql:
    """The JSON constructs of one dialect."""

    name = ""

    def object(self, pairs: Sequence[tuple[str, Expr]]) -> Expr:
        """A JSON object with these keys, in this order."""
        raise NotImplementedError

    def embed(self, value: Expr) -> Expr:
        """A JSON value (or NULL) read from a subquery, fit to nest in another."""
        raise NotImplementedError

    def steady(self, value: Expr) -> Expr:
        """A bound whole number that the statement's plan is not to be made again for at
        every run (a row id a filter compares, a page's size); still a bound value."""
        return value

    def aggregate(self, value: Expr, order: Sequence[Expr]) -> Expr:
        """The aggregate that gathers a JSON value per row into a JSON array, in `order`.

        An empty set gives `[]`. Both databases order an aggregate's input themselves
        (SQLite since 3.44), so the rows need no ordered subquery first.
        """
        raise NotImplementedError

    def array_of(self, items: Sequence[Expr]) -> Expr:
        """A JSON array of a fixed number of JSON values (each possibly NULL)."""
        raise NotImplementedError

    def boolean(self, value: Expr) -> Expr:
        """A SQL truth value as JSON true or false."""
        raise NotImplementedError

    def number(self, value: Expr) -> Expr:
        """A floating-point column as JSON, written as Python writes a float."""
        raise NotImplementedError

    def base64url(self, text: Expr) -> Expr:
        """URL-safe base64 of the UTF-8 text, unpadded (schema.ids, schema.connection)."""
        raise NotImplementedError

    def key_array(self, name: str, values: Sequence[Expr]) -> Expr:
        """The text `["name",v1,v2]`, compact, as `json.dumps` writes it for a cursor (a
        float too: in its shortest form, which reads back as the same float)."""
        raise NotImplementedError

    def moment(self, value: Expr) -> Expr:
        """A stored UTC timestamp as the DateTime scalar writes it: 2026-11-28T23:45:13.123456Z,
        without the fraction when it is zero."""
        raise NotImplementedError

    def stored(self, value: Expr) -> Expr:
        """A JSON column's value (or NULL), fit to nest in another JSON value."""
        raise NotImplementedError

    def entries(self, value: Expr) -> tuple[Any, Expr]:
        """The entries of a JSON object as rows (columns `key`, and `value` as JSON nests),
        and the order of their keys as Python sorts text: by code point."""
        found = func.json_each(value).table_valued("key", "value")
        return found, found.c.key

    def null(self) -> Expr:
        """JSON null."""
        return literal_column("NULL")

    def global_id(self, type_name: str, pk: Expr) -> Expr:
        """The global ID of a row, as `schema.ids.encode_id` makes it."""
        return self.base64url(constant(f"{type_name}:") + cast(pk, String))

    def cursor(self, name: str, keys: Sequence[Expr]) -> Expr:
        """The cursor of a row of a connection, as `schema.connection.encode_cursor` makes it."""
        return self.base64url(self.key_array(name, keys))

    def text(self, value: Expr) -> Expr:
        """The operation's whole JSON value as text."""
        return value


class SQLiteJson(JsonSql):
    name = "sqlite"

    def __init__(self, *, remark: bool) -> None:
        self.remark = remark  # whether a JSON value read from a subquery needs `json()` again

    def object(self, pairs: Sequence[tuple[str, Expr]]) -> Expr:
        arguments: list[Any] = []
        for key, value in pairs:
            arguments += [constant(key), value]
        return func.json_object(*arguments, type_=Text)

    def embed(self, value: Expr) -> Expr:
        return func.json(value, type_=Text) if self.remark else value

    def steady(self, value: Expr) -> Expr:
        # SQLite prepares a statement again at every run when its planner read the value of
        # a bare parameter (a LIMIT; a column its statistics sample, as a country's events):
        # for Q3 in bench/ that was 15% of the statement's time, and the plan the same for
        # every country. It does not read through a CAST.
        return cast(value, Integer)

    def aggregate(self, value: Expr, order: Sequence[Expr]) -> Expr:
        return func.json_group_array(value, type_=Text).aggregate_order_by(*order)

    def array_of(self, items: Sequence[Expr]) -> Expr:
        return func.json_array(*(self.embed(item) for item in items), type_=Text)

    def boolean(self, value: Expr) -> Expr:
        return func.json(case((value, constant("true")), else_=constant("false")), type_=Text)

    def number(self, value: Expr) -> Expr:
        return value

    def base64url(self, text: Expr) -> Expr:
        # bilateral_base64url is registered on every SQLite connection by db.session.
        return func.bilateral_base64url(text, type_=String)

    def moment(self, value: Expr) -> Expr:
        # SQLAlchemy stores "2026-11-28 23:45:13.123456", in UTC.
        text = type_coerce(value, String)
        fraction = func.substr(text, 21)
        return func.concat(
            func.replace(func.substr(text, 1, 19), constant(" "), constant("T")),
            case(
                (or_(fraction == constant(""), fraction == constant("000000")), constant("")),
                else_=constant(".") + fraction,
            ),
            constant("Z"),
        )

    def stored(self, value: Expr) -> Expr:
        return func.json(value, type_=Text)

    def key_array(self, name: str, values: Sequence[Expr]) -> Expr:
        written = [
            func.json(func.bilateral_json_number(value)) if _is_float(value) else value
            for value in values
        ]
        return func.json_array(constant(name), *written, type_=Text)


class PostgresJson(JsonSql):
    name = "postgresql"

    def object(self, pairs: Sequence[tuple[str, Expr]]) -> Expr:
        arguments: list[Any] = []
        for key, value in pairs:
            arguments += [constant(key), value]
        return func.json_build_object(*arguments, type_=Text)

    def embed(self, value: Expr) -> Expr:
        return value

    def aggregate(self, value: Expr, order: Sequence[Expr]) -> Expr:
        gathered = func.json_agg(value).aggregate_order_by(*order)
        return func.coalesce(gathered, literal_column("'[]'::json"))

    def array_of(self, items: Sequence[Expr]) -> Expr:
        return func.json_build_array(*items, type_=Text)

    def boolean(self, value: Expr) -> Expr:
        return value

    def number(self, value: Expr) -> Expr:
        # PostgreSQL writes 65718 for a whole double; Python writes 65718.0.
        whole = (func.trunc(value) == value) & (func.abs(value) < 1e15)
        written = func.concat(cast(cast(value, BigInteger), Text), constant(".0"))
        return case((whole, cast(written, JSON)), else_=func.to_json(value))

    def moment(self, value: Expr) -> Expr:
        utc = func.timezone(constant("UTC"), value)
        whole = func.to_char(utc, constant('YYYY-MM-DD"T"HH24:MI:SS'))
        fraction = func.to_char(utc, constant(".US"))
        return func.concat(
            whole,
            case((fraction == constant(".000000"), constant("")), else_=fraction),
            constant("Z"),
        )

    def stored(self, value: Expr) -> Expr:
        return value

    def entries(self, value: Expr) -> tuple[Any, Expr]:
        found, key = super().entries(value)
        return found, key.collate("C")  # the database's collation may sort otherwise

    def base64url(self, text: Expr) -> Expr:
        encoded = func.encode(func.convert_to(text, constant("UTF8")), constant("base64"))
        # base64 wraps lines at 76 characters: translate drops the newlines as it maps +/ to -_.
        return func.rtrim(func.translate(encoded, constant("+/\n"), constant("-_")), constant("="))

    def key_array(self, name: str, values: Sequence[Expr]) -> Expr:
        parts: list[Expr] = [constant(f'["{name}"')]
        for value in values:
            written = self.number(value) if _is_float(value) else func.to_json(value)
            parts += [constant(","), cast(written, Text)]
        parts.append(constant("]"))
        return func.concat(*parts)

    def text(self, value: Expr) -> Expr:
        return cast(value, Text)


def _is_float(value: Expr) -> bool:
    """Whether a value is a floating-point number, which SQL and Python write differently."""
    return isinstance(value.type, Float)


def for_dialect(name: str) -> JsonSql:
    """The JSON constructs of the named SQLAlchemy dialect."""
    if name == "sqlite":
        return SQLiteJson(remark=not sqlite_driver.json_crosses_subqueries)
    if name == "postgresql":
        return PostgresJson()
    raise ValueError(f"No compiled execution for the {name} dialect.")
