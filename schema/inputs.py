"""The inputs and payloads of the mutations."""

import dataclasses
from collections.abc import Mapping
from enum import Enum

import strawberry
from strawberry.utils.str_converters import to_camel_case

from db.partial_date import PartialDate
from db.writes.edit import Field, Problem, SourceSpec
from schema.enums import ClaimRank, EventKind, MissionKind, OrganizationKind
from schema.types.event import Event
from schema.types.mission import HeadOfMission, Mission
from schema.types.mission_facts import Claim
from schema.types.organization import Organization
from schema.types.person import Person


@strawberry.enum(description="What is wrong with an input.")
class UserErrorCode(Enum):
    INVALID = strawberry.enum_value("INVALID", description="The value is not acceptable here.")
    NOT_FOUND = strawberry.enum_value("NOT_FOUND", description="Nothing has this ID or code.")
    DUPLICATE = strawberry.enum_value(
        "DUPLICATE", description="Something with this key exists already."
    )
    CONFLICT = strawberry.enum_value(
        "CONFLICT", description="The data changed or stands in the way: reload and try again."
    )


@dataclasses.dataclass(frozen=True)
class InputFields:
    """Where a mutation's input holds the fields its write names in the data layer's terms.

    A write's field is its input's field of the same name in camelCase, as Strawberry
    names it, unless `renamed` says otherwise; positions in lists stay as they are.
    """

    argument: str | None = "input"  # the argument holding the fields; None: they are arguments
    renamed: Mapping[str, str] = dataclasses.field(default_factory=dict)  # write's -> input's

    def path(self, where: Field) -> list[str] | None:
        """The GraphQL path of a write's field, as a UserError gives it."""
        names = [str(part) if isinstance(part, int) else self._name(part) for part in where]
        path = names if self.argument is None else [self.argument, *names]
        return path or None

    def _name(self, name: str) -> str:
        return self.renamed.get(name) or to_camel_case(name)


@strawberry.type(description="A problem with a mutation's input; nothing was written.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. ["input", "date"].'
    )
    message: str = strawberry.field(description="What is wrong, in words.")
    code: UserErrorCode = strawberry.field(description="What is wrong, as a code.")

    @classmethod
    def from_problem(cls, problem: Problem, fields: InputFields) -> "UserError":
        return cls(
            field=fields.path(problem.field),
            message=problem.message,
            code=UserErrorCode[problem.code],
        )


@strawberry.input(description="A source of the facts being written.")
class SourceInput:
    title: str = strawberry.field(description="Title of the source document.")
    section: str | None = strawberry.field(
        default=None, description="Section of the document, if any."
    )
    url: str | None = strawberry.field(default=None, description="Where the document can be read.")

    def to_spec(self) -> SourceSpec:
        return SourceSpec(self.title, self.section, self.url)


@strawberry.input(description="A quantity a source states about an event.")
class FigureInput:
    label: str = strawberry.field(description="What the figure measures.")
    value: float = strawberry.field(description="The number, in `unit`.")
    unit: str = strawberry.field(description="UCUM unit or ISO 4217 currency code.")


@strawberry.input(description="One participant of an event and its role.")
class ParticipantInput:
    participant: strawberry.ID = strawberry.field(
        description="Global ID of a Country, Person, Organization or Mission."
    )
    role: str | None = strawberry.field(
        default=None, description="How it took part: visitor, host, …"
    )


@strawberry.input(description="A new event.")
class CreateEventInput:
    title: str = strawberry.field(description="A short title; with the date, it must be new.")
    kind: EventKind = strawberry.field(description="The field the event belongs to.")
    date: PartialDate = strawberry.field(description="When it happened or began.")
    end_date: PartialDate | None = strawberry.field(
        default=None, description="When it ended, if later."
    )
    place_name: str | None = strawberry.field(default=None, description="Where it happened.")
    place_country: str | None = strawberry.field(
        default=None, description="ISO code of the country where it happened."
    )
    summary: str = strawberry.field(description="What happened, in a few sentences.")
    countries: list[str] | None = strawberry.field(
        default=None,
        description="ISO codes of countries involved beyond those implied by the participants.",
    )
    participants: list[ParticipantInput] | None = strawberry.field(
        default=None, description="Who took part, and how."
    )
    figures: list[FigureInput] | None = strawberry.field(
        default=None, description="Quantities stated."
    )
    sources: list[SourceInput] = strawberry.field(
        description="Where the facts come from: at least one."
    )


@strawberry.input(description="Changes to an event's own fields; omitted fields stay as they are.")
class UpdateEventInput:
    id: strawberry.ID = strawberry.field(description="Global ID of the event.")
    title: str | None = strawberry.field(default=None, description="A new title.")
    kind: EventKind | None = strawberry.field(default=None, description="A new kind.")
    date: PartialDate | None = strawberry.field(default=None, description="A new date.")
    end_date: PartialDate | None = strawberry.field(default=None, description="A new end date.")
    summary: str | None = strawberry.field(default=None, description="A new summary.")
    expected_version: int | None = strawberry.field(
        default=None,
        description="Optimistic concurrency: the version the client last read; a stale one is a CONFLICT.",
    )


@strawberry.input(description="A new person.")
class CreatePersonInput:
    name: str = strawberry.field(description="The person's name; it must be new.")
    country: str | None = strawberry.field(
        default=None, description="ISO code of the country they act for."
    )
    sources: list[SourceInput] | None = strawberry.field(
        default=None, description="Where the person and their country are told."
    )


