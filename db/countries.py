"""The countries: ISO 3166-1 from pycountry's maintained data, Kosovo, and their Wikidata items."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

# Generated from a Wikidata release by `python -m seed.wikidata.crosswalk` (see that module).
CROSSWALK = Path(__file__).parent / "data" / "wikidata-countries.tsv"

# ISO 3166-1 leaves Kosovo out; XK is the code that the EU, the IMF and Wikidata use for it.
_KOSOVO = ("XK", "XKX", "Kosovo")

# The entries that ISO 3166-1 marks as not independent (its "independent: No" column):
# territories whose foreign relations another state conducts.
_NOT_INDEPENDENT = frozenset(
    [
        "AI",
        "AQ",
        "AS",
        "AW",
        "AX",
        "BL",
        "BM",
        "BQ",
        "BV",
        "CC",
        "CK",
        "CW",
        "CX",
        "EH",
        "FK",
        "FO",
        "GF",
        "GG",
        "GI",
        "GL",
        "GP",
        "GS",
        "GU",
        "HK",
        "HM",
        "IM",
        "IO",
        "JE",
        "KY",
        "MF",
        "MO",
        "MP",
        "MQ",
        "MS",
        "NC",
        "NF",
        "NU",
        "PF",
        "PM",
        "PN",
        "PR",
        "PS",
        "RE",
        "SH",
        "SJ",
        "SX",
        "TC",
        "TF",
        "TK",
        "TW",
        "UM",
        "VG",
        "VI",
        "WF",
        "YT",
    ]
)
# Taiwan and Palestine keep their own posts abroad, so here they are states like Kosovo and
# the Holy See (which ISO already counts as independent).
_STATES_ALL_THE_SAME = frozenset({"TW", "PS"})

_QID = re.compile(r"Q[1-9][0-9]*")


@dataclass(frozen=True)
class IsoCountry:
    """One country: its two codes, its common English name and whether it is a state."""

    code: str
    alpha3: str
    name: str
    state: bool


@cache
def iso_countries() -> tuple[IsoCountry, ...]:
    """Every ISO 3166-1 country and Kosovo, ordered by alpha-2 code."""
    entries = [
        # common_name is the short form people use ("Bolivia", "Taiwan") where ISO's is long.
        (entry.alpha_2, entry.alpha_3, getattr(entry, "common_name", entry.name))
        for entry in pycountry.countries
    ]
    entries.append(_KOSOVO)
    countries = (
        IsoCountry(code, alpha3, name, code not in _NOT_INDEPENDENT or code in _STATES_ALL_THE_SAME)
        for code, alpha3, name in entries
    )
    return tuple(sorted(countries, key=lambda country: country.code))


@dataclass(frozen=True)
class WikidataItem:
    """A Wikidata item that stands for a country: the country itself, or its government."""

    qid: str
    code: str
    government: bool  # a ministry or the government of the state, not the state itself
    label: str


@cache
def wikidata_items() -> dict[str, WikidataItem]:
    """The crosswalk from Wikidata IDs to countries, by ID."""
    items: dict[str, WikidataItem] = {}
    for line in CROSSWALK.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        qid, code, role, label = line.split("\t")
        items[qid] = WikidataItem(qid, code, role == "government", label)
    return items


@cache
def wikidata_of_countries() -> dict[str, str]:
    """Each country's own Wikidata ID, by alpha-2 code: the first of its items in the crosswalk."""
    found: dict[str, str] = {}
    for item in wikidata_items().values():
        if not item.government:
            found.setdefault(item.code, item.qid)
    return found


@cache
def _by_code() -> dict[str, IsoCountry]:
    table = {country.code: country for country in iso_countries()}
    table.update({country.alpha3: country for country in iso_countries()})
    return table


def is_wikidata_id(value: str) -> bool:
    """Whether a string has the form of a Wikidata item ID: Q and a number."""
    return _QID.fullmatch(value) is not None


def find_iso_country(code: str) -> IsoCountry | None:
    """The country with this alpha-2 or alpha-3 code (any case) or Wikidata ID; None if none."""
    code = code.upper()
    if is_wikidata_id(code):
        item = wikidata_items().get(code)
        return None if item is None or item.government else _by_code().get(item.code)
    return _by_code().get(code)
