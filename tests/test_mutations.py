"""Writing through the API: tokens, userErrors that write nothing, versions, the change log."""

import asyncio
import base64
from typing import Any

import httpx
import pytest
from conftest import GraphQL, make_token
from databases import row_counts
from starlette.applications import Starlette

from db import models
from db.partial_date import PartialDate
from db.session import make_sessions
from schema.ids import decode_id

CREATE_EVENT = """mutation($input: CreateEventInput!) {
    createEvent(input: $input) {
        event { id title date version countries { code } participants { role participant { __typename } } }
        userErrors { field message code }
    }
}"""

UPDATE_EVENT = """mutation($input: UpdateEventInput!) {
    updateEvent(input: $input) { event { title version } userErrors { field message code } }
}"""

SOURCE = {"title": "Bernama", "section": None, "url": "https://www.bernama.com/"}


async def _ids(data: GraphQL) -> dict[str, str]:
    found = await data(
        """{ country(code: "MY") { id embassies { id heads { id person { id name } } } }
            be: country(code: "BE") { id }
            events(first: 1) { nodes { id version } }
            people(search: "Anwar") { nodes { id } } }"""
    )
    embassy = found["country"]["embassies"][0]
    return {
        "malaysia": found["country"]["id"],
        "belgium": found["be"]["id"],
        "embassy": embassy["id"],
        "lai_tenure": embassy["heads"][0]["id"],
        "khalid_tenure": embassy["heads"][1]["id"],
        "khalid": embassy["heads"][1]["person"]["id"],
        "event": found["events"]["nodes"][0]["id"],
        "anwar": found["people"]["nodes"][0]["id"],
    }


def _event_input(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "title": "Belgian trade mission to Kuala Lumpur",
        "kind": "ECONOMIC",
        "date": "2026-03",
        "summary": "A Belgian economic mission visited Kuala Lumpur.",
        "placeName": "Kuala Lumpur",
        "placeCountry": "MY",
        "countries": ["BE"],
        "sources": [SOURCE],
    }
    return base | changes


async def test_a_mutation_without_a_token_is_unauthenticated_and_writes_nothing(
    graphql: GraphQL, database_url: str
) -> None:
    before = row_counts(database_url)
    body = await graphql(CREATE_EVENT, input=_event_input())
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert row_counts(database_url) == before


