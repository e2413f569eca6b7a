"""Caching for frontends and CDNs: ETags on GET, and automatic persisted queries."""

import hashlib
import json

import httpx
import pytest
from conftest import ClientFor

from server.settings import Settings

QUERY = '{ country(code: "MY") { name } }'
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def _persisted(sha256: str = HASH) -> str:
    return json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256}})


async def test_get_queries_carry_an_etag_and_are_revalidated_every_time(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/graphql", params={"query": QUERY})
    # no-cache: a browser asks again (and gets a 304) rather than show an answer older than
    # its own write.
    assert response.headers["cache-control"] == "no-cache"
    etag = response.headers["etag"]
    again = await client.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = await client.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": '"x"'})
    assert other.status_code == 200


async def test_a_max_age_is_an_opt_in_of_read_only_deployments(client_for: ClientFor) -> None:
    assert Settings.from_env({}).cache_max_age == 0
    assert Settings.from_env({"BILATERAL_CACHE_MAX_AGE": "300"}).cache_max_age == 300
    async with client_for(cache_max_age=5) as client:
        response = await client.get("/graphql", params={"query": QUERY})
        assert response.headers["cache-control"] == "public, max-age=5"


async def test_the_etag_differs_with_the_media_type(client: httpx.AsyncClient) -> None:
    tags = set()
    for accept in ("application/json", "application/graphql-response+json"):
        response = await client.get("/graphql", params={"query": QUERY}, headers={"Accept": accept})
        assert response.status_code == 200
        tags.add(response.headers["etag"])
    assert len(tags) == 2


async def test_head_answers_as_get_without_a_body(client: httpx.AsyncClient) -> None:
    got = await client.get("/graphql", params={"query": QUERY})
    head = await client.head("/graphql", params={"query": QUERY})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == got.headers["etag"]
    assert head.headers["content-type"] == got.headers["content-type"]
    again = await client.head(
        "/graphql", params={"query": QUERY}, headers={"If-None-Match": got.headers["etag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize(
    "header",
    ["traceparent", "sentry-trace", "baggage", "apollographql-client-name", "content-type"],
)
async def test_preflights_allow_the_tracing_and_client_headers(
    client: httpx.AsyncClient, header: str
) -> None:
    response = await client.options(
        "/graphql",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": header,
        },
    )
    assert response.status_code == 200, response.text
    assert header in response.headers["access-control-allow-headers"].lower()


async def test_the_allowed_headers_are_configurable(client_for: ClientFor) -> None:
    settings = Settings.from_env({"BILATERAL_CORS_HEADERS": "Content-Type, x-team"})
    assert settings.cors_headers == ("Content-Type", "x-team")
    async with client_for(cors_headers=settings.cors_headers) as client:
        preflight = {
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
        }
        allowed = await client.options(
            "/graphql", headers={**preflight, "Access-Control-Request-Headers": "x-team"}
        )
        refused = await client.options(
            "/graphql", headers={**preflight, "Access-Control-Request-Headers": "traceparent"}
        )
        assert (allowed.status_code, refused.status_code) == (200, 400)


async def test_posts_and_errors_are_not_cached(client: httpx.AsyncClient) -> None:
    posted = await client.post("/graphql", json={"query": QUERY})
    assert posted.headers["cache-control"] == "no-store" and "etag" not in posted.headers
    failed = await client.get("/graphql", params={"query": "{ nosuch }"})
    assert failed.headers["cache-control"] == "no-store"


async def test_an_unknown_persisted_hash_asks_for_the_query(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"extensions": _persisted()})
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_persisted_query_runs_by_hash_once_registered(client: httpx.AsyncClient) -> None:
    registered = await client.post(
        "/graphql", json={"query": QUERY, "extensions": json.loads(_persisted())}
    )
    assert registered.json()["data"] == {"country": {"name": "Malaysia"}}
    by_hash = await client.get("/graphql", params={"extensions": _persisted()})
    assert by_hash.json()["data"] == {"country": {"name": "Malaysia"}}
    assert by_hash.headers["etag"]


async def test_a_hash_that_is_not_the_querys_is_refused(client: httpx.AsyncClient) -> None:
    wrong = hashlib.sha256(b"something else").hexdigest()
    response = await client.post(
        "/graphql", json={"query": QUERY, "extensions": json.loads(_persisted(wrong))}
    )
    assert response.status_code == 400


async def test_the_persisted_query_store_is_bounded(client_for: ClientFor) -> None:
    async with client_for(persisted_queries=1) as client:
        other = "{ __typename }"
        other_hash = hashlib.sha256(other.encode()).hexdigest()
        for query, sha256 in ((QUERY, HASH), (other, other_hash)):
            await client.post(
                "/graphql", json={"query": query, "extensions": json.loads(_persisted(sha256))}
            )
        evicted = await client.get("/graphql", params={"extensions": _persisted(HASH)})
        kept = await client.get("/graphql", params={"extensions": _persisted(other_hash)})
        assert evicted.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        assert kept.json()["data"] == {"__typename": "Query"}
