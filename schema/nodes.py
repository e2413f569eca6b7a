"""Fetching any Node by global ID, for `node`, `nodes` and search results."""

from collections.abc import Callable, Sequence
from typing import Any

from graphql import GraphQLError

from schema.context import Info
from schema.ids import decode_id
from schema.types.change import Change
from schema.types.country import Country
from schema.types.event import Event
from schema.types.mission import HeadOfMission, Mission
from schema.types.mission_facts import Claim
from schema.types.node import Node
from schema.types.organization import Organization
from schema.types.person import Person
from schema.types.relation import Relation

MAX_IDS = 100

# Each Node type by name: the loader that fetches its rows and the constructor from a row.
_NODE_TYPES: dict[str, tuple[str, Callable[[Any], Node]]] = {
    "Country": ("country", Country.from_row),
    "Mission": ("mission", Mission.from_row),
    "HeadOfMission": ("head_of_mission", HeadOfMission.from_row),
    "Person": ("person", Person.from_row),
    "Organization": ("organization", Organization.from_row),
    "Event": ("event", Event.from_row),
    "Relation": ("relation", Relation.from_row),
    "Change": ("change", Change.from_row),
    "Claim": ("claim", Claim.from_row),
}


async def load_refs(info: Info, refs: Sequence[tuple[str, int]]) -> list[Node | None]:
    """The nodes named by (type name, row id) pairs, in order; None for each that is absent."""
    found: list[Node | None] = []
    for type_name, pk in refs:
        entry = _NODE_TYPES.get(type_name)
        if entry is None:
            found.append(None)
            continue
        loader_name, build = entry
        row = await getattr(info.context.loaders, loader_name).load(pk)
        found.append(None if row is None else build(row))
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
