"""The ISO 3166-1 list of countries, from pycountry's maintained data."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry


@dataclass(frozen=True)
class IsoCountry:
    """One ISO 3166-1 entry: its two codes and its common English name."""

    code: str
    alpha3: str
    name: str


@cache
def iso_countries() -> tuple[IsoCountry, ...]:
    """Every ISO 3166-1 country, ordered by alpha-2 code."""
    countries = (
        # common_name is the short form people use ("Bolivia", "Taiwan") where ISO's is long.
        IsoCountry(entry.alpha_2, entry.alpha_3, getattr(entry, "common_name", entry.name))
        for entry in pycountry.countries
    )
    return tuple(sorted(countries, key=lambda country: country.code))


@cache
def _by_code() -> dict[str, IsoCountry]:
    table = {country.code: country for country in iso_countries()}
    table.update({country.alpha3: country for country in iso_countries()})
    return table


def find_iso_country(code: str) -> IsoCountry | None:
    """The country with this alpha-2 or alpha-3 code, in any case; None if there is none."""
    return _by_code().get(code.upper())
