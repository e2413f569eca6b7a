"""The root Mutation: writing, each mutation in one transaction, logged in the change log."""

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import strawberry

from db import kinds
from db.writes import actors, events, missions
from db.writes.actors import PersonRecord
from db.writes.edit import Edit, Field, Ref, Rejected
from db.writes.events import EventChanges, FigureSpec, NewEvent, ParticipantSpec
from db.writes.missions import HeadRecord, MissionRecord
from schema.auth import authorize_editor
from schema.context import Info
from schema.ids import encode_id, parse_id
from schema.inputs import (
    AddParticipantInput,
    AppointHeadInput,
    ClaimPayload,
    CreateEventInput,
    CreateMissionInput,
    CreateOrganizationInput,
    CreatePersonInput,
    DeletePayload,
    EndHeadshipInput,
    EventPayload,
    HeadOfMissionPayload,
    InputFields,
    MissionPayload,
    MoveMissionInput,
    OrganizationPayload,
    PersonPayload,
    RankClaimInput,
    RemoveParticipantInput,
    UpdateEventInput,
    UserError,
)
from schema.types.event import Event
from schema.types.mission import HeadOfMission, Mission
from schema.types.mission_facts import Claim
from schema.types.organization import Organization
from schema.types.person import Person

T = TypeVar("T")

PARTICIPANTS = tuple(kind.type_name for kind in kinds.PARTICIPANTS)
INPUT = strawberry.argument(description="What to write.")

# Where each mutation's input holds the fields its write names otherwise (see InputFields).
AN_EVENT = InputFields(renamed={"ref": "participant", "expected": "expectedVersion"})
EVENT_BY_ID = InputFields(renamed={"event_id": "id", "expected": "expectedVersion"})
AN_EVENTS_PARTICIPANT = InputFields(
    renamed={"event_id": "event", "ref": "participant", "expected": "expectedVersion"}
)
A_POST = InputFields(renamed={"host": "hostCountry"})
A_MOVE = InputFields(renamed={"mission_id": "mission", "moved": "from"})
A_TENURE = InputFields(renamed={"mission_id": "mission", "person_id": "person"})
A_TENURES_END = InputFields(renamed={"head_id": "headOfMission"})
A_RANK = InputFields(renamed={"claim_id": "claim", "expected": "expectedVersion"})


async def write(
    info: Info,
    action: str,
    work: Callable[[Edit], Awaitable[T]],
    fields: InputFields = InputFields(),  # noqa: B008 (frozen: one shared default is safe)
) -> T | list[UserError]:
    """Run one mutation's work in one transaction, as the editor whose token the request carries.

    Problems with the input come back as UserErrors, each at the path `fields` gives
    its field, and the transaction is rolled back, so nothing at all is written; an
    unusable token is a GraphQL error.
    """
    try:
        async with info.context.writer.transaction() as session:
            actor = await authorize_editor(session, info.context.authorization)
            result = await work(Edit(session, actor, action))
    except Rejected as rejected:
        return [UserError.from_problem(problem, fields) for problem in rejected.problems]
    info.context.committed(session.info.get("position"))
    await info.context.refresh()
    return result


def refer(edit: Edit, value: str, field: Field, *types: str) -> Ref | None:
    """The row a global ID names, if it is an ID of one of these types; a problem otherwise."""
    found = parse_id(value)
    if found is None or found[0] not in types:
        wanted = " or ".join(types)
        edit.reject(field, f"{value[:100]!r} is not the ID of a {wanted}.")
        return None
    return kinds.BY_TYPE[found[0]].name, found[1]


async def existing(edit: Edit, value: str, field: Field, *types: str) -> int:
    """The row id an input's global ID names; stops the write unless the row exists."""
    ref = refer(edit, value, field, *types)
    if ref is not None:
        await edit.exists(ref, field)
    edit.stop_if_rejected()
    assert ref is not None
    return ref[1]


async def _event(info: Info, pk: int) -> Event | None:
    row = await info.context.loaders.event.load(pk)
    return None if row is None else Event.from_row(row)


async def _mission(info: Info, pk: int) -> Mission | None:
    row = await info.context.loaders.mission.load(pk)
    return None if row is None else Mission.from_row(row)


async def _head(info: Info, pk: int) -> HeadOfMission | None:
    row = await info.context.loaders.head_of_mission.load(pk)
    return None if row is None else HeadOfMission.from_row(row)


async def _event_payload(info: Info, outcome: int | list[UserError]) -> EventPayload:
    if isinstance(outcome, list):
        return EventPayload(event=None, user_errors=outcome)
    return EventPayload(event=await _event(info, outcome), user_errors=[])


