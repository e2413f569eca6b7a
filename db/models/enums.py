"""The closed vocabularies the models use; the schema describes each value."""

from enum import Enum


class MissionKind(Enum):
    """What sort of post a mission is."""

    EMBASSY = "EMBASSY"
    HIGH_COMMISSION = "HIGH_COMMISSION"
    CONSULATE_GENERAL = "CONSULATE_GENERAL"
    CONSULATE = "CONSULATE"
    HONORARY_CONSULATE = "HONORARY_CONSULATE"
    PERMANENT_MISSION = "PERMANENT_MISSION"


class OrganizationKind(Enum):
    """What sort of body an organization is."""

    GOVERNMENT_BODY = "GOVERNMENT_BODY"
    REGIONAL_GOVERNMENT = "REGIONAL_GOVERNMENT"
    MILITARY = "MILITARY"
    INTERNATIONAL_ORGANIZATION = "INTERNATIONAL_ORGANIZATION"
    COMPANY = "COMPANY"
    UNIVERSITY = "UNIVERSITY"
    ASSOCIATION = "ASSOCIATION"
    NGO = "NGO"
    OTHER = "OTHER"


class EventKind(Enum):
    """The field an event belongs to."""

    DIPLOMATIC = "DIPLOMATIC"
    POLITICAL = "POLITICAL"
    MILITARY = "MILITARY"
    ECONOMIC = "ECONOMIC"
    CULTURAL = "CULTURAL"
    OTHER = "OTHER"
