"""The GraphQL enums: the models' vocabularies, each value described."""

from enum import Enum
from typing import TypeVar

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from db.countries import CodeScheme
from db.models import (
    ClaimRank,
    EventKind,
    MissionKind,
    OrganizationKind,
    RelationStatus,
    TenureEnd,
    VisitType,
)
from db.quality import QualityIssueKind

__all__ = [
    "ClaimRank",
    "CodeScheme",
    "EventKind",
    "EventOrderField",
    "MissionKind",
    "OrderDirection",
    "OrganizationKind",
    "QualityIssueKind",
    "RelationStatus",
    "TenureEnd",
    "VisitType",
]

E = TypeVar("E", bound=type[Enum])


def describe_enum(enum: E, description: str, values: dict[str, str]) -> E:
    """Expose a model enum to GraphQL with a description for the type and every value."""
    strawberry.enum(enum, description=description)
    definition: StrawberryEnumDefinition = enum.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        value.description = values[value.name]  # a KeyError here is a value left undescribed
    return enum


describe_enum(
    MissionKind,
    "The kind of a diplomatic or consular post.",
    {
        "EMBASSY": "An embassy, headed by an ambassador.",
        "LEGATION": "A legation, the rank below an embassy, headed by an envoy, a minister or a chargé d'affaires.",
        "HIGH_COMMISSION": "A high commission, the embassy of one Commonwealth country in another.",
        "CONSULATE_GENERAL": "A consulate general, headed by a consul general.",
        "CONSULATE": "A consulate, headed by a consul.",
        "HONORARY_CONSULATE": "An honorary consulate, kept by an honorary consul.",
        "PERMANENT_MISSION": "A permanent mission to an international organization.",
        "APOSTOLIC_NUNCIATURE": "An apostolic nunciature, the Holy See's embassy, headed by a nuncio.",
        "APOSTOLIC_DELEGATION": "An apostolic delegation: the Holy See's envoy to a country's Catholic Church, without relations with its state.",
        "ASSISTANT_HIGH_COMMISSION": "An assistant or deputy high commission: a Commonwealth country's post below its high commission, much like a consulate.",
        "CONSULAR_AGENCY": "A consular agency, a small post that offers some consular services under a consulate.",
        "REPRESENTATIVE_OFFICE": "A de facto embassy or representative office, which does an embassy's work where the two do not keep formal relations.",
        "DE_FACTO_CONSULATE": "A branch of a representative office that does a consulate's work where the two do not keep formal relations.",
        "LIAISON_OFFICE": "A liaison office, a post kept for contact short of full diplomatic relations.",
        "INTERESTS_SECTION": "An interests section: a post that looks after one country's interests inside another country's embassy.",
        "TRADE_OFFICE": "A trade office, which promotes trade and investment.",
        "DIPLOMATIC_MISSION": "A diplomatic post whose source does not say which kind it is.",
        "BRANCH_OFFICE": "A branch office of an embassy in another city of its host (the US's in Banja Luka).",
    },
)

describe_enum(
    TenureEnd,
    "How a tenure ended, as the source's note on its end says (`HeadOfMission.endNote` has its words).",
    {
        "LEFT_POST": "The head left the post.",
        "PRESENTED_RECALL": "The head presented letters of recall.",
        "RECALL_BY_NOTE": "The head transmitted the recall by note.",
        "SUPERSEDED": "The head was superseded by a successor.",
        "RELINQUISHED_CHARGE": "The head relinquished charge of the post.",
        "PROMOTED": "The head was promoted at the post to a higher rank, a new tenure.",
        "RECOMMISSIONED": "The head was commissioned anew, to another combination of countries.",
        "APPOINTMENT_TERMINATED": "The appointment was terminated or expired.",
        "DIED_AT_POST": "The head died (or was killed) at the post.",
        "RELATIONS_INTERRUPTED": "Relations were interrupted or severed.",
        "POST_CLOSED": "The post closed or suspended its operations.",
        "FAREWELL_AUDIENCE": "The head had a farewell audience.",
        "OTHER": "Another ending, in the source's words in `endNote`.",
    },
)

describe_enum(
    OrganizationKind,
    "The kind of an organization.",
    {
        "GOVERNMENT_BODY": "A ministry, agency or other body of a national government.",
        "REGIONAL_GOVERNMENT": "The government of a region or state within a country.",
        "MILITARY": "An armed force or one of its units and schools.",
        "INTERNATIONAL_ORGANIZATION": "An organization of several states, such as the EU.",
        "COMPANY": "A business.",
        "UNIVERSITY": "A university or other place of higher learning.",
        "ASSOCIATION": "An association, council or club.",
        "NGO": "A non-governmental organization.",
        "OTHER": "Any other kind of organization.",
    },
)

