"""Errors: the unexpected is masked and logged under the request ID; the rest stays clear."""

import logging
from typing import Any

import httpx
import pytest
from conftest import ClientFor
from strawberry.dataloader import DataLoader

from schema.loaders import Loaders


def _explode(*_: Any) -> Any:
    """A loader whose every batch fails, with a message that must not reach the client."""

    async def fetch(*_: Any) -> Any:
        raise RuntimeError("SELECT secret FROM /srv/bilateral/db.py line 42")

    return DataLoader(load_fn=fetch, cache=False)


async def test_an_unexpected_error_is_masked_with_a_request_id_and_logged(
    client_for: ClientFor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(Loaders, "on_date", _explode)  # a post's head on a date
    query = '{ country(code: "MY") { name embassies { name head { title } } } }'
    with caplog.at_level(logging.ERROR, logger="bilateral.errors"):
        async with client_for(compiled=False) as client:  # a resolver fails
            response = await client.post("/graphql", json={"query": query})
    body = response.json()
    request_id = response.headers["x-request-id"]
    assert response.status_code == 200
    assert body["data"] == {
        "country": {
            "name": "Malaysia",
            "embassies": [{"name": "Embassy of Malaysia, Brussels", "head": None}],
        }
    }
    assert body["errors"] == [
        {
            "message": "Internal server error",
            "locations": [{"line": 1, "column": 47}],
            "path": ["country", "embassies", 0, "head"],
            "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
        }
    ]
    assert "secret" not in response.text and "Traceback" not in response.text
    logged = [record for record in caplog.records if request_id in record.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert "SELECT secret" in str(logged[0].exc_info[1])


async def test_argument_errors_keep_their_message(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": '{ relation(between: ["BE"]) { id } }'})
    assert response.json()["errors"][0]["message"] == (
        "Argument 'between' must hold exactly two country codes; got 1."
    )


async def test_validation_errors_keep_their_message(client: httpx.AsyncClient) -> None:
    response = await client.post("/graphql", json={"query": "{ country(code: 5) { name } }"})
    error = response.json()["errors"][0]
    assert (
        "String" in error["message"] and error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    )


CODED = [
    ("{ events(first: 500) { totalCount } }", {}, "LIMIT_EXCEEDED"),
    ("{ events(first: -1) { totalCount } }", {}, "BAD_USER_INPUT"),
    ('{ events(after: "not-a-cursor") { totalCount } }', {}, "BAD_USER_INPUT"),
    ('{ node(id: "not-an-id") { id } }', {}, "BAD_USER_INPUT"),
    ('{ missions(country: "ZZ") { totalCount } }', {}, "BAD_USER_INPUT"),
    ('{ relation(between: ["BE"]) { established } }', {}, "BAD_USER_INPUT"),
    ("query($c: String!) { country(code: $c) { name } }", {"c": 5}, "BAD_USER_INPUT"),
    ("query($c: String!) { country(code: $c) { name } }", {}, "BAD_USER_INPUT"),
    (
        "query($d: PartialDate) { events(filter: {from: $d}) { totalCount } }",
        {"d": "2020-13"},
        "BAD_USER_INPUT",
    ),
    ('{ events(filter: {from: "2020-13"}) { totalCount } }', {}, "GRAPHQL_VALIDATION_FAILED"),
    ("{ nosuchfield }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ("{ country(code: ", {}, "GRAPHQL_PARSE_FAILED"),
]


@pytest.mark.parametrize(("query", "variables", "code"), CODED)
async def test_every_error_carries_a_code(
    client: httpx.AsyncClient, query: str, variables: dict[str, Any], code: str
) -> None:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    errors = response.json()["errors"]
    assert [error["extensions"]["code"] for error in errors] == [code] * len(errors)


async def test_a_refused_request_carries_a_code_too(client: httpx.AsyncClient) -> None:
    query = '{ country(code: "MY") { name } }'
    wrong = "0" * 64
    mismatch = await client.post(
        "/graphql",
        json={
            "query": query,
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": wrong}},
        },
    )
    assert mismatch.status_code == 400
    assert mismatch.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    text = await client.post("/graphql", content=query, headers={"Content-Type": "text/plain"})
    assert text.status_code == 415
    assert text.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"
    mutation = await client.get("/graphql", params={"query": "mutation { __typename }"})
    assert mutation.status_code == 405
    assert mutation.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
