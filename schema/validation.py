"""Checks of the values a request gives, beyond graphql-core's own.

Malformed PartialDate literals are reported by argument name: graphql-core's own
message for a bad scalar literal does not say which argument holds it; this rule
does, down to the input field ("filter.from"). Text holding the NUL character is
refused, in the document and in the variables alike: no database here can store it
(PostgreSQL refuses it in text), so it can match nothing and be written nowhere.
"""

from collections.abc import Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValidationRule,
    ValueNode,
    VariableNode,
)

from db.partial_date import PartialDate


class PartialDateLiteralRule(ValidationRule):
    """Every PartialDate written in the document must be a real date."""

    def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
        argument = self.context.get_argument()
        if argument is not None:
            self._check(node.value, argument.type, node.name.value)

    def _check(self, value: ValueNode, type_: GraphQLInputType, path: str) -> None:
        if isinstance(type_, GraphQLNonNull):
            type_ = type_.of_type
        if isinstance(value, VariableNode):
            return  # variables are checked against their values by the executor
        if isinstance(type_, GraphQLList):
            items = value.values if isinstance(value, ListValueNode) else (value,)
            for index, item in enumerate(items):
                self._check(item, type_.of_type, f"{path}[{index}]")
        elif isinstance(type_, GraphQLInputObjectType) and isinstance(value, ObjectValueNode):
            for field in value.fields:
                field_def = type_.fields.get(field.name.value)
                if field_def is not None:
                    self._check(field.value, field_def.type, f"{path}.{field.name.value}")
        elif isinstance(type_, GraphQLScalarType) and type_.name == "PartialDate":
            self._check_date(value, path)

    def _check_date(self, value: ValueNode, path: str) -> None:
        if not isinstance(value, StringValueNode):
            if value.kind == "null_value":
                return
            problem = 'it must be a string such as "1957", "2023-10" or "2022-03-18"'
        else:
            try:
                PartialDate.parse(value.value)
                return
            except ValueError as error:
                problem = str(error)
        self.report_error(
            GraphQLError(f"Argument '{path}' is not a valid PartialDate: {problem}.", value)
        )


NUL = "\x00"
NUL_MESSAGE = "Text must not contain the NUL character (U+0000)."


class NulCharacterRule(ValidationRule):
    """No string written in the document holds the NUL character."""

    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if NUL in node.value:
            self.report_error(
                GraphQLError(NUL_MESSAGE, node, extensions={"code": "BAD_USER_INPUT"})
            )


def nul_in_variables(values: Mapping[str, Any]) -> list[GraphQLError]:
    """An error for each variable whose value holds the NUL character anywhere in it."""

    def holds(value: Any) -> bool:
        if isinstance(value, str):
            return NUL in value
        if isinstance(value, Mapping):
            return any(holds(item) for item in value.values())
        if isinstance(value, list | tuple):
            return any(holds(item) for item in value)
        return False

    return [
        GraphQLError(f"Variable '${name}': {NUL_MESSAGE}", extensions={"code": "BAD_USER_INPUT"})
        for name, value in values.items()
        if holds(value)
    ]