async def test_a_reader_token_is_forbidden_and_a_forged_one_unauthenticated(
    app: Starlette, client: httpx.AsyncClient, database_url: str
) -> None:
    reader = await make_token(app, "bob", "reader")
    editor = await make_token(app, "carol", "editor")
    forged = editor[:-4] + "AAAA"
    before = row_counts(database_url)
    for token, code in (
        (reader, "FORBIDDEN"),
        (forged, "UNAUTHENTICATED"),
        ("nonsense", "UNAUTHENTICATED"),
    ):
        response = await client.post(
            "/graphql",
            json={"query": CREATE_EVENT, "variables": {"input": _event_input()}},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.json()["errors"][0]["extensions"]["code"] == code
    assert row_counts(database_url) == before


async def test_create_event_writes_it_and_the_next_request_sees_it(
    editor: GraphQL, data: GraphQL
) -> None:
    ids = await _ids(data)
    body = await editor(
        CREATE_EVENT,
        input=_event_input(participants=[{"participant": ids["anwar"], "role": "host"}]),
    )
    payload = body["data"]["createEvent"]
    assert payload["userErrors"] == []
    event = payload["event"]
    assert (event["title"], event["date"], event["version"]) == (
        "Belgian trade mission to Kuala Lumpur",
        "2026-03",
        1,
    )
    assert event["countries"] == [{"code": "BE"}, {"code": "MY"}]
    timeline = await data('{ relation(between: ["BE", "MY"]) { events { totalCount } } }')
    assert timeline["relation"]["events"]["totalCount"] == 14
    found = await data(
        '{ search(text: "Belgian trade mission") { nodes { ... on Event { id } } } }'
    )
    assert {"id": event["id"]} in found["search"]["nodes"]


BAD_INPUTS = {
    "unknown country code": (
        'mutation { createPerson(input: {name: "Jan Peeters", country: "XX"}) { person { id } userErrors { field code } } }',
        {"field": ["input", "country"], "code": "NOT_FOUND"},
    ),
    "empty title": (
        None,
        {"field": ["input", "title"], "code": "INVALID"},
    ),
    "end before start": (
        None,
        {"field": ["input", "endDate"], "code": "INVALID"},
    ),
    "duplicate": (
        'mutation { createPerson(input: {name: "Anwar Ibrahim"}) { person { id } userErrors { field code } } }',
        {"field": ["input", "name"], "code": "DUPLICATE"},
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
async def test_bad_input_is_a_user_error_and_writes_nothing(
    case: str, editor: GraphQL, database_url: str
) -> None:
    query, expected = BAD_INPUTS[case]
    before = row_counts(database_url)
    if query is None:
        changes = (
            {"title": "   "} if case == "empty title" else {"date": "2026-03", "endDate": "2025"}
        )
        body = await editor(CREATE_EVENT, input=_event_input(**changes))
    else:
        body = await editor(query)
    payload = next(iter(body["data"].values()))
    assert [{k: e[k] for k in ("field", "code")} for e in payload["userErrors"]] == [expected]
    assert row_counts(database_url) == before


async def test_unknown_and_wrong_typed_ids_are_user_errors_and_write_nothing(
    editor: GraphQL, data: GraphQL, database_url: str
) -> None:
    ids = await _ids(data)
    missing_person = "UGVyc29uOjk5OTk5"  # Person:99999
    before = row_counts(database_url)
    body = await editor(
        CREATE_EVENT,
        input=_event_input(
            participants=[
                {"participant": missing_person},
                {"participant": ids["event"]},  # an event cannot take part in an event
                {"participant": "garbage"},
            ]
        ),
    )
    errors = body["data"]["createEvent"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        (["input", "participants", "1", "participant"], "INVALID"),
        (["input", "participants", "2", "participant"], "INVALID"),
        (["input", "participants", "0", "participant"], "NOT_FOUND"),
    ]
    assert row_counts(database_url) == before


async def test_a_second_open_tenure_at_one_post_is_a_conflict(
    editor: GraphQL, data: GraphQL, database_url: str
) -> None:
    ids = await _ids(data)
    appoint = """mutation($input: AppointHeadInput!) { appointHead(input: $input) {
        headOfMission { id ongoing } userErrors { field code } } }"""
    before = row_counts(database_url)
    body = await editor(
        appoint,
        input={
            "mission": ids["embassy"],
            "person": ids["anwar"],
            "title": "Ambassador",
            "sources": [SOURCE],
        },
    )
    assert body["data"]["appointHead"]["userErrors"] == [
        {"field": ["input", "mission"], "code": "CONFLICT"}
    ]
    assert row_counts(database_url) == before

    ended = await editor(
        """mutation($id: ID!) { endHeadship(input: {headOfMission: $id, end: "2026-06",
            sources: [{title: "Belgian Official Gazette"}]}) {
            headOfMission { end ongoing } userErrors { code } } }""",
        id=ids["khalid_tenure"],
    )
    assert ended["data"]["endHeadship"] == {
        "headOfMission": {"end": "2026-06", "ongoing": False},
        "userErrors": [],
    }
    body = await editor(
        appoint,
        input={
            "mission": ids["embassy"],
            "person": ids["anwar"],
            "title": "Ambassador",
            "start": "2026-07",
            "sources": [SOURCE],
        },
    )
    assert body["data"]["appointHead"]["userErrors"] == []
    head = await data(
        '{ country(code: "MY") { embassies { head(asOf: "2026-08") { person { name } } } } }'
    )
    assert head["country"]["embassies"][0]["head"] == {"person": {"name": "Anwar Ibrahim"}}


async def test_ending_a_tenure_before_it_began_is_invalid(editor: GraphQL, data: GraphQL) -> None:
    ids = await _ids(data)
    body = await editor(
        """mutation($id: ID!) { endHeadship(input: {headOfMission: $id, end: "2020",
            sources: [{title: "Belgian Official Gazette"}]}) {
            headOfMission { end } userErrors { field code } } }""",
        id=ids["khalid_tenure"],
    )
    assert body["data"]["endHeadship"]["userErrors"] == [
        {"field": ["input", "end"], "code": "INVALID"}
    ]


async def test_update_event_raises_the_version_and_a_stale_version_conflicts(
    editor: GraphQL, data: GraphQL
) -> None:
    ids = await _ids(data)
    first = await editor(
        UPDATE_EVENT, input={"id": ids["event"], "title": "Relations begin", "expectedVersion": 1}
    )
    assert first["data"]["updateEvent"] == {
        "event": {"title": "Relations begin", "version": 2},
        "userErrors": [],
    }
    stale = await editor(
        UPDATE_EVENT, input={"id": ids["event"], "title": "Again", "expectedVersion": 1}
    )
    assert stale["data"]["updateEvent"]["event"] is None
    assert stale["data"]["updateEvent"]["userErrors"][0]["code"] == "CONFLICT"
    after = await data(
        "query($id: ID!) { node(id: $id) { ... on Event { title version } } }", id=ids["event"]
    )
    assert after["node"] == {"title": "Relations begin", "version": 2}


async def test_two_concurrent_writers_of_one_version_exactly_one_wins(
    editor: GraphQL, data: GraphQL
) -> None:
    ids = await _ids(data)
    results = await asyncio.gather(
        *(
            editor(
                UPDATE_EVENT,
                input={"id": ids["event"], "summary": f"Writer {n}", "expectedVersion": 1},
            )
            for n in range(2)
        )
    )
    outcomes = sorted(
        "won"
        if r["data"]["updateEvent"]["event"]
        else r["data"]["updateEvent"]["userErrors"][0]["code"]
        for r in results
    )
    assert outcomes == ["CONFLICT", "won"]
    after = await data(
        "query($id: ID!) { node(id: $id) { ... on Event { version } } }", id=ids["event"]
    )
    assert after["node"] == {"version": 2}


async def test_participants_are_added_and_removed_with_the_version(
    editor: GraphQL, data: GraphQL
) -> None:
    ids = await _ids(data)
    add = """mutation($e: ID!, $p: ID!) { addParticipant(input: {event: $e, participant: $p, role: "witness"}) {
        event { version participants(role: "witness") { participant { ... on Person { name } } } }
        userErrors { code } } }"""
    added = await editor(add, e=ids["event"], p=ids["anwar"])
    assert added["data"]["addParticipant"]["event"] == {
        "version": 2,
        "participants": [{"participant": {"name": "Anwar Ibrahim"}}],
    }
    again = await editor(add, e=ids["event"], p=ids["anwar"])
    assert again["data"]["addParticipant"]["userErrors"] == [{"code": "DUPLICATE"}]
    removed = await editor(
        """mutation($e: ID!, $p: ID!) { removeParticipant(input: {event: $e, participant: $p}) {
            event { version participants(role: "witness") { role } } userErrors { code } } }""",
        e=ids["event"],
        p=ids["anwar"],
    )
    assert removed["data"]["removeParticipant"]["event"] == {"version": 3, "participants": []}


async def test_a_post_moves_and_a_new_post_opens(editor: GraphQL, data: GraphQL) -> None:
    ids = await _ids(data)
    moved = await editor(
        """mutation($m: ID!) { moveMission(input: {mission: $m, address: "Rue de la Loi 1", from: "2026-01",
            sources: [{title: "Belgian Official Gazette"}]}) {
            mission { address addresses { address from to } } userErrors { code } } }""",
        m=ids["embassy"],
    )
    mission = moved["data"]["moveMission"]["mission"]
    assert mission["address"] == "Rue de la Loi 1"
    assert mission["addresses"][-2:] == [
        {"address": "Avenue de Tervueren", "from": "1982", "to": "2026-01"},
        {"address": "Rue de la Loi 1", "from": "2026-01", "to": None},
    ]
    opened = await editor(
        """mutation { createMission(input: {kind: CONSULATE_GENERAL, country: "BE", hostCountry: "MY",
            city: "Johor Bahru", opened: "2026", sources: [{title: "Belgian Official Gazette"}]}) {
            mission { name accreditations { target { ... on Country { code } } }
            claims { property value } } userErrors { code } } }"""
    )
    assert opened["data"]["createMission"]["mission"] == {
        "name": "Consulate General of Belgium, Johor Bahru",
        "accreditations": [{"target": {"code": "MY"}}],
        "claims": [
            {"property": "city", "value": "Johor Bahru"},
            {"property": "opened", "value": "2026"},
        ],
    }
    nunciature = await editor(
        """mutation { createMission(input: {kind: APOSTOLIC_NUNCIATURE, country: "VA",
            hostCountry: "NL", city: "The Hague", sources: [{title: "Holy See Press Office"}]}) {
            mission { name } userErrors { code } } }"""
    )
    assert nunciature["data"]["createMission"] == {
        "mission": {"name": "Apostolic Nunciature to the Netherlands, The Hague"},
        "userErrors": [],
    }


async def test_every_write_is_in_the_change_log_newest_first(
    editor: GraphQL, data: GraphQL
) -> None:
    ids = await _ids(data)
    await editor(UPDATE_EVENT, input={"id": ids["event"], "title": "One"})
    # Not ASCII: the log keeps it as written, and a compiled query passes it on as it is.
    await editor(UPDATE_EVENT, input={"id": ids["event"], "title": "Deux — visite d'État"})
    deleted = await editor(
        "mutation($id: ID!) { deleteEvent(id: $id) { deletedId userErrors { code } } }",
        id=ids["event"],
    )
    assert deleted["data"]["deleteEvent"] == {"deletedId": ids["event"], "userErrors": []}
    history = await data(
        """query($t: ID!) { changes(target: $t) { totalCount nodes {
            actor action targetId before after at } } }""",
        t=ids["event"],
    )
    changes = history["changes"]["nodes"]
    assert history["changes"]["totalCount"] == 3
    assert [c["action"] for c in changes] == ["deleteEvent", "updateEvent", "updateEvent"]
    assert {c["actor"] for c in changes} == {"alice"} and {c["targetId"] for c in changes} == {
        ids["event"]
    }
    assert changes[0]["after"] is None
    assert changes[0]["before"]["title"] == "Deux — visite d'État"
    assert changes[2]["before"]["title"] == "Belgium and Malaysia establish diplomatic relations"
    assert changes[2]["after"]["title"] == "One" and changes[2]["after"]["version"] == 2
    assert changes[0]["at"].endswith("Z")
    gone = await data("query($id: ID!) { node(id: $id) { id } }", id=ids["event"])
    assert gone["node"] is None


async def test_a_cached_get_is_not_stale_after_a_write(
    client: httpx.AsyncClient, editor: GraphQL, data: GraphQL
) -> None:
    ids = await _ids(data)
    query = {
        "query": "query($id: ID!) { node(id: $id) { ... on Event { title } } }",
        "variables": f'{{"id": "{ids["event"]}"}}',
    }
    first = await client.get("/graphql", params=query)
    await editor(UPDATE_EVENT, input={"id": ids["event"], "title": "Renamed"})
    second = await client.get(
        "/graphql", params=query, headers={"If-None-Match": first.headers["etag"]}
    )
    assert second.status_code == 200
    assert second.json()["data"] == {"node": {"title": "Renamed"}}
    assert second.headers["etag"] != first.headers["etag"]


async def test_the_database_itself_allows_one_ongoing_head_per_post(
    app: Starlette, data: GraphQL
) -> None:
    from sqlalchemy.exc import IntegrityError

    from db import models
    from db.session import make_sessions

    ids = await _ids(data)
    embassy = int(base64.urlsafe_b64decode(ids["embassy"] + "==").decode().split(":")[1])
    async with make_sessions(app.state.engine)() as session:
        session.add(
            models.HeadOfMission(mission_id=embassy, person_id=1, title="Ambassador", ongoing=True)
        )
        with pytest.raises(IntegrityError):
            await session.flush()
        await session.rollback()


async def test_an_id_is_never_given_twice_even_after_a_delete(
    app: Starlette, editor: GraphQL
) -> None:
    """A deleted event's ID never comes back, so a client's cache cannot mistake a new
    event for it, and changes(target:) keeps one object's history."""
    given = []
    for _ in range(3):
        created = await editor(
            CREATE_EVENT,
            input={
                "title": "A visit",
                "kind": "DIPLOMATIC",
                "date": "2026-02",
                "summary": "A visit that is then withdrawn.",
                "countries": ["BE", "MY"],
                "sources": [SOURCE],
            },
        )
        event_id = created["data"]["createEvent"]["event"]["id"]
        given.append(event_id)
        deleted = await editor(
            "mutation($id: ID!) { deleteEvent(id: $id) { deletedId } }", id=event_id
        )
        assert deleted["data"]["deleteEvent"]["deletedId"] == event_id
    assert len(set(given)) == 3
    # And a row written any other way does not take a deleted one's id either.
    async with make_sessions(app.state.engine)() as session, session.begin():
        event = models.Event(
            title="x", kind=models.EventKind.OTHER, date=PartialDate.parse("2026"), summary="x"
        )
        session.add(event)
        await session.flush()
        assert int(decode_id(given[-1], "id")[1]) < event.id


CREATE_MISSION = """mutation($input: CreateMissionInput!) {
    createMission(input: $input) { mission { id } userErrors { field message code } }
}"""


async def test_every_problem_of_a_write_names_its_input_field(
    editor: GraphQL, data: GraphQL, database_url: str
) -> None:
    """The data layer finds the problems; each comes back at the path of its input field."""
    ids = await _ids(data)
    before = row_counts(database_url)
    event = await editor(
        CREATE_EVENT,
        input=_event_input(
            title=" ",
            summary=" ",
            date="2026-03",
            endDate="2025",
            placeName=" ",
            placeCountry="XX",
            countries=["BE", "QQ"],
            participants=[{"participant": ids["anwar"]}, {"participant": ids["anwar"]}],
            figures=[{"label": " ", "value": 1, "unit": " "}],
            sources=[{"title": " "}],
        ),
    )
    mission = await editor(
        CREATE_MISSION,
        input={
            "kind": "EMBASSY",
            "country": "BE",
            "hostCountry": "BE",
            "city": " ",
            "address": " ",
            "sources": [],
        },
    )
    moved = await editor(
        """mutation($id: ID!) { moveMission(input: {mission: $id, address: " ", from: "1900",
            sources: [{title: "Belgian Official Gazette"}]}) {
            userErrors { field message code } } }""",
        id=ids["embassy"],
    )
    removed = await editor(
        """mutation($event: ID!, $who: ID!) { removeParticipant(input: {event: $event, participant: $who}) {
            userErrors { field message code } } }""",
        event=ids["event"],
        who=ids["khalid"],
    )
    deleted = await editor(
        'mutation { deleteEvent(id: "garbage") { userErrors { field message code } } }'
    )

    def found(body: dict[str, Any]) -> list[tuple[list[str], str, str]]:
        payload = next(iter(body["data"].values()))
        return [(e["field"], e["code"], e["message"]) for e in payload["userErrors"]]

    assert found(event) == [
        (["input", "title"], "INVALID", "The title must not be empty."),
        (["input", "summary"], "INVALID", "The summary must not be empty."),
        (["input", "endDate"], "INVALID", "The end date 2025 is before the start 2026-03."),
        (["input", "placeName"], "INVALID", "The place must not be empty."),
        (["input", "placeCountry"], "NOT_FOUND", "'XX' is not an ISO 3166-1 country code."),
        (["input", "countries", "1"], "NOT_FOUND", "'QQ' is not an ISO 3166-1 country code."),
        (["input", "participants"], "DUPLICATE", "A participant is listed twice."),
        (["input", "figures", "0", "label"], "INVALID", "A figure's label must not be empty."),
        (["input", "figures", "0", "unit"], "INVALID", "A figure's unit must not be empty."),
        (["input", "sources", "0", "title"], "INVALID", "A source's title must not be empty."),
    ]
    assert found(mission) == [
        (["input", "city"], "INVALID", "The city must not be empty."),
        (["input", "address"], "INVALID", "The address must not be empty."),
        (["input", "hostCountry"], "INVALID", "A post's host country must differ from its own."),
        (["input", "sources"], "INVALID", "A post needs at least one source."),
    ]
    assert found(moved) == [
        (["input", "address"], "INVALID", "The address must not be empty."),
        (
            ["input", "from"],
            "INVALID",
            "The post was at Avenue de Tervueren from 1982; a move must come later.",
        ),
    ]
    assert found(removed) == [
        (
            ["input", "participant"],
            "NOT_FOUND",
            "This participant does not take part in the event.",
        )
    ]
    assert found(deleted) == [(["id"], "INVALID", "'garbage' is not the ID of a Event.")]
    assert row_counts(database_url) == before
