"""The root Subscription: events and changes as they are committed, from any server process."""

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry

from db.feed import FellBehind
from db.kinds import logged_kind
from schema.context import Info
from schema.ids import decode_id
from schema.types.change import Change
from schema.types.event import Event, country_pks

# The WebSocket close code for a subscriber that fell too far behind the feed.
FELL_BEHIND = 4429


async def _cut_off(info: Info) -> None:
    websocket: Any = info.context.websocket
    if websocket is not None:
        await websocket.close(code=FELL_BEHIND, reason="The subscriber fell too far behind.")


@strawberry.type(description="Live updates, over WebSocket (graphql-transport-ws) at /graphql.")
class Subscription:
    @strawberry.subscription(
        description="Events as they are created, optionally only those involving all the given countries."
    )
    async def event_added(
        self,
        info: Info,
        countries: Annotated[
            list[str] | None,
            strawberry.argument(description="ISO codes; an event must involve all of them."),
        ] = None,
    ) -> AsyncGenerator[Event, None]:
        wanted = set(await country_pks(info, countries or [], "countries"))
        async with info.context.feed.subscribe() as subscriber:
            while True:
                try:
                    change_id = await subscriber.next()
                except FellBehind:
                    await _cut_off(info)
                    return
                await info.context.refresh()  # each message reads the data as committed
                loaders = info.context.loaders
                change = await loaders.change.load(change_id)
                if change is None or change.action != "createEvent":
                    continue
                row = await loaders.event.load(change.target_id)
                if row is None:
                    continue
                involved = {country.id for country in await loaders.event_countries.load(row.id)}
                if wanted <= involved:
                    yield Event.from_row(row)

    @strawberry.subscription(
        description="Every change as it is recorded, optionally only for one object."
    )
    async def changed(
        self,
        info: Info,
        target: Annotated[
            strawberry.ID | None,
            strawberry.argument(description="Global ID of an object: only its changes."),
        ] = None,
    ) -> AsyncGenerator[Change, None]:
        wanted = None
        if target is not None:
            type_name, pk = decode_id(target, "target")
            wanted = (logged_kind(type_name), pk)
        async with info.context.feed.subscribe() as subscriber:
            while True:
                try:
                    change_id = await subscriber.next()
                except FellBehind:
                    await _cut_off(info)
                    return
                await info.context.refresh()
                change = await info.context.loaders.change.load(change_id)
                if change is not None and wanted in (None, (change.target_type, change.target_id)):
                    yield Change.from_row(change)
