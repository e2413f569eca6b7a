"""Every kind of object the API names, said once: its table, model, GraphQL type and roles.

Everything that treats kinds alike derives from `KINDS`: which type a global ID names
(`node`), which kinds the change log records and how it writes them (`snapshot`), which
the search index holds and what text it holds of them (`search_text`), and which can
take part in an event (`participant`).

A kind's `name` is its table's: the change log's `target_type`, the search index's
`kind` and a participation's `{name}_id` column all store it. Its `type_name` is its
GraphQL type's, which is also the prefix of its global IDs ("Mission:12"): a string here,
so that the database layer need not import the schema; `tests/test_node.py` checks that
the schema's Node types are exactly these, each holding rows of its kind's model.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db import models, search_text
from db.base import Base, table_of
from db.writes import snapshots

# The objects' JSON for the change log, by row id; absent ids are left out.
Snapshot = Callable[[AsyncSession, Sequence[int]], Awaitable[dict[int, dict[str, Any]]]]


@dataclass(frozen=True)
class Kind:
    """One kind of object: its table and model, its GraphQL type, and what it can be."""

    name: str
    model: type[Base]
    type_name: str
    # Whether it can take part in an event (a participation's `{name}_id` names it).
    participant: bool = False
    # How the change log writes it; None when changes to it are not logged.
    snapshot: Snapshot | None = None
    # The (id, name, body, extra) text the search index holds of it; None when it is not searched.
    search_text: Callable[[], search_text.Text] | None = None


def _kind(
    model: type[Base],
    type_name: str,
    participant: bool = False,
    snapshot: Snapshot | None = None,
    search_text: Callable[[], search_text.Text] | None = None,
) -> Kind:
    return Kind(table_of(model).name, model, type_name, participant, snapshot, search_text)


KINDS: tuple[Kind, ...] = (
    _kind(models.Country, "Country", True, None, search_text.country),
    _kind(models.Person, "Person", True, snapshots.people, search_text.person),
    _kind(
        models.Organization, "Organization", True, snapshots.organizations, search_text.organization
    ),
    _kind(models.Mission, "Mission", True, snapshots.missions, search_text.mission),
    _kind(models.HeadOfMission, "HeadOfMission", False, snapshots.heads),
    _kind(models.MissionClaim, "Claim"),
    _kind(models.Event, "Event", False, snapshots.events, search_text.event),
    _kind(models.Relation, "Relation", False, snapshots.relations),
    _kind(models.Change, "Change"),
)
BY_NAME: Mapping[str, Kind] = {kind.name: kind for kind in KINDS}
BY_TYPE: Mapping[str, Kind] = {kind.type_name: kind for kind in KINDS}
PARTICIPANTS: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.participant)
SEARCHED: tuple[Kind, ...] = tuple(kind for kind in KINDS if kind.search_text is not None)


def logged_kind(type_name: str) -> str | None:
    """The change log's name for the kind of a GraphQL type, or None if it logs no such kind."""
    kind = BY_TYPE.get(type_name)
    return None if kind is None or kind.snapshot is None else kind.name