@strawberry.type(description="Writing: every mutation needs a bearer token with the editor role.")
class Mutation:
    @strawberry.mutation(description="Add an event with its participants, figures and sources.")
    async def create_event(
        self, info: Info, input: Annotated[CreateEventInput, INPUT]
    ) -> EventPayload:
        async def work(edit: Edit) -> int:
            participants = [
                ParticipantSpec(
                    refer(
                        edit,
                        item.participant,
                        ("participants", i, "ref"),
                        *PARTICIPANTS,
                    ),
                    item.role,
                )
                for i, item in enumerate(input.participants or [])
            ]
            new = NewEvent(
                title=input.title,
                kind=input.kind,
                date=input.date,
                summary=input.summary,
                sources=[source.to_spec() for source in input.sources],
                end_date=input.end_date,
                place_name=input.place_name,
                place_country=input.place_country,
                countries=input.countries or [],
                participants=participants,
                figures=[FigureSpec(f.label, f.value, f.unit) for f in input.figures or []],
            )
            return (await events.write_events(edit, [new])).ids[0]

        return await _event_payload(info, await write(info, "createEvent", work, AN_EVENT))

    @strawberry.mutation(description="Change an event's own fields; its version grows by one.")
    async def update_event(
        self, info: Info, input: Annotated[UpdateEventInput, INPUT]
    ) -> EventPayload:
        async def work(edit: Edit) -> int:
            pk = await existing(edit, input.id, ("event_id",), "Event")
            changes = EventChanges(
                input.title, input.kind, input.date, input.end_date, input.summary
            )
            await events.update_event(edit, pk, changes, input.expected_version)
            return pk

        return await _event_payload(info, await write(info, "updateEvent", work, EVENT_BY_ID))

    @strawberry.mutation(description="Delete an event with its participations, quotes and figures.")
    async def delete_event(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="Global ID of the event.")],
    ) -> DeletePayload:
        async def work(edit: Edit) -> int:
            pk = await existing(edit, id, ("event_id",), "Event")
            await events.delete_event(edit, pk)
            return pk

        outcome = await write(info, "deleteEvent", work, InputFields(None, {"event_id": "id"}))
        if isinstance(outcome, list):
            return DeletePayload(deleted_id=None, user_errors=outcome)
        return DeletePayload(deleted_id=strawberry.ID(encode_id("Event", outcome)), user_errors=[])

    @strawberry.mutation(description="Add a participant to an event; its version grows by one.")
    async def add_participant(
        self, info: Info, input: Annotated[AddParticipantInput, INPUT]
    ) -> EventPayload:
        async def work(edit: Edit) -> int:
            pk = await existing(edit, input.event, ("event_id",), "Event")
            ref = refer(edit, input.participant, ("participant",), *PARTICIPANTS)
            edit.stop_if_rejected()
            await events.add_participant(edit, pk, ParticipantSpec(ref, input.role))
            return pk

        outcome = await write(info, "addParticipant", work, AN_EVENTS_PARTICIPANT)
        return await _event_payload(info, outcome)

    @strawberry.mutation(
        description="Remove a participant from an event; its version grows by one."
    )
    async def remove_participant(
        self, info: Info, input: Annotated[RemoveParticipantInput, INPUT]
    ) -> EventPayload:
        async def work(edit: Edit) -> int:
            pk = await existing(edit, input.event, ("event_id",), "Event")
            ref = refer(edit, input.participant, ("ref",), *PARTICIPANTS)
            edit.stop_if_rejected()
            assert ref is not None
            await events.remove_participant(edit, pk, ref)
            return pk

        outcome = await write(info, "removeParticipant", work, AN_EVENTS_PARTICIPANT)
        return await _event_payload(info, outcome)

    @strawberry.mutation(description="Add a person.")
    async def create_person(
        self, info: Info, input: Annotated[CreatePersonInput, INPUT]
    ) -> PersonPayload:
        async def work(edit: Edit) -> int:
            sources = [source.to_spec() for source in input.sources or []]
            person = PersonRecord(input.name, input.country, sources)
            return (await actors.write_people(edit, [person])).ids[0]

        outcome = await write(info, "createPerson", work)
        if isinstance(outcome, list):
            return PersonPayload(person=None, user_errors=outcome)
        row = await info.context.loaders.person.load(outcome)
        return PersonPayload(person=None if row is None else Person.from_row(row), user_errors=[])

    @strawberry.mutation(description="Add an organization.")
    async def create_organization(
        self, info: Info, input: Annotated[CreateOrganizationInput, INPUT]
    ) -> OrganizationPayload:
        async def work(edit: Edit) -> int:
            return await actors.create_organization(
                edit, input.name, input.kind, input.country, input.founded
            )

        outcome = await write(info, "createOrganization", work)
        if isinstance(outcome, list):
            return OrganizationPayload(organization=None, user_errors=outcome)
        row = await info.context.loaders.organization.load(outcome)
        organization = None if row is None else Organization.from_row(row)
        return OrganizationPayload(organization=organization, user_errors=[])

    @strawberry.mutation(description="Open a post; it is named after its kind, country and city.")
    async def create_mission(
        self, info: Info, input: Annotated[CreateMissionInput, INPUT]
    ) -> MissionPayload:
        async def work(edit: Edit) -> int:
            mission = MissionRecord(
                kind=input.kind,
                country=input.country,
                host=input.host_country,
                city=input.city,
                sources=[source.to_spec() for source in input.sources],
                opened=input.opened,
                address=input.address,
                dated_by_opening=False,  # the editor said when it opened, and no more
            )
            return (await missions.write_missions(edit, [mission])).ids[0]

        outcome = await write(info, "createMission", work, A_POST)
        if isinstance(outcome, list):
            return MissionPayload(mission=None, user_errors=outcome)
        return MissionPayload(mission=await _mission(info, outcome), user_errors=[])

    @strawberry.mutation(
        description="Record a post's move, as its sources tell it: its current address ends where the new one begins, and a new city becomes its preferred city claim."
    )
    async def move_mission(
        self, info: Info, input: Annotated[MoveMissionInput, INPUT]
    ) -> MissionPayload:
        async def work(edit: Edit) -> int:
            pk = await existing(edit, input.mission, ("mission_id",), "Mission")
            await missions.move_mission(
                edit,
                pk,
                input.address,
                input.city,
                input.from_,
                [source.to_spec() for source in input.sources or []],
                input.city_wikidata,
            )
            return pk

        outcome = await write(info, "moveMission", work, A_MOVE)
        if isinstance(outcome, list):
            return MissionPayload(mission=None, user_errors=outcome)
        return MissionPayload(mission=await _mission(info, outcome), user_errors=[])

    @strawberry.mutation(
        description="Appoint a head of a post; the post's previous tenure must have ended."
    )
    async def appoint_head(
        self, info: Info, input: Annotated[AppointHeadInput, INPUT]
    ) -> HeadOfMissionPayload:
        async def work(edit: Edit) -> int:
            mission = refer(edit, input.mission, ("mission_id",), "Mission")
            person = refer(edit, input.person, ("person_id",), "Person")
            for ref, field in ((mission, "mission_id"), (person, "person_id")):
                if ref is not None:
                    await edit.exists(ref, (field,))
            edit.stop_if_rejected()
            assert mission is not None and person is not None
            head = HeadRecord(
                mission_id=mission[1],
                person_id=person[1],
                title=input.title,
                sources=[source.to_spec() for source in input.sources],
                start=input.start,
                end=input.end,
                ongoing=input.end is None if input.ongoing is None else input.ongoing,
            )
            if head.ongoing and head.end is not None:
                edit.reject(("ongoing",), "A tenure with an end is not ongoing.")
            return (await missions.write_heads(edit, [head])).ids[0]

        outcome = await write(info, "appointHead", work, A_TENURE)
        if isinstance(outcome, list):
            return HeadOfMissionPayload(head_of_mission=None, user_errors=outcome)
        return HeadOfMissionPayload(head_of_mission=await _head(info, outcome), user_errors=[])

    @strawberry.mutation(
        description="Rank one source's value of a post's city or opening date: prefer it (the post then gives it), keep it as normal, or deprecate it. Every value stays, with its source."
    )
    async def rank_claim(self, info: Info, input: Annotated[RankClaimInput, INPUT]) -> ClaimPayload:
        async def work(edit: Edit) -> int:
            pk = await existing(edit, input.claim, ("claim_id",), "Claim")
            return await missions.rank_claim(edit, pk, input.rank, input.expected_version)

        outcome = await write(info, "rankClaim", work, A_RANK)
        if isinstance(outcome, list):
            return ClaimPayload(claim=None, mission=None, user_errors=outcome)
        row = await info.context.loaders.claim.load(outcome)
        assert row is not None
        claim = Claim.from_row(row)
        return ClaimPayload(
            claim=claim, mission=await _mission(info, row.mission_id), user_errors=[]
        )

    @strawberry.mutation(description="End a tenure on a date, as its sources tell it.")
    async def end_headship(
        self, info: Info, input: Annotated[EndHeadshipInput, INPUT]
    ) -> HeadOfMissionPayload:
        async def work(edit: Edit) -> int:
            pk = await existing(edit, input.head_of_mission, ("head_id",), "HeadOfMission")
            sources = [source.to_spec() for source in input.sources or []]
            await missions.end_headship(edit, pk, input.end, sources)
            return pk

        outcome = await write(info, "endHeadship", work, A_TENURES_END)
        if isinstance(outcome, list):
            return HeadOfMissionPayload(head_of_mission=None, user_errors=outcome)
        return HeadOfMissionPayload(head_of_mission=await _head(info, outcome), user_errors=[])
