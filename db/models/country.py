"""Countries, one row per ISO 3166-1 entry."""

from sqlalchemy import Enum, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.countries import CodeScheme


class Country(Base):
    """A state or territory as ISO 3166-1 lists it, or Kosovo."""

    __tablename__ = "country"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(2), unique=True)  # alpha-2, upper case
    alpha3: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The country's own Wikidata item (Q31 for Belgium); other items that stand for it, such as
    # "Kingdom of the Netherlands", are in the crosswalk (db/countries.py).
    wikidata: Mapped[str | None] = mapped_column(String(20), unique=True)


class CountryName(Base):
    """A country's name in one language, from the translations pycountry ships."""

    __tablename__ = "country_name"

    country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), primary_key=True)
    language: Mapped[str] = mapped_column(String(20), primary_key=True)  # a locale: fr, pt_BR
    name: Mapped[str] = mapped_column(String(200))


class CountryIdentifier(Base):
    """One of a country's codes in a scheme researchers join on: ISO, Wikidata, COW, G&W."""

    __tablename__ = "country_identifier"
    __table_args__ = (Index("ix_country_identifier_scheme_value", "scheme", "value"),)

    country_id: Mapped[int] = mapped_column(ForeignKey("country.id"), primary_key=True)
    scheme: Mapped[CodeScheme] = mapped_column(
        Enum(CodeScheme, native_enum=False, length=20, create_constraint=False), primary_key=True
    )
    value: Mapped[str] = mapped_column(String(20))
