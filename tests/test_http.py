"""GraphQL over HTTP: media types, methods, status codes, malformed bodies, batches."""

import json

import httpx
import pytest
from conftest import ClientFor

QUERY = '{ country(code: "BE") { name } }'
ANSWER = {"country": {"name": "Belgium"}}  # the data of QUERY
GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_graphql_response_json_is_used_when_the_client_accepts_it(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": QUERY}, headers={"Accept": GRAPHQL_RESPONSE}
    )
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json()["data"] == ANSWER


async def test_application_json_is_used_otherwise(client: httpx.AsyncClient) -> None:
    for accept in (None, "application/json", "*/*"):
        headers = {"Accept": accept} if accept else {}
        response = await client.post("/graphql", json={"query": QUERY}, headers=headers)
        assert response.headers["content-type"] == "application/json; charset=utf-8"


async def test_an_unacceptable_accept_header_is_406(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": QUERY}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


@pytest.mark.parametrize(("accept", "status"), [("application/json", 200), (GRAPHQL_RESPONSE, 400)])
@pytest.mark.parametrize("query", ["{ country(code: ", "{ nosuchfield }"])
async def test_parse_and_validation_failures_follow_the_media_type(
    client: httpx.AsyncClient, query: str, accept: str, status: int
) -> None:
    response = await client.post("/graphql", json={"query": query}, headers={"Accept": accept})
    assert response.status_code == status
    body = response.json()
    assert "data" not in body and body["errors"][0]["extensions"]["code"].startswith("GRAPHQL_")


@pytest.mark.parametrize(
    "body",
    [
        b'"just a string"',
        b"42",
        b"[1, 2]",
        b'["a"]',
        b"null",
        b"{not json",
        b'{"query": 5}',
        b'{"query": "{ __typename }", "variables": [1]}',
        b'{"variables": {}}',
        b"",
    ],
)
async def test_a_body_that_is_not_a_graphql_request_is_400(
    client: httpx.AsyncClient, body: bytes
) -> None:
    response = await client.post(
        "/graphql", content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


async def test_invalid_utf8_and_nul_bytes_are_400_not_500(client: httpx.AsyncClient) -> None:
    bad = b'{"query": "{ country(code: \\"BE\\") { name } }\xff\xfe"}'
    response = await client.post(
        "/graphql", content=bad, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400 and "UTF-8" in response.json()["errors"][0]["message"]
    nul = json.dumps({"query": "{ __typename \u0000 }"})
    response = await client.post(
        "/graphql",
        content=nul,
        headers={"Content-Type": "application/json", "Accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


async def test_a_body_that_is_not_json_typed_is_415(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", content=QUERY, headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


async def test_a_body_over_100_kb_is_413(client: httpx.AsyncClient) -> None:
    huge = json.dumps({"query": '{ search(text: "%s") { totalCount } }' % ("a" * 1_000_000)})
    response = await client.post(
        "/graphql", content=huge, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "102400" in response.json()["errors"][0]["message"]


async def test_several_operations_without_an_operation_name_are_refused(
    client: httpx.AsyncClient,
) -> None:
    document = 'query A { __typename } query B { country(code: "BE") { name } }'
    refused = await client.post("/graphql", json={"query": document})
    assert "operationName" in refused.json()["errors"][0]["message"]
    assert "data" not in refused.json()
    chosen = await client.post("/graphql", json={"query": document, "operationName": "B"})
    assert chosen.json()["data"] == ANSWER


async def test_a_mutation_over_get_is_405_allowing_post(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": "mutation { __typename }"})
    assert response.status_code == 405 and response.headers["allow"] == "POST"


async def test_get_takes_variables_as_json(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql",
        params={
            "query": "query($c: String!) { country(code: $c) { name } }",
            "variables": '{"c": "BE"}',
        },
    )
    assert response.json()["data"] == ANSWER
    bad = await client.get("/graphql", params={"query": QUERY, "variables": "{nope"})
    assert bad.status_code == 400


async def test_every_response_carries_a_request_id(client: httpx.AsyncClient) -> None:
    for response in (
        await client.post("/graphql", json={"query": QUERY}),
        await client.post("/graphql", content=b"{", headers={"Content-Type": "application/json"}),
        await client.get("/healthz"),
        await client.get("/no-such-page"),
    ):
        assert len(response.headers["x-request-id"]) >= 16
    given = await client.get("/healthz", headers={"X-Request-ID": "trace-42"})
    assert given.headers["x-request-id"] == "trace-42"


def _unrated(response: httpx.Response) -> object:
    """A response's body without where the client's budget stands."""
    try:
        body = response.json()
    except ValueError:
        return response.content
    if isinstance(body, dict):
        body.get("extensions", {}).get("cost", {}).pop("rateLimit", None)
    return body


async def test_a_post_from_a_browser_and_one_from_a_script_are_answered_alike(
    client: httpx.AsyncClient,
) -> None:
    # A POST without an Origin header takes the short way to the endpoint (server.app.App);
    # one with it goes through the routes and the CORS middleware, which adds its headers.
    json_body = {"Content-Type": "application/json"}
    requests: list[tuple[bytes, dict[str, str]]] = [
        (json.dumps({"query": QUERY}).encode(), json_body),
        (b'{"query": "{ nope }"}', {**json_body, "Accept": GRAPHQL_RESPONSE}),
        (b"{", json_body),
        (json.dumps({"query": QUERY}).encode(), {**json_body, "X-Request-ID": "trace-7"}),
    ]
    cors = {"access-control-allow-origin", "access-control-expose-headers", "vary"}
    for content, headers in requests:
        script = await client.post("/graphql", content=content, headers=headers)
        browser = await client.post(
            "/graphql", content=content, headers={**headers, "Origin": "https://example.org"}
        )
        # Alike but for the budget, which each request spends.
        assert (script.status_code, _unrated(script)) == (browser.status_code, _unrated(browser))
        assert browser.headers["access-control-allow-origin"] == "*"
        assert not cors & set(script.headers)
        rated = {name for name in browser.headers if name.startswith("x-ratelimit-")}
        assert rated == {name for name in script.headers if name.startswith("x-ratelimit-")}
        same = set(browser.headers) - cors - rated - {"x-request-id"}
        assert {name: script.headers[name] for name in same} == {
            name: browser.headers[name] for name in same
        }
        for answer in (script, browser):
            given = headers.get("X-Request-ID")
            assert (
                answer.headers["x-request-id"] == given or len(answer.headers["x-request-id"]) == 32
            )
    assert script.headers["x-request-id"] == browser.headers["x-request-id"] == "trace-7"


async def test_batches_are_refused_unless_switched_on(client_for: ClientFor) -> None:
    batch = [{"query": QUERY}, {"query": "{ __typename }"}]
    async with client_for() as client:
        response = await client.post("/graphql", json=batch)
        assert response.status_code == 400 and "switched off" in response.text
    async with client_for(batching=True) as client:
        response = await client.post("/graphql", json=batch)
        assert [item["data"] for item in response.json()] == [ANSWER, {"__typename": "Query"}]
        too_many = await client.post("/graphql", json=[{"query": QUERY}] * 11)
        assert too_many.status_code == 400 and "11" in too_many.text
        not_objects = await client.post("/graphql", json=["{ __typename }"])
        assert not_objects.status_code == 400


async def test_cors_allows_any_origin_by_default_without_credentials(
    client: httpx.AsyncClient,
) -> None:
    preflight = await client.options(
        "/graphql",
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in preflight.headers


async def test_cors_origins_can_be_restricted(client_for: ClientFor) -> None:
    async with client_for(cors_origins=("https://app.example",)) as client:
        allowed = await client.get("/healthz", headers={"Origin": "https://app.example"})
        other = await client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://app.example"
        assert "access-control-allow-origin" not in other.headers
