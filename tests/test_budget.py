"""Each client's budget of cost points (schema.budget), through the real app."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import re
from typing import Any

import httpx
import pytest
from conftest import ClientFor, client_of, listening, make_token, started
from starlette.applications import Starlette
from test_websocket import _operate

from db.session import make_sessions
from db.tokens import revoke_token
from schema.budget import RateLimits
from server.settings import Settings

# Eight countries and their page: nine objects, charged nine points.
EIGHT = "{ countries(first: 8) { nodes { code } } }"
RATE = "{ rateLimit { limit used remaining resetAt } }"
# A window long enough that no test crosses into the next one (windows start on the clock).
DAY = 86_400


def _rated(response: httpx.Response) -> dict[str, int]:
    """The X-RateLimit-* headers as numbers, by their last word."""
    return {
        name.removeprefix("x-ratelimit-"): int(value)
        for name, value in response.headers.items()
        if name.startswith("x-ratelimit-")
    }


async def test_every_answer_carries_the_budget_and_counts_it_down(
    client_for: ClientFor,
) -> None:
    async with client_for(rate=RateLimits(window=DAY)) as client:
        await _counts_down(client)


async def _counts_down(client: httpx.AsyncClient) -> None:
    first = await client.post("/graphql", json={"query": EIGHT})
    second = await client.get("/graphql", params={"query": EIGHT})
    rated = [_rated(first), _rated(second)]
    limit = RateLimits().points
    assert rated[0] == {
        "limit": limit,
        "used": 9,
        "remaining": limit - 9,
        "reset": rated[0]["reset"],
    }
    assert rated[1]["used"] == 18 and rated[1]["remaining"] == limit - 18
    assert rated[0]["reset"] % DAY == 0  # windows are aligned on the clock
    # extensions.cost says the same as the headers.
    cost = second.json()["extensions"]["cost"]
    assert cost["rateLimit"] == {
        "limit": limit,
        "remaining": limit - 18,
        "used": 18,
        "reset": rated[1]["reset"],
        "charged": 9,
    }
    assert cost["returnedObjects"] == 9


async def test_reading_the_budget_spends_nothing(client_for: ClientFor) -> None:
    async with client_for(rate=RateLimits(window=DAY)) as client:
        await _reads_for_nothing(client)


async def _reads_for_nothing(client: httpx.AsyncClient) -> None:
    await client.post("/graphql", json={"query": EIGHT})
    for _ in range(3):
        response = await client.post("/graphql", json={"query": RATE})
        read = response.json()["data"]["rateLimit"]
        assert (read["used"], read["remaining"]) == (9, RateLimits().points - 9)
        assert _rated(response)["used"] == 9
    # Behind a fragment at the root it is no different from any other field: it is charged.
    spread = "query { ...F } fragment F on Query { rateLimit { used } }"
    response = await client.post("/graphql", json={"query": spread})
    assert response.json()["extensions"]["cost"]["rateLimit"]["charged"] == 1


async def test_over_budget_is_a_429_with_retry_after(client_for: ClientFor) -> None:
    async with client_for(rate=RateLimits(points=12, window=DAY)) as client:
        spent = await client.post("/graphql", json={"query": EIGHT})
        assert spent.status_code == 200 and _rated(spent)["remaining"] == 3
        refused = await client.post("/graphql", json={"query": EIGHT})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= DAY
        [error] = refused.json()["errors"]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert error["extensions"]["remaining"] == 3
        assert "data" not in refused.json()
        # What fits in what is left still runs, and reading the budget always does.
        small = await client.post(
            "/graphql", json={"query": "{ countries(first: 1) { nodes { code } } }"}
        )
        assert small.status_code == 200 and _rated(small)["remaining"] == 1
        assert (await client.post("/graphql", json={"query": RATE})).status_code == 200


async def test_over_budget_over_the_socket_is_the_same_error(database_url: str) -> None:
    settings = Settings(
        database_url=database_url, seed_world=False, rate=RateLimits(points=12, window=DAY)
    )
    async with listening(settings) as base, httpx.AsyncClient(base_url=base) as http:
        assert (await http.post("/graphql", json={"query": EIGHT})).status_code == 200
        refused_over_http = (await http.post("/graphql", json={"query": EIGHT})).json()
        [refused] = await _operate(base, EIGHT)
        assert refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "RATE_LIMITED"

        # The same message, but for the seconds left, which may tick between the two.
        def said(message: str) -> str:
            return re.sub(r"\d+ s\.$", "N s.", message)

        assert said(refused["payload"][0]["message"]) == said(
            refused_over_http["errors"][0]["message"]
        )


async def test_an_unknown_or_revoked_token_is_a_401(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    token = await make_token(app, "reader", "reader")
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.post("/graphql", json={"query": RATE}, headers=headers)).status_code == 200
    for forged in (token[:-4] + "AAAA", "nonsense", "blt_a_b"):
        refused = await client.post(
            "/graphql", json={"query": RATE}, headers={"Authorization": f"Bearer {forged}"}
        )
        assert refused.status_code == 401
        assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert "x-ratelimit-limit" not in refused.headers  # no address's budget either
    async with make_sessions(app.state.engine)() as session, session.begin():
        await revoke_token(session, "reader")
    app.state.operations.budgets._tokens.clear()  # past the second a check is trusted
    revoked = await client.post("/graphql", json={"query": RATE}, headers=headers)
    assert revoked.status_code == 401


async def test_a_tokens_role_carries_its_budget_and_each_client_counts_alone(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    reader = {"Authorization": f"Bearer {await make_token(app, 'r', 'reader')}"}
    editor = {"Authorization": f"Bearer {await make_token(app, 'e', 'editor')}"}
    limits = RateLimits()
    by_reader = await client.post("/graphql", json={"query": EIGHT}, headers=reader)
    by_editor = await client.post("/graphql", json={"query": EIGHT}, headers=editor)
    by_address = await client.post("/graphql", json={"query": RATE})
    assert _rated(by_reader)["limit"] == limits.reader_points
    assert _rated(by_editor)["limit"] == limits.editor_points
    assert _rated(by_address)["limit"] == limits.points
    assert [_rated(r)["used"] for r in (by_reader, by_editor, by_address)] == [9, 9, 0]


async def test_the_budget_holds_across_processes_on_one_database(database_url: str) -> None:
    # Two apps on one database, as two worker processes: each shares its counts with the
    # other through the database (every second; here when told to).
    settings = Settings(
        database_url=database_url, seed_world=False, rate=RateLimits(points=20, window=DAY)
    )
    async with started(settings) as one, started(settings) as two:
        reader = await make_token(one, "r", "reader")
        editor = await make_token(one, "e", "editor")
        small = dataclasses.replace(settings.rate, points=20, reader_points=20, editor_points=40)
        for app in (one, two):
            app.state.operations.budgets.limits = small
        async with client_of(one) as first, client_of(two) as second:

            async def spend(client: httpx.AsyncClient, token: str) -> httpx.Response:
                headers = {"Authorization": f"Bearer {token}"}
                return await client.post("/graphql", json={"query": EIGHT}, headers=headers)

            assert _rated(await spend(first, reader))["remaining"] == 11
            assert _rated(await spend(first, editor))["remaining"] == 31
            # A process learns what the others spent once a second, for the clients it has
            # seen: the second's first request of the reader finds 11 points left there too.
            assert _rated(await spend(second, reader))["remaining"] == 11
            assert _rated(await spend(second, editor))["remaining"] == 31
            for app in (one, two, one):
                await app.state.operations.budgets.share()
            # Now both know the reader spent 18 of its 20: the next page of 9 is refused on
            # either process, while the editor's budget (18 of 40 spent) is its own.
            assert (await spend(second, reader)).status_code == 429
            assert (await spend(first, reader)).status_code == 429
            assert _rated(await spend(second, editor))["remaining"] == 13
            await two.state.operations.budgets.share()
            await one.state.operations.budgets.share()
            assert _rated(await spend(first, editor))["remaining"] == 4
            assert (await spend(first, editor)).status_code == 429


async def test_requests_beyond_those_in_flight_wait_their_turn(client_for: ClientFor) -> None:
    async with client_for(rate=RateLimits(in_flight=1, wait_seconds=DAY)) as client:
        budgets = client._transport.app.state.operations.budgets  # type: ignore[attr-defined]
        held = await budgets.client(None, "127.0.0.1")
        await budgets.admit(held, 5)  # one request of this client's running
        waiting = asyncio.create_task(client.post("/graphql", json={"query": EIGHT}))
        while not budgets._slots[held.key].waiting:  # the request waits for the slot
            assert not waiting.done()
            await asyncio.sleep(0.01)
        # Another client (a token) is not held up by this one's; an address sent in a header
        # would change nothing (the address is the connection's).
        token = await make_token(client._transport.app, "other", "reader")  # type: ignore[attr-defined]
        other = await client.post(
            "/graphql", json={"query": EIGHT}, headers={"Authorization": f"Bearer {token}"}
        )
        assert other.status_code == 200 and not waiting.done()
        budgets.settle(held, 5, 1)
        answered = await waiting
        assert answered.status_code == 200 and answered.json()["data"]["countries"]
        assert held.key not in budgets._slots  # nothing left running or waiting


async def test_a_request_that_waits_too_long_for_its_turn_is_a_429(client_for: ClientFor) -> None:
    async with client_for(rate=RateLimits(in_flight=1, wait_seconds=0.01)) as client:
        budgets = client._transport.app.state.operations.budgets  # type: ignore[attr-defined]
        held = await budgets.client(None, "127.0.0.1")
        await budgets.admit(held, 5)
        refused = await client.post("/graphql", json={"query": EIGHT})
        assert refused.status_code == 429 and refused.headers["retry-after"] == "1"
        assert "running" in refused.json()["errors"][0]["message"]
        budgets.settle(held, 5, 1)
        assert (await client.post("/graphql", json={"query": EIGHT})).status_code == 200


async def test_a_flood_of_addresses_cannot_grow_the_counts_without_bound(
    client_for: ClientFor,
) -> None:
    async with client_for(rate=RateLimits(clients=3)) as client:
        budgets = client._transport.app.state.operations.budgets  # type: ignore[attr-defined]
        for number in range(10):
            await budgets.admit(await budgets.client(None, f"10.0.0.{number}"), 1)
        assert len(budgets._counts) == 3


async def test_the_budget_can_be_switched_off(client_for: ClientFor) -> None:
    async with client_for(rate=RateLimits(enabled=False)) as client:
        response = await client.post("/graphql", json={"query": RATE})
        assert response.json()["data"] == {"rateLimit": None}
        assert not _rated(response)
        forged = await client.post(
            "/graphql", json={"query": RATE}, headers={"Authorization": "Bearer nonsense"}
        )
        assert forged.status_code == 200  # a token matters only to writes then


@pytest.mark.parametrize(
    "environment",
    [
        {"BILATERAL_RATE_LIMIT": "off"},
        {"BILATERAL_RATE_POINTS": "500", "BILATERAL_RATE_WINDOW": "3600"},
        {"BILATERAL_RATE_POINTS_READER": "9", "BILATERAL_RATE_IN_FLIGHT": "2"},
    ],
)
def test_the_budgets_are_set_from_the_environment(environment: dict[str, Any]) -> None:
    rate = Settings.from_env(environment).rate
    assert rate.enabled == (environment.get("BILATERAL_RATE_LIMIT") != "off")
    assert rate.points == int(environment.get("BILATERAL_RATE_POINTS", RateLimits().points))
    assert rate.window == int(environment.get("BILATERAL_RATE_WINDOW", RateLimits().window))
    assert rate.reader_points == int(
        environment.get("BILATERAL_RATE_POINTS_READER", RateLimits().reader_points)
    )
    with pytest.raises(SystemExit, match="BILATERAL_RATE_POINTS"):
        Settings.from_env({"BILATERAL_RATE_POINTS": "lots"})


async def test_metrics_scrape_cleanly_and_move_with_the_requests(client_for: ClientFor) -> None:
    from prometheus_client.parser import text_string_to_metric_families

    def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        return {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }

    async with client_for(rate=RateLimits(points=12, window=DAY)) as client:
        before = samples((await client.get("/metrics")).text)
        named = "query Eight { countries(first: 8) { nodes { code } } }"
        assert (await client.post("/graphql", json={"query": named})).status_code == 200
        assert (await client.post("/graphql", json={"query": named})).status_code == 429
        await client.post("/graphql", json={"query": "{ nope }"})
        scraped = await client.get("/metrics")
        assert scraped.headers["content-type"].startswith("text/plain")
        after = samples(scraped.text)
    ok = ("bilateral_requests_total", (("code", "OK"), ("operation", "Eight")))
    limited = ("bilateral_requests_total", (("code", "RATE_LIMITED"), ("operation", "Eight")))
    invalid = (
        "bilateral_requests_total",
        (("code", "GRAPHQL_VALIDATION_FAILED"), ("operation", "anonymous")),
    )
    assert (after[ok], after[limited], after[invalid]) == (1, 1, 1)
    assert ok not in before
    assert after[("bilateral_cost_points_total", (("outcome", "spent"),))] == 9
    assert after[("bilateral_cost_points_total", (("outcome", "refused"),))] == 9  # the estimate
    assert after[("bilateral_rate_limited_requests_total", ())] == 1
    count = ("bilateral_request_duration_seconds_count", (("path", "compiled"),))
    assert after[count] - before.get(count, 0) >= 1
    assert ("bilateral_db_pool_in_use", ()) in after
    assert after[("bilateral_requests_in_flight", ())] == 0


async def test_metrics_can_be_restricted_or_switched_off(client_for: ClientFor) -> None:
    async with client_for(metrics_token="scrape-me") as client:
        assert (await client.get("/metrics")).status_code == 401
        allowed = await client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})
        assert allowed.status_code == 200 and "bilateral_requests_total" in allowed.text
    async with client_for(metrics=False) as client:
        assert (await client.get("/metrics")).status_code == 404


QUERY_TEXT = '{ country(code: "MY") { name } }'


def _manifest(tmp_path: Any, documents: dict[str, str]) -> Any:
    from server.trusted import apollo_manifest

    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(apollo_manifest(documents), indent=2))
    return path


async def test_trusted_documents_run_alone(client_for: ClientFor, tmp_path: Any) -> None:
    from server.trusted import explorer_documents

    documents = {**explorer_documents(), "mine": QUERY_TEXT}
    manifest = _manifest(tmp_path, documents)
    digest = hashlib.sha256(QUERY_TEXT.encode()).hexdigest()
    async with client_for(trusted_documents=manifest) as client:
        # Identical text, the persisted-query hash, a top-level documentId: each runs.
        for payload in (
            {"query": QUERY_TEXT},
            {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}},
            {"documentId": f"sha256:{digest}"},
        ):
            answered = await client.post("/graphql", json=payload)
            assert answered.json()["data"] == {"country": {"name": "Malaysia"}}, payload
        got = await client.get("/graphql", params={"documentId": digest})
        assert got.json()["data"] == {"country": {"name": "Malaysia"}}
        # The explorer's own view runs as the explorer sends it.
        view = await client.post(
            "/graphql", json={"query": documents["COUNTRY_VIEW"], "variables": {"code": "MY"}}
        )
        assert view.json()["data"]["country"]["code"] == "MY"
        # Anything else is refused, and no new hash is registered.
        other = '{ country(code: "BE") { name } }'
        other_hash = hashlib.sha256(other.encode()).hexdigest()
        refusing: list[dict[str, Any]] = [
            {"query": other},
            {
                "query": other,
                "extensions": {"persistedQuery": {"version": 1, "sha256Hash": other_hash}},
            },
            {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": other_hash}}},
            {"documentId": other_hash},
        ]
        for payload in refusing:
            refused = await client.post("/graphql", json=payload)
            body = refused.json()
            assert "data" not in body or body["data"] is None, payload
            assert body["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED", payload


def test_a_malformed_manifest_stops_the_server_naming_file_and_line(tmp_path: Any) -> None:
    from server.app import create_app

    broken = tmp_path / "broken.json"
    broken.write_text(
        '{\n  "format": "apollo-persisted-query-manifest",\n  "version": 1,\n  "operations": [\n    {"id": "x",}\n  ]\n}\n'
    )
    with pytest.raises(SystemExit, match=rf"{broken}:5"):
        create_app(Settings(database_url="sqlite+aiosqlite://", trusted_documents=broken))
    unlisted = tmp_path / "unlisted.json"
    unlisted.write_text('{\n  "a": "{ countries { totalCount } }",\n  "b": 7\n}\n')
    with pytest.raises(SystemExit, match=rf"{unlisted}:3"):
        create_app(Settings(database_url="sqlite+aiosqlite://", trusted_documents=unlisted))


def test_the_explorers_manifest_is_current() -> None:
    from server.trusted import EXPLORER_MANIFEST, apollo_manifest, explorer_documents

    shipped = json.loads(EXPLORER_MANIFEST.read_text())
    assert shipped == apollo_manifest(explorer_documents()), "run make trusted-documents"


async def test_each_request_is_one_line_in_the_log(
    app: Starlette, client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    token = await make_token(app, "reader-bot", "reader")
    caplog.set_level("INFO", logger="bilateral.requests")
    named = "query Eight { countries(first: 8) { nodes { code } } }"
    await client.post(
        "/graphql", json={"query": named}, headers={"Authorization": f"Bearer {token}"}
    )
    await client.post("/graphql", json={"query": "{ nope }"}, headers={"X-Request-ID": "trace-9"})
    first, second = [
        record.getMessage() for record in caplog.records if record.name == "bilateral.requests"
    ]
    assert "client=reader-bot operation=Eight estimatedNodes=9 charged=9 path=compiled" in first
    assert first.endswith("code=OK") and token not in first
    assert "requestId=trace-9 client=127.0.0.1 operation=None" in second
    assert second.endswith("code=GRAPHQL_VALIDATION_FAILED")


async def test_the_log_lines_can_be_json(
    client_for: ClientFor, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="bilateral.requests")
    async with client_for(log_format="json") as client:
        await client.post("/graphql", json={"query": EIGHT})
    [line] = [
        record.getMessage() for record in caplog.records if record.name == "bilateral.requests"
    ]
    logged = json.loads(line)
    assert logged["client"] == "127.0.0.1" and logged["charged"] == 9 and logged["code"] == "OK"
    assert set(logged) == {
        "requestId",
        "client",
        "operation",
        "estimatedNodes",
        "charged",
        "path",
        "ms",
        "code",
    }


async def test_a_flat_map_of_hashes_is_a_manifest_too(client_for: ClientFor, tmp_path: Any) -> None:
    digest = hashlib.sha256(QUERY_TEXT.encode()).hexdigest()
    manifest = tmp_path / "relay.json"
    manifest.write_text(json.dumps({digest: QUERY_TEXT}))
    async with client_for(trusted_documents=manifest) as client:
        by_id = await client.post("/graphql", json={"documentId": digest})
        assert by_id.json()["data"] == {"country": {"name": "Malaysia"}}
        other = await client.post("/graphql", json={"query": "{ __typename }"})
        assert other.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"
    async with client_for() as client:  # without a list, a documentId means nothing
        assert (await client.post("/graphql", json={"documentId": digest})).status_code == 400
