"""Every table, importable as `from db import models` then `models.Mission`."""

from db.base import Base
from db.models.access import Change, Role, Token
from db.models.actor import Organization, Person, Position
from db.models.country import Country, CountryIdentifier, CountryName, country_succession
from db.models.dataset import Dataset
from db.models.enums import (
    ClaimRank,
    EventKind,
    MissionKind,
    OrganizationKind,
    RelationStatus,
    TenureEnd,
    VisitType,
)
from db.models.event import (
    Event,
    EventCountryDeclared,
    Figure,
    Participation,
    Quote,
    event_country,
    event_source,
)
from db.models.mission import (
    Accreditation,
    HeadOfMission,
    Jurisdiction,
    Mission,
    MissionAddress,
    MissionClaim,
    MissionKindPeriod,
    head_of_mission_source,
    mission_source,
)
from db.models.persisted_query import PersistedQuery
from db.models.quality_flag import QualityFlag
from db.models.rate_usage import RateUsage
from db.models.relation import Relation, relation_organization, relation_source
from db.models.source import Record, Source

__all__ = [
    "Accreditation",
    "Change",
    "ClaimRank",
    "Country",
    "CountryIdentifier",
    "CountryName",
    "Dataset",
    "Event",
    "EventCountryDeclared",
    "EventKind",
    "Figure",
    "HeadOfMission",
    "Jurisdiction",
    "Mission",
    "MissionAddress",
    "MissionClaim",
    "MissionKind",
    "MissionKindPeriod",
    "Organization",
    "OrganizationKind",
    "Participation",
    "PersistedQuery",
    "Person",
    "Position",
    "QualityFlag",
    "Quote",
    "RateUsage",
    "Record",
    "Relation",
    "RelationStatus",
    "Role",
    "Source",
    "TenureEnd",
    "Token",
    "VisitType",
    "country_succession",
    "event_country",
    "event_source",
    "head_of_mission_source",
    "mission_source",
    "relation_organization",
    "relation_source",
]


def _never_reuse_ids() -> None:
    """A row id is never given twice, even after a delete, so a global ID names one object for
    good: SQLite needs AUTOINCREMENT for that; PostgreSQL's sequences never go back anyway."""
    for table in Base.metadata.tables.values():
        if [column.name for column in table.primary_key] == ["id"]:
            table.dialect_options["sqlite"]["autoincrement"] = True


_never_reuse_ids()
