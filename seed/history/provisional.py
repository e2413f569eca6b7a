"""A provisional territory crosswalk, until seed/history/territories.py lands: an Office
territory id → the ISO code of the country gsh names it (pycountry's exact lookup by name,
today's countries then ISO 3166-3's former ones); None where neither knows the name."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pycountry

from seed.history.archive import open_archive

GSH = Path(__file__).parent.parent / "data" / "us-diplomatic-history" / "gsh-c8aea3fec913.tar.gz"


@cache
def _names() -> dict[str, list[str]]:
    archive = open_archive(GSH)
    names: dict[str, list[str]] = {}
    for _, root in archive.documents("data/territories"):
        names[root.findtext("id") or ""] = [
            text for tag in ("short-form-name", "long-form-name") if (text := root.findtext(tag))
        ]
    return names


_TODAY = {
    "antigua-barbuda": "AG",
    "antigua-and-barbuda": "AG",
    "bosnia-herzegovina": "BA",
    "burma": "MM",
    "cape-verde": "CV",
    "congo-democratic-republic": "CD",
    "congo-kinshasa": "CD",
    "congo-republic": "CG",
    "congo-brazzaville": "CG",
    "cote-divoire": "CI",
    "holy-see": "VA",
    "kosovo": "XK",
    "macedonia": "MK",
    "micronesia": "FM",
    "micronesia-federated-states-of": "FM",
    "saint-kitts-nevis": "KN",
    "saint-kitts-and-nevis": "KN",
    "saint-vincent-grenadines": "VC",
    "saint-vincent-and-grenadines": "VC",
    "swaziland": "SZ",
    "turkey": "TR",
}
_FORMER = {
    "czechoslovakia": "CSHH",
    "czechoslovakia-1993": "CSHH",
    "german-democratic-republic": "DDDE",
    "yugoslavia": "YUCS",
    "yugoslavia-1946": "YUCS",
    "socialist-federal-republic-of-yugoslavia-1992": "YUCS",
}


def crosswalk(territory: str) -> str | None:
    if territory in _TODAY:
        return _TODAY[territory]
    if territory in _FORMER:
        return _FORMER[territory]
    for name in _names().get(territory, []):
        try:
            return str(pycountry.countries.lookup(name).alpha_2)
        except LookupError:
            pass
        try:
            return str(pycountry.historic_countries.lookup(name).alpha_4)
        except LookupError:
            pass
    return f"former:{territory}"  # a state not in the database until the crosswalk lands
