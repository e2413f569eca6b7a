"""Limits on what one GraphQL document may ask for, checked before it runs.

Each check reports the limit it enforces, the value found and the environment
variable that sets it, so a client knows what to change and an operator what to tune.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

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


class ListFigures(Protocol):
    """One list's measured lengths (schema.list_sizes.Lists)."""

    @property
    def mean(self) -> float: ...

    @property
    def rows(self) -> int: ...

    @property
    def typical(self) -> float: ...

    @property
    def present(self) -> float: ...

    def of(self, key: Any) -> float: ...


class Statistics(Protocol):
    """What the node estimate knows of the data (schema.list_sizes.ListSizes)."""

    def measured(self, type_name: str, field_name: str) -> ListFigures | None: ...

    def own(self, type_name: str, field_name: str) -> bool: ...

    def share(self, type_name: str, field_name: str, arguments: dict[str, Any]) -> float: ...

    def identify(self, field_name: str, arguments: dict[str, Any]) -> tuple[str, Any] | None: ...

    def expected_root(self, field_name: str, arguments: dict[str, Any]) -> float | None: ...


def estimate_nodes(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation: OperationDefinitionNode,
    variables: VariableValues,
    limits: Limits,
    statistics: Statistics | None = None,
) -> int:
    """The objects an operation is expected to return, from the lengths of the lists it asks
    for as the data holds them (`statistics`): the number a budget is charged before it runs
    and the node limit is checked against.

    Every object counts once: each item of a list or a connection's page, each object field
    of each of them, a connection and its page info. A list under one object the query
    names (a country by its code, an object by its global ID, a relation by its two
    countries) counts that object's own list where it is measured (a country's posts), else
    the mean length of the field's lists; under many objects, the mean for each. An
    argument that narrows a list (`kind: [EMBASSY]`) counts the share of rows it keeps. A
    connection counts its `first` or `last` (or the default page size), but no more than
    its parent's list is expected to hold; a connection of Query, no more than the rows it
    pages through (for `missions`, narrowed by sender, host and kind as the countries'
    counts of posts say). Where the parents are distinct objects and each row of a list
    sits in one of them, the items are at most the rows the field lists in all.
    A list given `ids` counts one item for each. A list not measured counts one item for
    each parent. Without `statistics`, every plain list counts the assumed list size and
    every connection its page size: an upper bound rather than a guess.
    The fields are collected as the executor collects them (fragments, `@include` and
    `@skip`, aliases); a field of a union or interface counts its costliest member, or the
    one its global ID names.
    """
    fragments = {
        definition.name.value: FragmentDetails(definition)
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }

    def arguments_of(field: GraphQLField, details: FieldDetailsList) -> dict[str, Any] | None:
        try:
            return get_argument_values(field, details[0].node, variables)
        except GraphQLError:  # the resolvers report it
            return None

    def page_size(arguments: dict[str, Any] | None) -> int:
        """The `first` or `last` a connection is asked for, or the default page size."""
        for name in ("first", "last"):
            if arguments is not None and isinstance(arguments.get(name), int):
                size: int = arguments[name]
                return max(size, 0)
        return DEFAULT_PAGE_SIZE

    def each_of(figures: ListFigures, factor: float) -> float:
        """The items of a list for each of `factor` parents, none of them named: the mean
        over all parents for each, but all together at least (under one parent or more)
        the geometric mean of that mean and a typical list that is not empty. A parent
        asked about may be one with data or any; between the two, the geometric mean is
        the estimate least far off either way on the scale the 3x goal is measured on."""
        if factor <= 0:
            return 0.0
        between = math.sqrt(figures.mean * figures.typical)
        return max(figures.mean, min(factor, 1.0) * between / factor)

    def present(
        parent: GraphQLObjectType, definition: GraphQLField, named: GraphQLNamedType, key: Any
    ) -> float:
        """The share of parents for which a nullable object field on a date (`asOf`: who
        headed a post then) is not null: of those whose list of the same type (the post's
        heads) is not empty."""
        if statistics is None or "asOf" not in definition.args:
            return 1.0
        for name, other in parent.fields.items():
            if isinstance(get_nullable_type(other.type), GraphQLList) and (
                get_named_type(other.type) is named
            ):
                figures = statistics.measured(parent.name, name)
                if figures is not None:
                    return figures.present if key is None else min(figures.of(key), 1.0)
        return 1.0

    def count(
        grouped: Mapping[str, FieldDetailsList],
        parent: GraphQLObjectType,
        factor: float,
        key: Any,
        distinct: bool,
        page: float,
    ) -> float:
        """The objects under `factor` objects of type `parent` (one, `key`, where named);
        `page`: the items of each, where the parent is a connection."""
        total = 0.0
        for details in grouped.values():
            name = details[0].node.name.value
            definition = parent.fields.get(name)
            if definition is None:
                continue  # __typename
            type_: GraphQLOutputType = definition.type
            named = get_named_type(type_)
            is_object = isinstance(
                named, GraphQLObjectType | GraphQLInterfaceType | GraphQLUnionType
            )
            arguments = arguments_of(definition, details) or {}
            is_list = isinstance(get_nullable_type(type_), GraphQLList)
            if parent.name.endswith("Connection") and name in {"edges", "nodes"}:
                items = factor * page
                total += items + below(details, named, items, None, False, 0.0)
            elif named.name.endswith("Connection"):
                asked = page_size(arguments)
                expected = None
                if statistics is not None:
                    if parent is schema.query_type:
                        expected = statistics.expected_root(name, arguments)
                    else:
                        figures = statistics.measured(parent.name, name)
                        if figures is not None:
                            expected = (
                                figures.of(key) if key is not None else each_of(figures, factor)
                            )
                each = asked if expected is None else min(asked, expected)
                total += factor + below(details, named, factor, None, False, each)
            elif is_list:
                figures = None if statistics is None else statistics.measured(parent.name, name)
                if isinstance(arguments.get("ids"), list):  # one item for each ID asked for
                    each = float(len(arguments["ids"]))
                elif figures is None:  # an upper bound without statistics, else one item
                    each = float(limits.list_size) if statistics is None else 1.0
                else:
                    each = figures.of(key) if key is not None else each_of(figures, factor)
                    assert statistics is not None
                    each *= statistics.share(parent.name, name, arguments)
                items = factor * each
                own = statistics is not None and statistics.own(parent.name, name)
                if figures is not None and distinct and own:
                    assert statistics is not None
                    items = min(
                        items, figures.rows * statistics.share(parent.name, name, arguments)
                    )
                if is_object:
                    total += items + below(details, named, items, None, distinct and own, 0.0)
            elif is_object:
                named_key = None
                if parent is schema.query_type and statistics is not None:
                    named_key = statistics.identify(name, arguments)
                found = factor * present(parent, definition, named, key)
                total += found + below(details, named, found, named_key, distinct, 0.0)
        return total

    def below(
        details: FieldDetailsList,
        named: GraphQLNamedType,
        factor: float,
        named_key: tuple[str, Any] | Any,
        distinct: bool,
        page: float,
    ) -> float:
        """The count under a field: of its object type, or of its costliest possible type
        (of the one a root field names, where it names one)."""
        if isinstance(named, GraphQLObjectType):
            members: Sequence[GraphQLObjectType] = [named]
        elif isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
            members = schema.get_possible_types(named)
        else:
            return 0.0
        type_name, key = named_key if isinstance(named_key, tuple) else (None, None)
        if type_name is not None:
            members = [member for member in members if member.name == type_name]
        return max(
            (
                count(
                    collect_subfields(
                        schema, fragments, variables, operation, member, details
                    ).grouped_field_set,
                    member,
                    factor,
                    key,
                    distinct and factor <= 1,
                    page,
                )
                for member in members
            ),
            default=0.0,
        )

    root = schema.get_root_type(operation.operation)
    if root is None:
        return 0
    collected = collect_fields(schema, fragments, variables, root, operation)
    return math.ceil(count(collected.grouped_field_set, root, 1.0, None, True, 0.0) - 1e-9)


NodeCheck = Callable[
    [DocumentNode, OperationDefinitionNode, VariableValues], tuple[int, GraphQLError | None]
]


def node_check(
    schema: GraphQLSchema, limits: Limits, statistics: Statistics | None = None
) -> NodeCheck:
    """A check of the node estimate, which needs the variables and so runs after validation:
    the estimate, and the error when it is over the limit."""

    def check(
        document: DocumentNode, operation: OperationDefinitionNode, variables: VariableValues
    ) -> tuple[int, GraphQLError | None]:
        nodes = estimate_nodes(schema, document, operation, variables, limits, statistics)
        if nodes <= limits.max_nodes:
            return nodes, None
        error = limit_error("max_nodes", nodes, limits.max_nodes, "The estimated number of nodes")
        return nodes, error

    return check
