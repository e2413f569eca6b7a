"""The country list in the database: every country db.countries knows, with its Wikidata ID,
its codes in other schemes and its names in other languages."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.countries import CodeScheme, identifiers, iso_countries, wikidata_of_countries
from db.country_names import display_name, iso_name, known_as, official_name, translations
from seed.history.former_states import ensure_former_states


async def ensure_countries(session: AsyncSession) -> None:
    """Add every country the database does not have yet, its Wikidata ID, codes and names,
    and the states that no longer exist (seed/history/former_states.py)."""
    C = models.Country
    held = {
        row.code: row
        for row in await session.execute(
            select(C.code, C.wikidata, C.name, C.iso_name, C.official_name, C.known_as)
        )
    }
    wikidata = wikidata_of_countries()
    missing = [country for country in iso_countries() if country.code not in held]
    if missing:
        await session.execute(
            insert(C),
            [
                {"code": c.code, "alpha3": c.alpha3, "wikidata": wikidata.get(c.code)}
                | _names(c.code)
                for c in missing
            ],
        )
    for country in iso_countries():
        row = held.get(country.code)
        if row is None:
            continue
        names = _names(country.code)
        if row.wikidata != wikidata.get(country.code, row.wikidata):
            names["wikidata"] = wikidata[country.code]
        if any(getattr(row, column) != value for column, value in names.items()):
            await session.execute(update(C).where(C.code == country.code).values(**names))
    await _describe_countries(session)
    await ensure_former_states(session)


def _names(code: str) -> dict[str, Any]:
    """A country's names as its row holds them (db/country_names.py)."""
    return {
        "name": display_name(code),
        "iso_name": iso_name(code),
        "official_name": official_name(code),
        "known_as": known_as()[code],
    }


async def _describe_countries(session: AsyncSession) -> None:
    """Write every country's codes and translated names, when the code list has changed.

    They come from the installed pycountry and the crosswalks, so they are written anew
    whenever the number of either differs from what the database holds.
    """
    ids = dict((await session.execute(select(models.Country.code, models.Country.id))).all())
    codes = [
        {"country_id": ids[country.code], "scheme": CodeScheme[scheme], "value": value}
        for country in iso_countries()
        for scheme, value in identifiers(country).items()
    ]
    names = [
        {"country_id": ids[code], "language": locale, "name": name}
        for locale, by_code in translations().items()
        for code, name in by_code.items()
        if code in ids
    ]
    for model, rows in ((models.CountryIdentifier, codes), (models.CountryName, names)):
        held = await session.scalar(select(func.count()).select_from(model))
        if held != len(rows):
            await session.execute(delete(model))
            await _insert(session, table_of(model), rows)


async def _insert(session: AsyncSession, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows at once: on PostgreSQL as one statement over arrays, which is many
    times faster for the 31,000 names than a statement per row."""
    if session.get_bind().dialect.name != "postgresql":
        await session.execute(insert(table), rows)
        return
    names = list(rows[0])
    arrays = [
        bindparam(name, [row[name] for row in rows], type_=ARRAY(table.c[name].type))
        for name in names
    ]
    await session.execute(insert(table).from_select(names, select(*map(func.unnest, arrays))))
