"""What one row of a release says about a post, in Bilateral's terms, or why it is skipped.

A row becomes a post when its sender is a state, its host a country, the two differ and its
type is known; its jurisdictions become countries where the crosswalk knows them and other
jurisdictions (a province, the European Union) where it does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from db.countries import find_iso_country, wikidata_items
from db.models import MissionKind
from db.names import post_name
from seed.wikidata.release import Item, Post

# Each of the type labels in the 2022-11-16 release, and the kind it names. Some labels are
# one sender's name for a common kind ("British High Commission").
KINDS: dict[str, MissionKind] = {
    "embassy": MissionKind.EMBASSY,
    "embassy of the united states": MissionKind.EMBASSY,
    "high commission": MissionKind.HIGH_COMMISSION,
    "british high commission": MissionKind.HIGH_COMMISSION,
    "australian high commission": MissionKind.HIGH_COMMISSION,
    "assistant high commission": MissionKind.ASSISTANT_HIGH_COMMISSION,
    "consulate general": MissionKind.CONSULATE_GENERAL,
    "consulate general of sweden": MissionKind.CONSULATE_GENERAL,
    "consulate general of belgium": MissionKind.CONSULATE_GENERAL,
    "consulate": MissionKind.CONSULATE,
    "consular office": MissionKind.CONSULATE,
    "consulates of sweden": MissionKind.CONSULATE,
    "honorary consulate": MissionKind.HONORARY_CONSULATE,
    "consular agency": MissionKind.CONSULAR_AGENCY,
    "permanent mission": MissionKind.PERMANENT_MISSION,
    "apostolic nunciature": MissionKind.APOSTOLIC_NUNCIATURE,
    "apostolic delegation": MissionKind.APOSTOLIC_DELEGATION,
    "de facto embassy": MissionKind.REPRESENTATIVE_OFFICE,
    "representative office": MissionKind.REPRESENTATIVE_OFFICE,
    "taipei representative office": MissionKind.REPRESENTATIVE_OFFICE,
    "quebec government office": MissionKind.REPRESENTATIVE_OFFICE,
    "de facto consulate": MissionKind.DE_FACTO_CONSULATE,
    "liaison office": MissionKind.LIAISON_OFFICE,
    "interests section": MissionKind.INTERESTS_SECTION,
    "trade office": MissionKind.TRADE_OFFICE,
    "diplomatic mission": MissionKind.DIPLOMATIC_MISSION,
    "diplomatic mission of el salvador": MissionKind.DIPLOMATIC_MISSION,
}


class Skip(Exception):
    """A row that cannot be a post here; the message says why."""


@dataclass(frozen=True)
class Target:
    """Something a post covers: a country (by code) or another jurisdiction (by item)."""

    code: str | None
    other: Item | None


@dataclass(frozen=True)
class Planned:
    """A row read as a post: its countries by code, its kind, name and jurisdictions."""

    post: Post
    sender: str
    host: str
    kind: MissionKind
    name: str
    targets: tuple[Target, ...]


def _country_of(item: Item) -> str | None:
    """The country code an item stands for, through the crosswalk; None if it names none."""
    found = wikidata_items().get(item.qid)
    return None if found is None else found.code


def plan(post: Post) -> Planned:
    """The post a row describes; Skip says why a row describes none that can be kept."""
    sender_item = wikidata_items().get(post.operator.qid)
    if sender_item is None:
        raise Skip(
            f"the sender {post.operator.label} ({post.operator.qid}) is not a state: it maps to no country"
        )
    sender_country = find_iso_country(sender_item.code)
    if sender_country is None or not sender_country.state:
        raise Skip(
            f"the sender {post.operator.label} ({post.operator.qid}) is not a state: "
            f"ISO 3166-1 counts {sender_item.code} as a territory of another state"
        )
    host = _country_of(post.country)
    if host is None:
        raise Skip(f"the host {post.country.label} ({post.country.qid}) maps to no country")
    if host == sender_item.code:
        raise Skip(
            f"the host is the sender itself ({host}): the row gives no country the post is in"
        )
    kind = KINDS.get(post.type.label.casefold())
    if kind is None:
        raise Skip(f"unknown type label {post.type.label!r} ({post.type.qid})")
    targets = tuple(
        dict.fromkeys(
            Target(code, None) if (code := _country_of(item)) else Target(None, item)
            for item in post.jurisdictions
        )
    )
    countries = [target.code for target in targets if target.code is not None]
    # A post that does not cover the country it is in is named for the one it does cover:
    # an embassy in Rome that covers the Holy See and not Italy is the embassy to the Holy See.
    to = None
    if countries and host not in countries:
        to = "VA" if "VA" in countries else countries[0]
    city = post.city.label if post.city else ""
    name = post_name(kind, sender_item.code, host, city, to)
    return Planned(post, sender_item.code, host, kind, name, targets)
