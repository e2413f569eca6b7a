"""The PartialDate scalar: ISO 8601 dates of year, month or day precision."""

from typing import Any

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
)

SCALARS: dict[object, ScalarDefinition] = {PartialDate: PARTIAL_DATE}
