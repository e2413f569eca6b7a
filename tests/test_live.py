"""Live subscriptions over WebSocket (graphql-transport-ws), in one process and across processes."""

import asyncio

import pytest
from databases import ON_POSTGRESQL
from servers import post, serving
from sockets import Subscriber, _create_event, _create_person, _in_thread, _prepare

# Slow: servers in processes of their own.
pytestmark = pytest.mark.slow


async def test_a_created_event_reaches_a_subscriber_of_its_countries(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url) as base:
        query = 'subscription { eventAdded(countries: ["MY"]) { title date countries { code } } }'
        async with Subscriber(base, query) as subscriber:
            await _in_thread(post, base, _create_event("Not about Malaysia", '["BE", "FR"]'), token)
            await _in_thread(post, base, _create_event("A Malaysian visit to Brussels"), token)
            # The first message is the second event's: the first event was not delivered.
            message = await subscriber.next()
            assert message["type"] == "next"
            assert message["payload"]["data"]["eventAdded"] == {
                "title": "A Malaysian visit to Brussels",
                "date": "2026-05",
                "countries": [{"code": "BE"}, {"code": "MY"}],
            }


async def test_a_rolled_back_write_announces_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url) as base:
        async with Subscriber(base, "subscription { changed { action actor } }") as subscriber:
            rejected = await _in_thread(post, base, _create_event("   "), token)
            assert rejected["data"]["createEvent"]["userErrors"] == [{"code": "INVALID"}]
            written = await _in_thread(post, base, _create_person("Written after it"), token)
            assert written["data"]["createPerson"]["userErrors"] == []
            # Changes arrive in commit order: had the rejected write announced anything, it
            # would come before the person's creation.
            message = await subscriber.next()
            assert message["payload"]["data"]["changed"] == {
                "action": "createPerson",
                "actor": "live",
            }


@pytest.mark.skipif(not ON_POSTGRESQL, reason="several processes share one database on PostgreSQL")
async def test_a_write_in_one_process_reaches_a_subscriber_of_another(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url) as first, serving(database_url) as second:
        query = "subscription { eventAdded { title } }"
        async with Subscriber(first, query) as subscriber:
            await _in_thread(post, second, _create_event("Written in the second process"), token)
            message = await subscriber.next()
            assert message["payload"]["data"]["eventAdded"] == {
                "title": "Written in the second process"
            }


@pytest.mark.skipif(not ON_POSTGRESQL, reason="worker processes share one database on PostgreSQL")
async def test_serve_with_workers_answers_from_every_process_and_shares_the_feed(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = await asyncio.to_thread(_prepare, database_url, monkeypatch, capsys)
    with serving(database_url, workers=2) as base:
        async with Subscriber(base, "subscription { eventAdded { title } }") as subscriber:
            for n in range(4):  # the kernel spreads these over both workers
                await _in_thread(post, base, _create_event(f"Written {n}"), token)
            titles = {
                (await subscriber.next())["payload"]["data"]["eventAdded"]["title"]
                for _ in range(4)
            }
            assert titles == {f"Written {n}" for n in range(4)}
