"""Posts' display names, in the article's style: "Embassy of Belgium, Kuala Lumpur"."""

from __future__ import annotations

from db.country_names import display_name
from db.models import MissionKind

# What a post of each kind is called.
TITLES: dict[MissionKind, str] = {
    MissionKind.EMBASSY: "Embassy",
    MissionKind.LEGATION: "Legation",
    MissionKind.HIGH_COMMISSION: "High Commission",
    MissionKind.CONSULATE_GENERAL: "Consulate General",
    MissionKind.CONSULATE: "Consulate",
    MissionKind.HONORARY_CONSULATE: "Honorary Consulate",
    MissionKind.PERMANENT_MISSION: "Permanent Mission",
    MissionKind.APOSTOLIC_NUNCIATURE: "Apostolic Nunciature",
    MissionKind.APOSTOLIC_DELEGATION: "Apostolic Delegation",
    MissionKind.ASSISTANT_HIGH_COMMISSION: "Assistant High Commission",
    MissionKind.CONSULAR_AGENCY: "Consular Agency",
    MissionKind.REPRESENTATIVE_OFFICE: "Representative Office",
    MissionKind.DE_FACTO_CONSULATE: "Representative Branch Office",
    MissionKind.LIAISON_OFFICE: "Liaison Office",
    MissionKind.INTERESTS_SECTION: "Interests Section",
    MissionKind.TRADE_OFFICE: "Trade Office",
    MissionKind.DIPLOMATIC_MISSION: "Diplomatic Mission",
    MissionKind.BRANCH_OFFICE: "Branch Office",
}

# English puts "the" before these country names: "Embassy of the Netherlands".
_THE_BEFORE = ("Republic", "Kingdom", "People's", "United", "Democratic", "Federated", "State of")
_THE_AFTER = ("Republic", "Islands", "Emirates", "States", "States of America", "Union")
_THE_NAMES = {
    "Netherlands",
    "Philippines",
    "Maldives",
    "Comoros",
    "Seychelles",
    "Bahamas",
    "Gambia",
}


def country_label(code: str) -> str:
    """A country's display name (db/country_names.py), the one its row holds, with "the" where
    English puts it: "the Netherlands", "the United Kingdom", "the Czech Republic"."""
    return _with_the(display_name(code))


def _with_the(name: str) -> str:
    name = name.removeprefix("The ")
    if name.startswith(_THE_BEFORE) or name.endswith(_THE_AFTER) or name in _THE_NAMES:
        return f"the {name}"
    return name


def post_name(
    kind: MissionKind,
    sender: str,
    host: str,
    city: str,
    to: str | None = None,
    covers: str | None = None,
) -> str:
    """A post's name from its kind, its countries' codes and its city ("" if unknown).

    `to` is the country a post is named for when it does not cover the one it is in:
    "Embassy of Canada to Vatican City, Rome". The Holy See's posts are named for their host,
    or for what they cover (`covers`, a body's name) where that is no country: "Apostolic
    Nunciature to the European Union, Brussels".
    """
    title = TITLES[kind]
    if kind in (MissionKind.APOSTOLIC_NUNCIATURE, MissionKind.APOSTOLIC_DELEGATION):
        target = _with_the(covers) if covers and to is None else country_label(to or host)
        head = f"{title} to {target}"
        if not city and to in (None, host) and covers is None:
            return head  # "Apostolic Nunciature to Belgium" says where it is
    elif to is not None:
        head = f"{title} of {country_label(sender)} to {country_label(to)}"
    else:
        head = f"{title} of {country_label(sender)}"
    return f"{head}, {city}" if city else f"{head} in {country_label(host)}"
