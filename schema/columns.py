"""Fields read straight from a column of a type's model, declared once for both execution paths.

A Strawberry type declares such a field with `column("attribute", ...)`: the resolvers
fill it from the row (`from_columns`) and the compiler reads the same column in SQL
(`column_of`), so the mapping is written in one place.
"""

from __future__ import annotations

import typing
from typing import Any, TypeVar

import strawberry
from strawberry.types.field import StrawberryField

T = TypeVar("T")

_COLUMN = "bilateral.column"
_WRITTEN = "bilateral.written"


def column(
    attribute: str, *, description: str, name: str | None = None, written: Any = None
) -> Any:
    """A field whose value is the model attribute `attribute` of the row, as stored; in the
    compiled SQL, `written(build, column)` writes it into the JSON where it is not written
    as stored (a moment, a stored JSON value: schema.compiled.fields)."""
    metadata = {_COLUMN: attribute} if written is None else {_COLUMN: attribute, _WRITTEN: written}
    return strawberry.field(description=description, name=name, metadata=metadata)


def column_of(field: StrawberryField) -> str | None:
    """The model attribute a field reads, if it is a column field."""
    found = field.metadata.get(_COLUMN)
    return str(found) if found is not None else None


def written_as(field: StrawberryField) -> Any:
    """How a column field's value is written into compiled JSON, where not as stored."""
    return field.metadata.get(_WRITTEN)


def row_model(cls: type) -> Any:
    """The model whose row a Strawberry type holds as its Private `row` field, if it holds one."""
    for klass in cls.__mro__:
        # The declared annotation itself: evaluating every hint of the class would need
        # the types its lazy fields name, which are not importable here.
        hint = vars(klass).get("__annotations__", {}).get("row")
        if hint is not None:
            return typing.get_args(hint)[0]  # Private[M] is Annotated[M, private]
    return None


def from_columns(cls: type[T], source: object, /, **others: Any) -> T:
    """An instance of a Strawberry type with every column field read from the source row
    (`others` give the rest, or a column's value read otherwise)."""
    fields = cls.__strawberry_definition__.fields  # type: ignore[attr-defined]
    values = {
        field.python_name: getattr(source, attribute)
        for field in fields
        if (attribute := column_of(field)) is not None
    }
    return cls(**{**values, **others})
