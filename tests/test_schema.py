"""The schema: the committed SDL is current, keeps the contract, and describes everything."""

from pathlib import Path

import httpx
import pytest
from conftest import GraphQL
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLUnionType,
    build_schema,
    get_named_type,
)
from graphql.utilities import find_breaking_changes

from schema import schema
from schema.columns import column_of
from schema.compiled.compiler import RESOLVER_ONLY, handler_of, node_models

ROOT = Path(__file__).resolve().parent.parent
# The contract lives beside the project in ../shared; a copy rides along for clones without it.
CONTRACTS = [
    path
    for path in (ROOT.parent / "shared" / "contract", ROOT / "tests" / "contract")
    if (path / "query.graphql").exists()
]


def test_committed_sdl_matches_the_code() -> None:
    committed = (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", "run `make schema` and commit schema/schema.graphql"


@pytest.mark.parametrize("contract", CONTRACTS, ids=str)
def test_schema_keeps_the_read_and_write_contract(contract: Path) -> None:
    # The parts the schema has taken on so far: reading, then writing.
    parts = [contract / f"{part}.graphql" for part in ("query", "mutation")]
    expected = build_schema("\n".join(part.read_text(encoding="utf-8") for part in parts))
    assert find_breaking_changes(expected, schema._schema) == []


def test_the_contract_copy_is_current() -> None:
    copy, shared = ROOT / "tests" / "contract", ROOT.parent / "shared" / "contract"
    if not shared.exists():
        pytest.skip("no ../shared/contract beside this clone to compare the copy with")
    for part in shared.glob("*.graphql"):
        assert (copy / part.name).read_text(encoding="utf-8") == part.read_text(encoding="utf-8")


def test_every_type_field_argument_and_enum_value_has_a_description() -> None:
    missing = []
    for name, type_ in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                for arg_name, arg in getattr(field, "args", {}).items():
                    if not arg.description:
                        missing.append(f"{name}.{field_name}({arg_name})")
        if isinstance(type_, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, v in type_.values.items() if not v.description]
        if isinstance(type_, GraphQLUnionType) and not type_.description:
            missing.append(name)
    assert missing == []


async def test_the_custom_scalars_say_where_they_are_specified(
    data: GraphQL, client: httpx.AsyncClient
) -> None:
    found = await data(
        """{ PartialDate: __type(name: "PartialDate") { specifiedByURL }
            DateTime: __type(name: "DateTime") { specifiedByURL }
            JSON: __type(name: "JSON") { specifiedByURL } }"""
    )
    assert found == {
        "PartialDate": {"specifiedByURL": "/docs/partial-date.md"},
        "DateTime": {"specifiedByURL": "https://www.rfc-editor.org/rfc/rfc3339"},
        "JSON": {"specifiedByURL": "https://www.rfc-editor.org/rfc/rfc8259"},
    }
    page = await client.get(found["PartialDate"]["specifiedByURL"])
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/markdown; charset=utf-8"
    assert page.text.startswith("# The PartialDate scalar")
    for missing in ("/docs/nothing.md", "/docs/..%2FREADME.md", "/docs/explorer.png"):
        assert (await client.get(missing)).status_code == 404


# Types a compiled form builds whole, fields and all, rather than field by field.
# Event.place builds Place from the event's own columns; Relation.eventCounts builds each
# EventTally from its grouped row.
BUILT_WHOLE = {"Place", "EventTally"}


def _uncompiled_fields() -> list[str]:
    """Fields Query reaches that are neither columns, nor declare a compiled form, nor are
    listed as resolver-only (schema.compiled.compiler.RESOLVER_ONLY)."""
    nodes = node_models(schema._schema)
    missing: list[str] = []
    seen: set[str] = set()
    waiting: list[GraphQLNamedType] = [schema._schema.query_type]  # type: ignore[list-item]
    while waiting:
        type_ = waiting.pop()
        if type_.name in seen or type_.name in BUILT_WHOLE:
            continue
        seen.add(type_.name)
        if isinstance(type_, GraphQLUnionType):
            waiting.extend(type_.types)
            continue
        if not isinstance(type_, GraphQLObjectType):
            continue
        if "pageInfo" in type_.fields:  # a connection: the compiler builds its paging fields
            waiting.append(get_named_type(type_.fields["nodes"].type))
            continue
        for name, field in type_.fields.items():
            where = f"{type_.name}.{name}"
            definition = field.extensions.get("strawberry-definition")
            if where in RESOLVER_ONLY or (name == "id" and type_.name in nodes):
                continue
            if definition is not None and column_of(definition) is not None:
                continue
            if handler_of(field) is None:
                missing.append(where)
            waiting.append(get_named_type(field.type))
    return missing


def test_every_field_is_compiled_or_listed_as_resolver_only() -> None:
    assert _uncompiled_fields() == []
    for where in RESOLVER_ONLY:  # no stale entries: each names a field without a compiled form
        type_name, field_name = where.split(".")
        type_ = schema._schema.get_type(type_name)
        assert isinstance(type_, GraphQLObjectType) and field_name in type_.fields, where
        assert handler_of(type_.fields[field_name]) is None, where
