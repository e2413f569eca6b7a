"""Fetching any Node by global ID, for `node`, `nodes` and search results."""

import functools
from collections.abc import Sequence

from graphql import GraphQLError

from schema.columns import row_model
from schema.context import Info
from schema.ids import decode_id
from schema.types.node import Node

MAX_IDS = 100


@functools.cache
def node_types() -> dict[str, type[Node]]:
    """Every type that implements Node, by its GraphQL name (each holds its row's model)."""
    found: dict[str, type[Node]] = {}
    waiting = list(Node.__subclasses__())
    while waiting:
        cls = waiting.pop()
        waiting.extend(cls.__subclasses__())
        definition = getattr(cls, "__strawberry_definition__", None)
        if definition is not None and row_model(cls) is not None:
            found[definition.name] = cls
    return found


async def load_refs(info: Info, refs: Sequence[tuple[str, int]]) -> list[Node | None]:
    """The nodes named by (type name, row id) pairs, in order; None for each that is absent."""
    found: list[Node | None] = []
    for type_name, pk in refs:
        cls = node_types().get(type_name)
        if cls is None:
            found.append(None)
            continue
        row = await info.context.loaders.row(row_model(cls)).load(pk)
        found.append(None if row is None else cls.from_row(row))  # type: ignore[attr-defined]
    return found


async def load_nodes(info: Info, ids: Sequence[str], argument: str) -> list[Node | None]:
    """The nodes with these global IDs, in order; a GraphQL error for a malformed ID."""
    if len(ids) > MAX_IDS:
        raise GraphQLError(
            f"Argument '{argument}' holds {len(ids)} IDs; at most {MAX_IDS} are allowed."
        )
    return await load_refs(info, [decode_id(value, argument) for value in ids])


async def load_node(info: Info, global_id: str, argument: str) -> Node | None:
    """The node with this global ID, or None when no object has it."""
    return (await load_nodes(info, [global_id], argument))[0]
