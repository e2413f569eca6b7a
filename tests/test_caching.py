"""Caching for frontends and CDNs: ETags on GET, and automatic persisted queries."""

import hashlib
import json

import httpx
from conftest import ClientFor

QUERY = '{ country(code: "MY") { name } }'
HASH = hashlib.sha256(QUERY.encode()).hexdigest()


def _persisted(sha256: str = HASH) -> str:
    return json.dumps({"persistedQuery": {"version": 1, "sha256Hash": sha256}})


async def test_get_queries_carry_an_etag_and_public_cache_control(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/graphql", params={"query": QUERY})
    assert response.headers["cache-control"] == "public, max-age=60"
    etag = response.headers["etag"]
    again = await client.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = await client.get("/graphql", params={"query": QUERY}, headers={"If-None-Match": '"x"'})
    assert other.status_code == 200


async def test_max_age_comes_from_settings(client_for: ClientFor) -> None:
    async with client_for(cache_max_age=5) as client:
        response = await client.get("/graphql", params={"query": QUERY})
        assert response.headers["cache-control"] == "public, max-age=5"


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
    assert registered.json() == {"data": {"country": {"name": "Malaysia"}}}
    by_hash = await client.get("/graphql", params={"extensions": _persisted()})
    assert by_hash.json() == {"data": {"country": {"name": "Malaysia"}}}
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
        assert kept.json() == {"data": {"__typename": "Query"}}
