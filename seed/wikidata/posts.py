"""What one row of a release says about a post, in Bilateral's terms, or why it is skipped.

A row becomes a post when its sender is a state, its host a country, the two differ and its
type is known; its jurisdictions become countries where the crosswalk knows them and other
jurisdictions (a province, the European Union) where it does not.

The row's values are kept as the source gives them, and what is implausible in them is
flagged (db/quality.py's kinds from the release): coordinates outside the host, a post
accredited to its own sender, a host its city contradicts, a post that covers nothing. A
post whose row names nothing it covers (or only its sender) is taken to cover its host,
with a flag saying so; its name is made from what is plausible: "Embassy of Spain,
Budapest District VI", not "… of Spain to Spain".
"""

from __future__ import annotations

from dataclasses import dataclass

from db.countries import find_iso_country, is_wikidata_id, wikidata_items
from db.models import MissionKind
from db.names import country_label, post_name
from db.places import cities
from db.quality import QualityIssueKind
from db.shapes import countries_at, has_shape, is_within
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
    flags: tuple[tuple[QualityIssueKind, str], ...] = ()


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
    sender = sender_item.code
    targets = tuple(
        dict.fromkeys(
            Target(code, None) if (code := _country_of(item)) else Target(None, item)
            for item in post.jurisdictions
        )
    )
    flags = _flags(post, sender, host)
    # Its sender is no country a post covers: it is named as if that were not said.
    countries = [target.code for target in targets if target.code not in (None, sender)]
    others = [target.other for target in targets if target.other is not None]
    if not countries and not others:
        targets += (Target(host, None),)
        said = "names nothing" if not post.jurisdictions else "names nothing but its sender as what"
        flags.append(
            (
                QualityIssueKind.POST_WITHOUT_ACCREDITATION,
                f"The source {said} the post covers; it is taken to cover its host, "
                f"{country_label(host)}.",
            )
        )
    # A post that does not cover the country it is in is named for the one it does cover:
    # an embassy in Rome that covers the Holy See and not Italy is the embassy to the Holy See.
    to = None
    if countries and host not in countries:
        to = "VA" if "VA" in countries else countries[0]
    # A city without a label is named by its bare Wikidata ID: the post is named by its host.
    city = post.city.label if post.city and not is_wikidata_id(post.city.label) else ""
    labelled = [item.label for item in others if not is_wikidata_id(item.label)]
    covers = labelled[0] if labelled and not countries else None
    name = post_name(kind, sender, host, city, to, covers)
    return Planned(post, sender, host, kind, name, targets, tuple(flags))


def _is_state(code: str) -> bool:
    found = find_iso_country(code)
    return found is not None and found.state


def _flags(post: Post, sender: str, host: str) -> list[tuple[QualityIssueKind, str]]:
    """What is implausible in a row's post, each with a sentence saying why."""
    flags = []
    if any(_country_of(item) == sender for item in post.jurisdictions):
        flags.append(
            (
                QualityIssueKind.ACCREDITED_TO_SENDER,
                f"The source accredits the post to its own sender, {country_label(sender)}.",
            )
        )
    city = None if post.city is None else cities().get(post.city.qid)
    # A city in a territory (Hong Kong, Guam) is left alone: whose it is, ISO does not say.
    if city is not None and city.country != host and _is_state(city.country):
        flags.append(
            (
                QualityIssueKind.HOST_CONTRADICTS_CITY,
                f"The source puts the post in {country_label(host)}, but its city, "
                f"{city.label}, is in {country_label(city.country)} (GeoNames).",
            )
        )
    outside = _outside(post, host)
    if outside is not None:
        flags.append((QualityIssueKind.COORDINATES_OUTSIDE_HOST, outside))
    return flags


def _outside(post: Post, host: str) -> str | None:
    """Why a post's coordinates lie outside its host, if they do (None if not, or unknown)."""
    latitude, longitude = post.latitude, post.longitude
    if latitude is None or longitude is None or not has_shape(host):
        return None
    if is_within(host, latitude, longitude):
        return None
    inside = countries_at(latitude, longitude)
    if not all(_is_state(code) for code in inside):
        return None  # in a territory (Hong Kong, Guam), which may well be the host's own
    where = f", in {country_label(inside[0])}" if inside else ""
    return (
        f"The source's coordinates ({latitude:g}, {longitude:g}) lie outside "
        f"{country_label(host)}{where} (Natural Earth's shapes)."
    )


def distinct_name(planned: Planned, taken: set[str]) -> str:
    """A post's name, told apart in words from another post's where the row allows: by the
    year it opened. Where nothing in the row tells two posts apart (the Netherlands' honorary
    consulates in one country, none with a city), they share the name the row gives them:
    a name says what a post is, and its Wikidata ID stands beside it."""
    opened = planned.post.creation
    if planned.name not in taken or opened is None:
        return planned.name
    return f"{planned.name} (opened {opened.first_day.year})"
