"""The PartialDate scalar: ISO 8601 dates of year, month or day precision."""

import datetime as dt
from typing import Any, NewType

import strawberry
from graphql import StringValueNode, ValueNode
from strawberry.types.scalar import ScalarDefinition

from db.partial_date import PartialDate


class InvalidDate:
    """A malformed date literal, let through parsing so that validation can name its argument."""

    def __init__(self, node: ValueNode) -> None:
        self.node = node


def _parse_value(value: Any) -> PartialDate:
    if not isinstance(value, str):
        raise ValueError(f'a PartialDate is a string such as "1957", not {type(value).__name__}')
    return PartialDate.parse(value)


def _parse_literal(node: ValueNode, _variables: Any = None) -> PartialDate | InvalidDate:
    try:
        if isinstance(node, StringValueNode):
            return PartialDate.parse(node.value)
    except ValueError:
        pass
    return InvalidDate(node)  # reported, with the argument's name, by PartialDateLiteralRule


# The format's definition, docs/partial-date.md, as the API serves it.
PARTIAL_DATE_SPEC = "/docs/partial-date.md"

PARTIAL_DATE: ScalarDefinition = strawberry.scalar(
    name="PartialDate",
    description=(
        "A calendar date known to year, month or day precision, written as ISO 8601 with"
        ' reduced precision: "1957", "2023-10", "2022-03-18". As a filter bound it stands for'
        ' the whole period it names: `from: "2020"` starts on 2020-01-01 and `to: "2020"`'
        " ends on 2020-12-31."
    ),
    serialize=str,
    parse_value=_parse_value,
    parse_literal=_parse_literal,
    specified_by_url=PARTIAL_DATE_SPEC,
)


def _serialize_moment(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


DATE_TIME: ScalarDefinition = strawberry.scalar(
    name="DateTime",
    description="A moment in UTC, ISO 8601: 2026-11-28T23:45:13.123456Z.",
    serialize=_serialize_moment,
    parse_value=dt.datetime.fromisoformat,
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339",
)

JSON_VALUE: ScalarDefinition = strawberry.scalar(
    name="JSON",
    description="Arbitrary JSON: an object, a list, a string, a number, true, false or null.",
    serialize=lambda value: value,
    parse_value=lambda value: value,
    specified_by_url="https://www.rfc-editor.org/rfc/rfc8259",
)

# The Python type each scalar stands for. JSON values are plain Python data, marked by Json.
Json = NewType("Json", object)

SCALARS: dict[object, ScalarDefinition] = {
    PartialDate: PARTIAL_DATE,
    dt.datetime: DATE_TIME,
    Json: JSON_VALUE,
}
