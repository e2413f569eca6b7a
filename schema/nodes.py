"""Fetching any Node by global ID, for `node`, `nodes` and search results."""

from collections.abc import Sequence

from graphql import GraphQLError

from db.kinds import BY_TYPE
from schema.context import Info
from schema.ids import decode_id
from schema.types.node import Node

MAX_IDS = 100


async def load_refs(info: Info, refs: Sequence[tuple[str, int]]) -> list[Node | None]:
    """The nodes named by (type name, row id) pairs, in order; None for each that is absent."""
    found: list[Node | None] = []
    for type_name, pk in refs:
        kind = BY_TYPE.get(type_name)
        row = None if kind is None else await info.context.loaders.row(kind.model).load(pk)
        if row is None:
            found.append(None)
            continue
        definition = info.schema.get_type_by_name(type_name)  # the type of that name, as built
        found.append(definition.origin.from_row(row))  # type: ignore[union-attr]
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
