"""Hypothesis strategies for queries over the served schema: any field, any argument.

Queries are drawn from the schema itself (so a field added to it is drawn too), with
argument values taken from the article's data where that matters (codes, IDs, dates,
words), bad values now and then, inline fragments on unions and interfaces, aliases
and `@include`/`@skip`.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_abstract_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from hypothesis import strategies as st

from schema.ids import encode_id

CODES = ["BE", "my", "MYS", "FR", "JP", "ZZ"]
DATES = ["1957", "1975", "1982", "2000", "2019-06", "2023-10", "2025-01-19"]
WORDS = ["belg", "malaysia", "visit", "trade", "anwar", "council", "", "  "]
IDS = [
    encode_id(kind, pk) for kind in ("Country", "Event", "Person", "Mission") for pk in (1, 2, 20)
]
IDS += [encode_id("HeadOfMission", 1), encode_id("Relation", 1), encode_id("Nothing", 1), "bad!"]


def _maybe(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), values)


EVENT_FILTER = st.fixed_dictionaries(
    {},
    optional={
        "countries": st.lists(st.sampled_from(CODES[:5]), max_size=2),
        "kinds": st.lists(st.sampled_from(["DIPLOMATIC", "ECONOMIC", "MILITARY"]), max_size=2),
        "from": st.sampled_from(DATES),
        "to": st.sampled_from(DATES),
        "participant": st.sampled_from(IDS),
        "text": st.sampled_from(WORDS),
    },
)

# Values for arguments by name; an argument not named here gets null or is left out.
ARGUMENTS: dict[str, st.SearchStrategy[Any]] = {
    "first": _maybe(st.one_of(st.integers(0, 3), st.integers(0, 3), st.sampled_from([-1, 101]))),
    "after": _maybe(st.sampled_from(["not-a-cursor", "WyJldmVudHMiLCIxOTU3IiwxXQ"])),
    "code": st.sampled_from(CODES),
    "between": st.sampled_from(
        [["BE", "MY"], ["my", "BE"], ["FR", "MY"], ["JP", "FR"], ["BE", "be"], ["BE"]]
    ),
    "kind": _maybe(st.lists(st.sampled_from(["EMBASSY", "HONORARY_CONSULATE"]), max_size=2)),
    "role": _maybe(st.sampled_from(["visitor", "HOST", "signatory", "nobody"])),
    "asOf": _maybe(st.sampled_from(DATES)),
    "search": _maybe(st.sampled_from(WORDS)),
    "text": st.sampled_from(WORDS),
    "id": st.sampled_from(IDS),
    "ids": st.lists(st.sampled_from(IDS), max_size=3),
    "target": _maybe(st.sampled_from(IDS)),
    "filter": _maybe(EVENT_FILTER),
    "orderBy": _maybe(
        st.fixed_dictionaries(
            {"field": st.just("DATE"), "direction": st.sampled_from(["ASC", "DESC"])}
        )
    ),
    "country": _maybe(st.sampled_from(CODES)),
    "hostCountry": _maybe(st.sampled_from(CODES)),
    "former": st.booleans(),
    # The Office of the Historian's ids: the article's people have none, so both find nobody.
    "historianId": st.sampled_from(["legare-hugh-swinton", "nobody"]),
}


def literal(value: Any, type_: GraphQLInputType) -> str:
    """A value written as a GraphQL literal of its type."""
    if value is None:
        return "null"
    if isinstance(type_, GraphQLNonNull):
        return literal(value, type_.of_type)
    if isinstance(type_, GraphQLList):
        return "[" + ", ".join(literal(item, type_.of_type) for item in value) + "]"
    if isinstance(type_, GraphQLEnumType):
        return str(value)
    if isinstance(type_, GraphQLInputObjectType):
        fields = ", ".join(
            f"{key}: {literal(item, type_.fields[key].type)}" for key, item in value.items()
        )
        return "{" + fields + "}"
    return json.dumps(value)


class Queries:
    """Query texts over one schema."""

    def __init__(self, schema: GraphQLSchema, depth: int = 4) -> None:
        self.schema = schema
        self.depth = depth

    def query(self) -> st.SearchStrategy[str]:
        root = self.schema.query_type
        assert root is not None
        return self.fields(root, self.depth).map(lambda selection: "query { " + selection + " }")

    def selection(self, type_: GraphQLNamedType, depth: int) -> st.SearchStrategy[str]:
        if is_abstract_type(type_):
            members = list(self.schema.get_possible_types(type_))

            def fragment(member: GraphQLObjectType) -> st.SearchStrategy[str]:
                inner = self.fields(member, depth, prefix=member.name)
                return inner.map(lambda text: f"... on {member.name} {{ {text} }}")

            fragments = st.sampled_from(members).flatmap(fragment)
            return st.lists(fragments, min_size=1, max_size=2).map(
                lambda parts: "__typename " + " ".join(parts)
            )
        assert isinstance(type_, GraphQLObjectType)
        return self.fields(type_, depth)

    def fields(
        self, type_: GraphQLObjectType, depth: int, prefix: str = ""
    ) -> st.SearchStrategy[str]:
        names = [
            name
            for name, field in type_.fields.items()
            if not name.startswith("__")
            and name != "changes"  # the change log is empty here; writes are not drawn
            and (depth > 0 or is_leaf_type(get_named_type(field.type)))
        ]
        chosen = st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)
        return chosen.flatmap(
            lambda picked: st.tuples(
                *(
                    self.field(type_.fields[name], name, index, depth, prefix)
                    for index, name in enumerate(picked)
                )
            ).map(" ".join)
        )

    def field(
        self, field: GraphQLField, name: str, index: int, depth: int, prefix: str
    ) -> st.SearchStrategy[str]:
        # An argument is required when it is non-null and has no default (`former: Boolean! =
        # false` may be left out, but not given null).
        required = {
            key
            for key, argument in field.args.items()
            if isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
        }
        arguments = st.fixed_dictionaries(
            {key: ARGUMENTS.get(key, st.none()) for key in field.args if key in required},
            optional={
                key: ARGUMENTS.get(key, st.none()) for key in field.args if key not in required
            },
        )
        named = get_named_type(field.type)
        below = (
            st.just("")
            if is_leaf_type(named)
            else self.selection(named, depth - 1).map(lambda inner: f" {{ {inner} }}")
        )
        # Fields with arguments, and all fields in fragments, get aliases of their own:
        # the same name with other arguments or another type could not share a key.
        aliased = bool(field.args) or bool(prefix)
        kept = ["", "", "", " @include(if: true)", " @skip(if: false)"]
        # Only a field after the first may be left out, so no selection set ends up empty.
        dropped = [" @skip(if: true)", " @include(if: false)"] if index else []
        directive = st.sampled_from(kept + dropped)

        def write(values: dict[str, Any], inner: str, directive_text: str) -> str:
            alias = f"{prefix.lower()}{name}{index}: " if aliased else ""
            written = ", ".join(
                f"{key}: {literal(value, field.args[key].type)}" for key, value in values.items()
            )
            call = f"({written})" if written else ""
            return f"{alias}{name}{call}{directive_text}{inner}"

        return st.builds(write, arguments, below, directive)