describe_enum(
    EventKind,
    "The field an event belongs to, or the diplomatic step it is.",
    {
        "DIPLOMATIC": "Diplomacy: relations, posts, envoys.",
        "POLITICAL": "Politics: visits and statements by political leaders.",
        "MILITARY": "Defence: military visits, exercises and agreements.",
        "ECONOMIC": "Trade and investment.",
        "CULTURAL": "Culture, education and community life.",
        "OTHER": "Anything else.",
        "TRIP": "A trip abroad by a head of state or government or a foreign minister.",
        "VISIT": "A visit by a foreign leader to the other country.",
        "RECOGNITION": "One country's recognition of the other, or of its independence.",
        "RELATIONS_ESTABLISHED": "The establishment of diplomatic relations.",
        "POST_OPENED": "A post (legation, embassy, consulate, liaison office) opened or reopened.",
        "RAISED_TO_EMBASSY": "A legation raised to an embassy.",
        "POST_CLOSED": "A post closed or its operations suspended.",
        "RELATIONS_SEVERED": "Diplomatic relations severed, interrupted or suspended.",
        "RELATIONS_RESUMED": "Diplomatic relations resumed or re-established.",
        "TREATY": "A treaty, convention or agreement between the two.",
    },
)

describe_enum(
    VisitType,
    "The protocol form of a visit, as its source names it.",
    {
        "STATE": "A state visit, the highest form, at a head of state's invitation.",
        "OFFICIAL": "An official visit.",
        "OFFICIAL_WORKING": "An official working visit.",
        "WORKING": "A working visit.",
        "PRIVATE": "A private visit, during which the visitor may meet officials.",
        "INFORMAL": "An informal or unofficial visit.",
    },
)

describe_enum(
    RelationStatus,
    "Where two countries' diplomatic relations stand, as the sources last tell it.",
    {
        "ESTABLISHED": "Relations are established (or were resumed).",
        "SEVERED": "Relations are severed, interrupted or suspended.",
    },
)


@strawberry.enum(description="A field events can be ordered by.")
class EventOrderField(Enum):
    DATE = strawberry.enum_value("DATE", description="The event's date, then its ID.")


@strawberry.enum(description="The direction of an ordering.")
class OrderDirection(Enum):
    ASC = strawberry.enum_value("ASC", description="Smallest or earliest first.")
    DESC = strawberry.enum_value("DESC", description="Largest or latest first.")


describe_enum(
    QualityIssueKind,
    "A kind of data-quality issue.",
    {
        "UNRECORDED_TENURES": "The sources say others headed a post between two recorded tenures, without naming them.",
        "OVERLAPPING_TENURES": "Two tenures at one post overlap, by every reading of their dates.",
        "TENURE_ENDS_BEFORE_START": "A tenure ends before it starts.",
        "POST_WITHOUT_HEAD": "No source names anyone who headed the post.",
        "EVENT_WITHOUT_SOURCE": "An event cites no source.",
        "DATE_MORE_PRECISE_THAN_SOURCE": "A date is more precise than any source gives it.",
        "OPENED_BEFORE_SENDER_EXISTED": "A post opened, by every reading of the dates, before the state that keeps it began: a former state's beginning is the gazetteer's, today's countries' the first day of their independence in Gleditsch and Ward's list of states (none for those it has since 1816, its first year, nor for microstates).",
        "OPENED_BEFORE_HOST_EXISTED": "A post opened, by every reading of the dates, before the country it is in began, by the same beginnings as OPENED_BEFORE_SENDER_EXISTED.",
        "COORDINATES_OUTSIDE_HOST": "A source's coordinates for a post lie outside the country it is said to be in (by Natural Earth's shapes); found on import.",
        "ACCREDITED_TO_SENDER": "A source accredits a post to the very country that keeps it; found on import.",
        "HOST_CONTRADICTS_CITY": "A source puts a post in one country and in a city that GeoNames places in another; found on import.",
        "POST_WITHOUT_ACCREDITATION": "A source names nothing a post covers (or only its sender), so it is taken to cover its host; found on import.",
    },
)

describe_enum(
    ClaimRank,
    "How a source's value stands among the values the sources give for one fact, as on Wikidata.",
    {
        "PREFERRED": "The value the plain field gives: one per fact.",
        "NORMAL": "A value a source gives, kept beside the preferred one.",
        "DEPRECATED": "A value a source gives that an editor has judged wrong; kept, with its source.",
    },
)

describe_enum(
    CodeScheme,
    "A scheme of country codes.",
    {
        "ISO_ALPHA2": "ISO 3166-1 alpha-2: BE.",
        "ISO_ALPHA3": "ISO 3166-1 alpha-3: BEL.",
        "ISO_NUMERIC": "ISO 3166-1 numeric, three digits: 056.",
        "WIKIDATA": "The country's Wikidata item: Q31.",
        "GLEDITSCH_WARD": "Gleditsch and Ward's state number, as the country-converter package gives it: 211.",
    },
)
