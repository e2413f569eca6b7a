"""The cities the world's posts are in, as GeoNames knows them: their country and their names
in other languages (written by `python -m seed.wikidata.cities`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

CITY_NAMES = Path(__file__).parent / "data" / "city-names.tsv"


@dataclass(frozen=True)
class City:
    """A city of the release found in GeoNames: the country GeoNames puts it in, its other names."""

    qid: str
    label: str
    country: str
    names: tuple[str, ...]


@cache
def cities() -> dict[str, City]:
    """Every city found, by its Wikidata ID."""
    found = {}
    for line in CITY_NAMES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        qid, label, country, _geonames, names = line.split("\t")
        found[qid] = City(qid, label, country, tuple(filter(None, names.split("|"))))
    return found


@cache
def city_names() -> dict[str, tuple[str, ...]]:
    """Each city's other names, by its English label as the release writes it."""
    return {city.label: city.names for city in cities().values()}


@cache
def city_aliases() -> dict[str, tuple[str, ...]]:
    """The labels the release gives a city, by each of its other names as a search key
    ("den haag" → "The Hague"); a name that is itself a label is left out."""
    from db.search_text import key_of  # the search's own notion of a key

    labels = {key_of(city.label) for city in cities().values()}
    found: dict[str, list[str]] = {}
    for city in cities().values():
        for name in city.names:
            key = key_of(name)
            if key and key not in labels:
                found.setdefault(key, []).append(city.label)
    return {key: tuple(dict.fromkeys(names)) for key, names in found.items()}
