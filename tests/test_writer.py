"""The one writer of people, posts and tenures, as an importer uses it: by the source's own
record keys, in batches, keeping faulty rows for editors where a mutation refuses them."""

from collections.abc import AsyncIterator, Sequence

import pytest
from conftest import GraphQL
from databases import dump
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette

from db import models
from db.models import EventKind, MissionKind
from db.partial_date import PartialDate
from db.session import make_engine, make_sessions
from db.writes.actors import PersonRecord, write_people
from db.writes.batch import Written
from db.writes.edit import Edit, Policy, Rejected, SourceSpec
from db.writes.events import FigureSpec, NewEvent, ParticipantSpec, QuoteSpec, write_events
from db.writes.missions import (
    AccreditationSpec,
    HeadRecord,
    MissionRecord,
    write_heads,
    write_missions,
)

ORIGIN = "history.state.gov/pocom"
SOURCE = [SourceSpec("Office of the Historian, Chiefs of Mission", url="https://history.state.gov")]
PEOPLE = [
    PersonRecord("Ruth A. Davis", "US", SOURCE, key="davis-ruth-a"),
    PersonRecord("Anwar Ibrahim", "MY", SOURCE, key="ibrahim-anwar"),  # the article has him
]
POST = MissionRecord(
    MissionKind.EMBASSY,
    "US",
    "BE",
    "Brussels",
    SOURCE,
    opened=PartialDate.parse("1832"),
    accreditations=[AccreditationSpec("LU", PartialDate.parse("1903"), PartialDate.parse("1955"))],
    key="chiefs-of-mission-belgium",
)


def _d(text: str) -> PartialDate:
    return PartialDate.parse(text)


