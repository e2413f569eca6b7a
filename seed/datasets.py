"""The record of each dataset release imported: one row per dataset, as last imported."""

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of


async def record_dataset(session: AsyncSession, name: str, **values: Any) -> None:
    """Write what a release of the dataset `name` is and brought, replacing an older record."""
    found = await session.scalar(select(models.Dataset).where(models.Dataset.name == name))
    if found is None:
        await session.execute(insert(table_of(models.Dataset)).values(name=name, **values))
        return
    for key, value in values.items():
        setattr(found, key, value)
