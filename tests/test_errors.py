"""Errors: the unexpected is masked and logged under the request ID; the rest stays clear."""

import logging
from typing import Any

import httpx
import pytest
from conftest import ClientFor

from schema.loaders import Loaders


def _explode(*_: Any) -> Any:
    async def fetch(*_: Any) -> Any:
        raise RuntimeError("SELECT secret FROM /srv/bilateral/db.py line 42")

    return fetch


async def test_an_unexpected_error_is_masked_with_a_request_id_and_logged(
    client_for: ClientFor, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(Loaders, "_on_date", _explode)
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