@pytest.fixture
async def sessions(
    app: Starlette, database_url: str
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on the test's database, once the app has started on it (and seeded it)."""
    engine = make_engine(database_url)
    yield make_sessions(engine)
    await engine.dispose()


async def _import(
    sessions: async_sessionmaker[AsyncSession],
    people: Sequence[PersonRecord] = PEOPLE,
    tenures: Sequence[tuple[int, str, str | None, bool]] = ((0, "1912", "1915", False),),
) -> tuple[Written, Written, Written, Edit]:
    """Write the people, the post and tenures (person index, start, end, ongoing) as an import."""
    async with sessions() as session, session.begin():
        edit = Edit(session, "import", "importChiefsOfMission", Policy.FLAG, live=False)
        people_written = await write_people(edit, people, ORIGIN)
        [post] = (posts := await write_missions(edit, [POST], ORIGIN)).ids
        heads = [
            HeadRecord(
                post,
                people_written.ids[person],
                "Ambassador",
                SOURCE,
                start=_d(start),
                end=None if end is None else _d(end),
                ongoing=ongoing,
                key=f"tenure-{index}",
            )
            for index, (person, start, end, ongoing) in enumerate(tenures)
        ]
        return people_written, posts, await write_heads(edit, heads, ORIGIN), edit


def _counts(written: Written) -> tuple[int, int, int]:
    return written.created, written.updated, written.unchanged


async def test_importing_the_same_records_twice_changes_nothing(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    people, posts, heads, _ = await _import(sessions)
    assert (_counts(people), _counts(posts), _counts(heads)) == ((1, 0, 1), (1, 0, 0), (1, 0, 0))
    before = dump(database_url)
    people, posts, heads, _ = await _import(sessions)
    assert (_counts(people), _counts(posts), _counts(heads)) == ((0, 0, 2), (0, 0, 1), (0, 0, 1))
    assert dump(database_url) == before


async def test_a_newer_release_updates_by_key_and_logs_the_change(
    data: GraphQL, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _import(sessions)
    renamed = [PersonRecord("Ruth Davis", "US", SOURCE, key="davis-ruth-a"), PEOPLE[1]]
    people, _, heads, _ = await _import(sessions, renamed, ((0, "1912", "1916", False),))
    assert (_counts(people), _counts(heads)) == ((0, 1, 1), (0, 1, 0))
    found = await data("""{ changes(first: 2) { nodes { action actor before after } } }""")
    head, person = found["changes"]["nodes"]
    assert person["action"] == "importChiefsOfMission" and person["actor"] == "import"
    assert (person["before"]["name"], person["after"]["name"]) == ("Ruth A. Davis", "Ruth Davis")
    assert (head["before"]["end"], head["after"]["end"]) == ("1915", "1916")
    assert head["after"]["person"] == "Ruth Davis"


async def test_a_new_post_has_its_sources_claims_and_accreditations(
    data: GraphQL, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await _import(sessions)
    found = await data(
        """{ missions(country: "US", hostCountry: "BE") { nodes { name opened
            accreditations { target { ... on Country { code } } from to }
            claims { property value rank } heads { person { name } start end } } } }"""
    )
    assert found["missions"]["nodes"] == [
        {
            "name": "Embassy of the United States of America, Brussels",
            "opened": "1832",
            "accreditations": [
                {"target": {"code": "BE"}, "from": "1832", "to": None},
                {"target": {"code": "LU"}, "from": "1903", "to": "1955"},
            ],
            "claims": [
                {"property": "city", "value": "Brussels", "rank": "PREFERRED"},
                {"property": "opened", "value": "1832", "rank": "PREFERRED"},
            ],
            "heads": [{"person": {"name": "Ruth A. Davis"}, "start": "1912", "end": "1915"}],
        }
    ]


async def test_an_import_keeps_faulty_tenures_which_editors_are_shown(
    data: GraphQL, sessions: async_sessionmaker[AsyncSession]
) -> None:
    reversed_and_two_in_office = (
        (0, "1920", "1919", False),
        (0, "1930", None, True),
        (1, "1935", None, True),
    )
    *_, heads, edit = await _import(sessions, tenures=reversed_and_two_in_office)
    assert heads.created == 3
    assert [(index, problem.code) for index, problem in edit.flagged] == [
        (0, "INVALID"),
        (2, "CONFLICT"),
    ]
    found = await data("{ qualityIssues(first: 20) { nodes { kind message } } }")
    kinds = {issue["kind"] for issue in found["qualityIssues"]["nodes"]}
    assert {"TENURE_ENDS_BEFORE_START", "OVERLAPPING_TENURES"} <= kinds


async def test_a_mutation_refuses_what_an_import_keeps(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await _import(sessions)
    async with sessions() as session, session.begin():
        edit = Edit(session, "editor", "appointHead")
        head = HeadRecord(1, 1, "Ambassador", SOURCE, start=_d("2001"), end=_d("2000"))
        with pytest.raises(Rejected) as refused:
            await write_heads(edit, [head])
    assert [(p.field, p.code, p.message) for p in refused.value.problems] == [
        (("end",), "INVALID", "The end 2000 is before the start 2001.")
    ]
    async with sessions() as session, session.begin():
        edit = Edit(session, "editor", "createPerson")
        with pytest.raises(Rejected) as refused:
            await write_people(edit, [PersonRecord("Ruth A. Davis")])
    assert [p.code for p in refused.value.problems] == ["DUPLICATE"]


async def test_events_with_participants_are_written_by_key_and_grow_a_version_when_changed(
    data: GraphQL, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async def visit(*people: int) -> Written:
        async with sessions() as session, session.begin():
            edit = Edit(session, "import", "importVisits", Policy.FLAG, live=False)
            ids = (await write_people(edit, PEOPLE, ORIGIN)).ids
            trip = NewEvent(
                "The Secretary of State visits Brussels",
                EventKind.DIPLOMATIC,
                _d("1919-06"),
                "Talks on the peace conference.",
                SOURCE,
                countries=["US", "BE"],
                participants=[ParticipantSpec(("person", ids[i]), "guest") for i in people],
                key="visit-1919-06",
            )
            return await write_events(edit, [trip], ORIGIN)

    assert _counts(await visit(0)) == (1, 0, 0)
    assert _counts(await visit(0)) == (0, 0, 1)
    assert _counts(await visit(0, 1)) == (0, 1, 0)
    found = await data(
        """{ events(filter: {text: "peace conference"}) { nodes { version
            participants { role participant { ... on Person { name } } } } } }"""
    )
    assert found["events"]["nodes"] == [
        {
            "version": 2,
            "participants": [
                {"role": "guest", "participant": {"name": "Ruth A. Davis"}},
                {"role": "guest", "participant": {"name": "Anwar Ibrahim"}},
            ],
        }
    ]


async def _people(
    sessions: async_sessionmaker[AsyncSession], people: Sequence[PersonRecord]
) -> tuple[Written, dict[int, tuple[str, str | None, int | None, int | None, int | None]]]:
    """Write people as an import; every person then, by row id: name, Office id, country
    row id, years of birth and death."""
    P = models.Person
    async with sessions() as session, session.begin():
        edit = Edit(session, "import", "importChiefsOfMission", Policy.FLAG, live=False)
        written = await write_people(edit, people)
        rows = await session.execute(
            select(P.id, P.name, P.historian_id, P.country_id, P.born, P.died)
        )
        return written, {pk: tuple(rest) for pk, *rest in rows}  # type: ignore[misc]


async def test_an_import_finds_people_by_the_historians_id_tells_new_ones_apart_and_mentions_change_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    legare = PersonRecord("Hugh Legare", sources=SOURCE, historian_id="legare-hugh", born=1797)
    written, before = await _people(sessions, [legare])
    [pk] = written.ids
    assert before[pk] == ("Hugh Legare", "legare-hugh", None, 1797, None)
    # Found again by the Office's id: it keeps its name and gains what the record adds.
    again = PersonRecord("Hugh S. Legare", historian_id="legare-hugh", died=1843)
    # Another of the Office's people of that name is told apart, as is one that may not be
    # taken for the person its name names; a mention finds the article's Anwar Ibrahim and
    # changes nothing on him, and two mentions of one new person make one row.
    namesake = PersonRecord(
        "Hugh Legare", historian_id="legare-hugh-2", told_apart="Hugh Legare (1820–)"
    )
    ibrahim = PersonRecord("Anwar Ibrahim", "US", mention=True)
    twice = PersonRecord("Ann Smith", "GB", historian_id="smith-ann", mention=True)
    written, people = await _people(sessions, [again, namesake, ibrahim, twice, twice])
    found, told_apart, mentioned, new, same = written.ids
    assert found == pk and new == same and (written.created, written.updated) == (2, 1)
    assert people[pk] == ("Hugh Legare", "legare-hugh", None, 1797, 1843)
    assert people[told_apart][:2] == ("Hugh Legare (1820–)", "legare-hugh-2")
    assert people[mentioned] == before[mentioned] and people[mentioned][0] == "Anwar Ibrahim"
    assert people[new][:2] == ("Ann Smith", "smith-ann")
    assert written.adopted == {mentioned}
    # A person without the Office's id is adopted by name (merged), unless the record may not.
    unknown = PersonRecord("Ruth A. Davis", historian_id="davis-ruth", born=1880)
    apart = PersonRecord("Ann Smith", by_name=False, told_apart="Ann Smith (2)")
    async with sessions() as session, session.begin():
        edit = Edit(session, "import", "importChiefsOfMission", Policy.FLAG, live=False)
        await write_people(edit, [PersonRecord("Ruth A. Davis", "US", SOURCE)])
    written, people = await _people(sessions, [unknown, apart])
    davis, smith = written.ids
    assert written.adopted == {davis} and written.created == 1
    assert people[davis][:2] == ("Ruth A. Davis", "davis-ruth") and people[davis][3] == 1880
    assert people[smith][0] == "Ann Smith (2)"


async def test_a_mutation_refuses_a_name_given_twice_in_one_batch(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions() as session, session.begin():
        edit = Edit(session, "editor", "createPerson")
        with pytest.raises(Rejected) as refused:
            await write_people(edit, [PersonRecord("Ann Smith"), PersonRecord("Ann Smith")])
    assert [p.code for p in refused.value.problems] == ["DUPLICATE"]


async def test_an_events_quotes_and_figures_cite_their_source_and_a_keyed_rewrite_keeps_quotes(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    said = SourceSpec("A newspaper", "page 3")

    async def meeting(quotes: bool, value: float) -> Written:
        async with sessions() as session, session.begin():
            edit = Edit(session, "import", "importVisits", Policy.FLAG, live=False)
            [speaker] = (await write_people(edit, PEOPLE[:1], ORIGIN)).ids
            event = NewEvent(
                "A meeting in Brussels",
                EventKind.DIPLOMATIC,
                _d("1919-06"),
                "Talks.",
                SOURCE,
                countries=["US", "BE"],
                figures=[FigureSpec("Delegates", value, "1", said)],
                quotes=[QuoteSpec(speaker, "We agree.", _d("1919-06-02"), said)] if quotes else [],
                key="meeting-1919-06",
            )
            return await write_events(edit, [event], ORIGIN)

    [event_id] = (await meeting(True, 12)).ids
    assert _counts(await meeting(False, 14)) == (0, 1, 0)
    async with sessions() as session:
        S, F, Q = models.Source, models.Figure, models.Quote
        cited = select(S.title, S.section)
        figures = (
            await session.execute(
                cited.join(F, F.source_id == S.id)
                .add_columns(F.value)
                .where(F.event_id == event_id)
            )
        ).all()
        quotes = (
            await session.execute(
                cited.join(Q, Q.source_id == S.id)
                .add_columns(Q.text, Q.date)
                .where(Q.event_id == event_id)
            )
        ).all()
    assert figures == [("A newspaper", "page 3", 14)]
    assert quotes == [("A newspaper", "page 3", "We agree.", _d("1919-06-02"))]
