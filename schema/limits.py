"""Limits on what one GraphQL document may ask for, checked before it runs.

Each check reports the limit it enforces, the value found and the environment
variable that sets it, so a client knows what to change and an operator what to tune.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    get_nullable_type,
)
from graphql.execution.collect_fields import (
    FieldDetailsList,
    FragmentDetails,
    collect_fields,
    collect_subfields,
)
from graphql.execution.values import VariableValues, get_argument_values
from graphql.language import Lexer, Source, TokenKind

from schema.cursors import DEFAULT_PAGE_SIZE


@dataclass(frozen=True)
class Limits:
    """The bounds every request is held to; each can be set from the environment."""

    max_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_nodes: int = 50_000
    # A plain list (not a connection) has no `first`; assume it this long.
    list_size: int = DEFAULT_PAGE_SIZE


# The environment variable that sets each limit, named in every message about it.
ENVIRONMENT = {
    "max_depth": "BILATERAL_MAX_DEPTH",
    "max_aliases": "BILATERAL_MAX_ALIASES",
    "max_tokens": "BILATERAL_MAX_TOKENS",
    "max_nodes": "BILATERAL_MAX_NODES",
}


def limit_error(limit: str, found: int, allowed: int, what: str) -> GraphQLError:
    """The error for a document beyond one limit."""
    return GraphQLError(
        f"{what} is {found}; the limit is {allowed} (set by {ENVIRONMENT[limit]}).",
        extensions={"code": "LIMIT_EXCEEDED", "limit": limit, "found": found, "allowed": allowed},
    )


def count_tokens(text: str) -> int:
    """How many lexical tokens a document has (for the message once the parser gave up)."""
    lexer = Lexer(Source(text))
    count = 0
    try:
        while lexer.advance().kind != TokenKind.EOF:
            count += 1
    except GraphQLError:
        pass  # the count so far is enough to report; the syntax error is reported elsewhere
    return count


def _fragments(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    return {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }


# The standard introspection query (GraphiQL's, graphql-js's getIntrospectionQuery) unwraps
# list and non-null types with `ofType` nested this deep; those levels count for nothing, so
# tools can load the schema, while anything nested deeper counts in full.
FREE_OF_TYPE_LEVELS = 8


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    visiting: frozenset[str] = frozenset(),
    of_type_run: int = 0,
) -> int:
    """The deepest nesting of fields below a selection set, fragments followed once per path."""
    if selection_set is None:
        return 0
    deepest = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            run = of_type_run + 1 if selection.name.value == "ofType" else 0
            level = 0 if 0 < run <= FREE_OF_TYPE_LEVELS else 1
            below = _depth(selection.selection_set, fragments, visiting, run)
            deepest = max(deepest, level + below)
        elif isinstance(selection, InlineFragmentNode):
            below = _depth(selection.selection_set, fragments, visiting, of_type_run)
            deepest = max(deepest, below)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            fragment = fragments.get(name)
            if fragment is not None and name not in visiting:  # cycles are a validation error
                below = _depth(fragment.selection_set, fragments, visiting | {name}, of_type_run)
                deepest = max(deepest, below)
    return deepest


def _aliases(
    selection_set: SelectionSetNode | None,
    fragments: Mapping[str, FragmentDefinitionNode],
    seen: set[str],
) -> int:
    """How many aliases a selection set holds, each fragment counted once."""
    if selection_set is None:
        return 0
    count = 0
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            count += (selection.alias is not None) + _aliases(
                selection.selection_set, fragments, seen
            )
        elif isinstance(selection, InlineFragmentNode):
            count += _aliases(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            seen.add(selection.name.value)
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                count += _aliases(fragment.selection_set, fragments, seen)
    return count


def limit_rules(limits: Limits) -> list[type[ValidationRule]]:
    """Validation rules for the depth and alias limits, to run with the standard ones."""

    class DepthAndAliasRule(ValidationRule):
        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            fragments = _fragments(self.context.document)
            depth = _depth(node.selection_set, fragments)
            if depth > limits.max_depth:
                self.report_error(limit_error("max_depth", depth, limits.max_depth, "Query depth"))
            aliases = _aliases(node.selection_set, fragments, set())
            if aliases > limits.max_aliases:
                self.report_error(
                    limit_error("max_aliases", aliases, limits.max_aliases, "The number of aliases")
                )

    return [DepthAndAliasRule]


# The longest list a field gives, by type and field name, with a default for the unmeasured.
ListSize = Callable[[str, str, int], int]
# The rows all of a list field's lists hold together, where each row sits in one list.
ListTotal = Callable[[str, str], int | None]
# The mean length of a list field's lists that are not empty, where it is measured.
ListMean = Callable[[str, str], float | None]


def estimate_nodes(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: VariableValues,
    limits: Limits,
    list_size: ListSize | None = None,
    list_total: ListTotal | None = None,
    list_mean: ListMean | None = None,
) -> int:
    """GitHub's node estimate: for each list or connection, the product of page sizes down its path.

    A connection counts its `first` or `last` (or the default page size); a plain list counts
    the longest list the field gives in the data (`list_size`), or the assumed list size
    for a field not measured; fields under a connection's `edges` and `nodes` are its items.
    Where the parents of a plain list are distinct objects (one object at the root, then
    lists whose rows each sit in one list), its items are at most the rows its field lists
    in all (`list_total`): the US's posts with their accreditations count the accreditations
    there are, not every post times the longest list.
    Under many parents (more than one), a plain list counts its mean length (`list_mean`)
    for each parent, but never less than its longest list, which one of them may hold:
    twenty countries' posts count about twenty countries' worth of posts, not twenty times
    the US's.
    The fields are collected as the executor collects them (fragments, `@include` and
    `@skip`, aliases); a field of a union or interface counts its costliest member.
    """
    fragments = {
        definition.name.value: FragmentDetails(definition)
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }

    def page_size(field: GraphQLField, details: FieldDetailsList) -> int:
        """The `first` or `last` a connection is asked for, or the default page size."""
        try:
            arguments = get_argument_values(field, details[0].node, variables)
        except GraphQLError:  # the resolvers report it
            return DEFAULT_PAGE_SIZE
        for name in ("first", "last"):
            if isinstance(arguments.get(name), int):
                size: int = arguments[name]
                return size
        return DEFAULT_PAGE_SIZE

    def count(
        grouped: Mapping[str, FieldDetailsList],
        parent: GraphQLObjectType,
        factor: int,
        distinct: bool,
    ) -> int:
        total = 0
        for details in grouped.values():
            name = details[0].node.name.value
            definition = parent.fields.get(name)
            if definition is None:
                continue  # __typename
            type_: GraphQLOutputType = definition.type
            named = get_named_type(type_)
            in_connection = parent.name.endswith("Connection") and name in {"edges", "nodes"}
            own = 0
            distinct_here = distinct and factor == 1  # a single object's object is one
            if named.name.endswith("Connection"):
                factor_here = factor * max(page_size(definition, details), 0)
                own = factor_here
                distinct_here = False
            elif isinstance(get_nullable_type(type_), GraphQLList) and not in_connection:
                measured = list_size(parent.name, name, limits.list_size) if list_size else None
                longest = limits.list_size if measured is None else measured
                factor_here = factor * longest
                mean = list_mean(parent.name, name) if list_mean and factor > 1 else None
                if mean is not None:
                    factor_here = min(factor_here, max(math.ceil(factor * mean), longest))
                held = list_total(parent.name, name) if list_total and distinct else None
                if held is not None:
                    factor_here = min(factor_here, held)
                own = factor_here
                distinct_here = held is not None
            else:
                factor_here = factor
            total += own + below(details, named, factor_here, distinct_here)
        return total

    def below(
        details: FieldDetailsList, named: GraphQLNamedType, factor: int, distinct: bool
    ) -> int:
        """The count under a field: of its object type, or of its costliest possible type."""
        if isinstance(named, GraphQLObjectType):
            members: Sequence[GraphQLObjectType] = [named]
        elif isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            members = schema.get_possible_types(named)
        else:
            return 0
        return max(
            (
                count(
                    collect_subfields(
                        schema, fragments, variables, operation, member, details
                    ).grouped_field_set,
                    member,
                    factor,
                    distinct,
                )
                for member in members
            ),
            default=0,
        )

    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    collected = collect_fields(schema, fragments, variables, root, operation)
    return count(collected.grouped_field_set, root, 1, True)


NodeCheck = Callable[
    [DocumentNode, OperationDefinitionNode, VariableValues], tuple[int, GraphQLError | None]
]


def node_check(
    schema: GraphQLSchema,
    limits: Limits,
    list_size: ListSize | None = None,
    list_total: ListTotal | None = None,
    list_mean: ListMean | None = None,
) -> NodeCheck:
    """A check of the node estimate, which needs the variables and so runs after validation:
    the estimate, and the error when it is over the limit."""

    def check(
        document: DocumentNode, operation: OperationDefinitionNode, variables: VariableValues
    ) -> tuple[int, GraphQLError | None]:
        nodes = estimate_nodes(
            schema, document, operation, variables, limits, list_size, list_total, list_mean
        )
        if nodes <= limits.max_nodes:
            return nodes, None
        error = limit_error("max_nodes", nodes, limits.max_nodes, "The estimated number of nodes")
        return nodes, error

    return check
