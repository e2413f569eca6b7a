"""The declarative base every model derives from."""

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

# Named constraints keep migrations (and error messages) predictable across databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every table."""

    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """A model's Core table, for bulk statements that need no ORM objects."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def model_of(table: Table) -> type[Base]:
    """The model mapped to a table: where a foreign key points, as a class."""
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            model: type[Base] = mapper.class_
            return model
    raise LookupError(f"no model is mapped to {table.name}")