@strawberry.input(description="A new organization.")
class CreateOrganizationInput:
    name: str = strawberry.field(description="The organization's name; it must be new.")
    kind: OrganizationKind = strawberry.field(description="What sort of body it is.")
    country: str | None = strawberry.field(
        default=None, description="ISO code of its country, if any."
    )
    founded: PartialDate | None = strawberry.field(default=None, description="When it was founded.")


@strawberry.input(description="A new post.")
class CreateMissionInput:
    kind: MissionKind = strawberry.field(description="What sort of post.")
    country: str = strawberry.field(description="ISO code of the country that keeps it.")
    host_country: str = strawberry.field(description="ISO code of the country it is in.")
    city: str = strawberry.field(description="The city it is in.")
    address: str | None = strawberry.field(
        default=None, description="Its street address, if known."
    )
    opened: PartialDate | None = strawberry.field(default=None, description="When it opened.")
    sources: list[SourceInput] = strawberry.field(
        description="Where the facts come from: at least one."
    )


@strawberry.input(description="A post's move to a new address.")
class MoveMissionInput:
    mission: strawberry.ID = strawberry.field(description="Global ID of the post.")
    address: str = strawberry.field(description="The new street address.")
    city: str | None = strawberry.field(
        default=None,
        description="The new city, if it changed: recorded as the sources' claim and preferred, the post's other city claims kept; the post's name follows it unless it was set by hand.",
    )
    city_wikidata: str | None = strawberry.field(
        default=None,
        description="The Wikidata ID of the new city, if known; without it the post has none, rather than the old city's.",
    )
    from_: PartialDate = strawberry.field(name="from", description="When the post moved.")
    sources: list[SourceInput] | None = strawberry.field(
        default=None,
        description="Where the move is told. Without any, the editor making the write is its source, by their token's name.",
    )


@strawberry.input(description="A new head of a post.")
class AppointHeadInput:
    mission: strawberry.ID = strawberry.field(description="Global ID of the post.")
    person: strawberry.ID = strawberry.field(description="Global ID of the person.")
    title: str = strawberry.field(description="Ambassador, Consul General, Honorary Consul, …")
    start: PartialDate | None = strawberry.field(default=None, description="When the tenure began.")
    end: PartialDate | None = strawberry.field(
        default=None, description="When the tenure ended, for one that has."
    )
    ongoing: bool | None = strawberry.field(
        default=None,
        description="Whether the head is in office today. Left out: true unless an end is given. False with no end: the tenure is over but its end is unknown (a head from an old list), which says nothing of today.",
    )
    sources: list[SourceInput] = strawberry.field(
        description="Where the facts come from: at least one."
    )


@strawberry.input(description="The end of a tenure.")
class EndHeadshipInput:
    head_of_mission: strawberry.ID = strawberry.field(description="Global ID of the tenure.")
    end: PartialDate = strawberry.field(description="When it ended.")
    sources: list[SourceInput] | None = strawberry.field(
        default=None,
        description="Where the end is told, cited for the tenure beside the sources of its start. Without any, the editor making the write is its source, by their token's name.",
    )


@strawberry.input(description="A new rank for one source's value of a post's property.")
class RankClaimInput:
    claim: strawberry.ID = strawberry.field(description="Global ID of the claim.")
    rank: ClaimRank = strawberry.field(
        description="PREFERRED makes it the post's value (the claim preferred before becomes NORMAL); DEPRECATED marks it wrong, keeping it."
    )
    expected_version: int | None = strawberry.field(
        default=None,
        description="Optimistic concurrency: the claim's version the client last read; a stale one is a CONFLICT.",
    )


@strawberry.input(description="A participant to add to an event.")
class AddParticipantInput:
    event: strawberry.ID = strawberry.field(description="Global ID of the event.")
    participant: strawberry.ID = strawberry.field(
        description="Global ID of a Country, Person, Organization or Mission."
    )
    role: str | None = strawberry.field(default=None, description="How it took part.")


@strawberry.input(description="A participant to remove from an event.")
class RemoveParticipantInput:
    event: strawberry.ID = strawberry.field(description="Global ID of the event.")
    participant: strawberry.ID = strawberry.field(description="Global ID of the participant.")


USER_ERRORS = "Problems with the input; when there are any, nothing was written."


@strawberry.type(description="The result of a mutation on an event.")
class EventPayload:
    event: Event | None = strawberry.field(
        description="The event as it is now; null when nothing was written."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of a mutation on a person.")
class PersonPayload:
    person: Person | None = strawberry.field(
        description="The person; null when nothing was written."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of a mutation on an organization.")
class OrganizationPayload:
    organization: Organization | None = strawberry.field(
        description="The organization; null when nothing was written."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of a mutation on a post.")
class MissionPayload:
    mission: Mission | None = strawberry.field(
        description="The post as it is now; null when nothing was written."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of a mutation on a tenure.")
class HeadOfMissionPayload:
    head_of_mission: HeadOfMission | None = strawberry.field(
        description="The tenure as it is now; null when nothing was written."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of a change of a claim's rank.")
class ClaimPayload:
    claim: Claim | None = strawberry.field(
        description="The claim as it is now; null when nothing was written."
    )
    mission: Mission | None = strawberry.field(
        description="Its post as it is now, with the preferred value; null when nothing was written."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)


@strawberry.type(description="The result of a deletion.")
class DeletePayload:
    deleted_id: strawberry.ID | None = strawberry.field(
        description="Global ID of what was deleted; null when nothing was."
    )
    user_errors: list[UserError] = strawberry.field(description=USER_ERRORS)
