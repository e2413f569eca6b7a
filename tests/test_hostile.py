"""Hostile traffic: whatever arrives, each request gets a quick, clear answer and the server goes on."""

import asyncio
from typing import Any

import httpx

DEEP = (
    "{ __schema { types { fields { type { " + "ofType { " * 150 + "name" + " }" * 150 + " } } } } }"
)

HOSTILE: list[dict[str, Any]] = [
    {"json": {"query": DEEP}},
    {"json": {"query": "{ " + " ".join(f"a{i}: __typename" for i in range(2000)) + " }"}},
    {"json": {"query": "{ " + "x " * 10_000 + "}"}},
    {"content": b'{"query": "\xff"}', "headers": {"Content-Type": "application/json"}},
    {"json": {"query": "query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"}},
    {"json": {"query": '{ search(text: "\' OR 1=1; DROP TABLE event; --") { totalCount } }'}},
    {"json": {"query": '{ people(search: "%_%") { totalCount } }'}},
    {"json": {"query": "{ __typename @nosuchdirective }"}},
    {"json": {"query": '{ country(code: "BE") { name } }'}},
]


async def test_a_burst_of_200_mixed_requests_is_answered_and_the_server_keeps_serving(
    client: httpx.AsyncClient,
) -> None:
    requests = [HOSTILE[i % len(HOSTILE)] for i in range(200)]
    responses = await asyncio.gather(*(client.post("/graphql", **r) for r in requests))
    assert all(response.status_code in {200, 400} for response in responses)
    assert all(response.json() for response in responses)
    good = [r for r, req in zip(responses, requests, strict=True) if req is HOSTILE[-1]]
    assert all(r.json()["data"] == {"country": {"name": "Belgium"}} for r in good)
    assert (await client.get("/healthz")).status_code == 200


async def test_fragment_cycles_and_unknown_directives_fail_validation(
    client: httpx.AsyncClient,
) -> None:
    for request in (HOSTILE[4], HOSTILE[7]):
        body = (await client.post("/graphql", **request)).json()
        assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_sql_looking_and_wildcard_text_is_matched_literally(
    client: httpx.AsyncClient,
) -> None:
    for request in (HOSTILE[5], HOSTILE[6]):
        body = (await client.post("/graphql", **request)).json()
        assert "errors" not in body
        assert list(body["data"].values()) == [{"totalCount": 0}]
    still = await client.post("/graphql", json={"query": "{ events(first: 0) { totalCount } }"})
    assert still.json()["data"] == {"events": {"totalCount": 19}}
