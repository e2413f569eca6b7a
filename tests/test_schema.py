"""The schema: the committed SDL is current, keeps the contract, and describes everything."""

from pathlib import Path

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLUnionType,
    build_schema,
)
from graphql.utilities import find_breaking_changes

from schema import schema

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT.parent / "shared" / "contract" / "query.graphql"


def test_committed_sdl_matches_the_code() -> None:
    committed = (ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")
    assert committed == schema.as_str() + "\n", "run `make schema` and commit schema/schema.graphql"


def test_schema_keeps_the_read_contract() -> None:
    if not CONTRACT.exists():  # the contract lives beside the project, in ../shared
        pytest.skip(f"no contract at {CONTRACT}")
    breaking = find_breaking_changes(
        build_schema(CONTRACT.read_text(encoding="utf-8")), schema._schema
    )
    assert breaking == []


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
