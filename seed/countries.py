"""The country list in the database: every country db.countries knows, with its Wikidata ID."""

from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.countries import iso_countries, wikidata_of_countries


async def ensure_countries(session: AsyncSession) -> None:
    """Add every country the database does not have yet, and each country's Wikidata ID."""
    C = models.Country
    known = dict((await session.execute(select(C.code, C.wikidata))).all())
    wikidata = wikidata_of_countries()
    missing = [country for country in iso_countries() if country.code not in known]
    if missing:
        await session.execute(
            insert(C),
            [
                {
                    "code": c.code,
                    "alpha3": c.alpha3,
                    "name": c.name,
                    "wikidata": wikidata.get(c.code),
                }
                for c in missing
            ],
        )
    for code, qid in wikidata.items():
        if code in known and known[code] != qid:
            await session.execute(update(C).where(C.code == code).values(wikidata=qid))
