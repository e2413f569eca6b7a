"""State that must be shared between server processes is in the database: persisted queries
and tokens. Two processes serve one database; what one learns, the other knows at once."""

from __future__ import annotations

import hashlib
import subprocess

import httpx
import pytest
from servers import BILATERAL, serving
from sockets import _create_event, _prepare

# Slow: servers in processes of their own.
pytestmark = pytest.mark.slow

QUERY = '{ country(code: "MY") { name } }'
HASH = hashlib.sha256(QUERY.encode()).hexdigest()
PERSISTED = {"persistedQuery": {"version": 1, "sha256Hash": HASH}}


def test_a_hash_registered_through_one_process_runs_on_another(database_url: str) -> None:
    with serving(database_url) as first, serving(database_url) as second:
        unknown = httpx.post(f"{second}/graphql", json={"extensions": PERSISTED})
        assert unknown.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        registered = httpx.post(f"{first}/graphql", json={"query": QUERY, "extensions": PERSISTED})
        assert registered.json()["data"] == {"country": {"name": "Malaysia"}}
        by_hash = httpx.post(f"{second}/graphql", json={"extensions": PERSISTED})
        assert by_hash.json()["data"] == {"country": {"name": "Malaysia"}}


def test_a_revoked_token_stops_working_on_every_process_at_once(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    token = _prepare(database_url, monkeypatch, capsys)
    headers = {"Authorization": f"Bearer {token}"}
    with serving(database_url) as first, serving(database_url) as second:
        for base in (first, second):  # each process has used the token, and could remember it
            written = httpx.post(
                f"{base}/graphql", json={"query": _create_event(f"Before {base}")}, headers=headers
            )
            assert written.json()["data"]["createEvent"]["userErrors"] == []
        subprocess.run(
            [str(BILATERAL), "token", "revoke", "live"],
            env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
            check=True,
            capture_output=True,
        )
        for base in (first, second):
            refused = httpx.post(
                f"{base}/graphql", json={"query": _create_event("After")}, headers=headers
            )
            assert refused.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
