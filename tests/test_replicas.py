"""Read replicas: reads go to a real streaming replica, writes and the feed stay on the primary,
a client's own writes are read back, and a replica that lags or dies is taken out of rotation."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from servers import BILATERAL, serving
from sockets import Subscriber

from bench.replication import MISSING, Pair, primary_and_replica, server_binaries

BINARIES = server_binaries()
# Slow: a PostgreSQL primary and replica of its own, and servers in processes.
pytestmark = [pytest.mark.slow, pytest.mark.skipif(BINARIES is None, reason=MISSING)]

CREATE = """mutation($title: String!) { createEvent(input: {title: $title, kind: POLITICAL,
    date: "2026-05", summary: "A visit.", countries: ["BE", "MY"],
    sources: [{title: "Bernama"}]}) { event { id } userErrors { code } } }"""
READ = "query($id: ID!) { node(id: $id) { ... on Event { title } } }"


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    assert BINARIES is not None
    with primary_and_replica(BINARIES) as made:
        yield made


class Client:
    """A client of one served app: an editor's token, and the log position of its last write."""

    def __init__(self, base: str, token: str) -> None:
        self.http = httpx.Client(base_url=base, timeout=30)
        self.token = token
        self.lsn: str | None = None

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_: object) -> None:
        self.http.close()

    def send(self, query: str, *, own_writes: bool = True, **variables: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if own_writes and self.lsn:
            headers["X-Bilateral-LSN"] = self.lsn
        response = self.http.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        if "X-Bilateral-LSN" in response.headers:
            assert response.headers["X-Bilateral-LSN"] == body["extensions"]["lsn"]
            self.lsn = response.headers["X-Bilateral-LSN"]
        return body

    def create(self, title: str) -> str:
        event_id: str = self.send(CREATE, title=title)["data"]["createEvent"]["event"]["id"]
        return event_id

    def title(self, event_id: str, *, own_writes: bool = True) -> str | None:
        node = self.send(READ, own_writes=own_writes, id=event_id)["data"]["node"]
        return None if node is None else str(node["title"])


def _database(pair: Pair) -> tuple[str, str]:
    return pair.new_database(f"bilateral_test_{uuid.uuid4().hex[:12]}")


def _token(primary_url: str) -> str:
    made = subprocess.run(
        [str(BILATERAL), "token", "create", "--name", "editor", "--role", "editor"],
        env={"DATABASE_URL": primary_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return made.stdout.strip()


@pytest.fixture
def served(pair: Pair) -> Iterator[Client]:
    """The app on a new database of the primary, reading from the replica; max lag 5 minutes."""
    primary_url, replica_url = _database(pair)
    environment = {"DATABASE_REPLICA_URLS": replica_url, "DATABASE_REPLICA_MAX_LAG_SECONDS": "300"}
    with serving(primary_url, environment=environment) as base:
        token = _token(primary_url)
        pair.wait_for_replay()
        with Client(base, token) as client:
            yield client
    pair.resume_replay()


def _eventually(check: Any, seconds: float = 30) -> None:
    """Wait for a condition the server reaches in the background (its replica checks)."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the condition was never reached"
        time.sleep(0.2)


def test_reads_go_to_the_replica_and_writes_to_the_primary(pair: Pair, served: Client) -> None:
    pair.pause_replay()
    event_id = served.create("Written on the primary")
    # The replica has not replayed the write: a read that does not ask for it is served there.
    assert served.title(event_id, own_writes=False) is None
    pair.resume_replay()
    pair.wait_for_replay()
    assert served.title(event_id, own_writes=False) == "Written on the primary"
    scraped = _replica_figures(served.http.get("/metrics").text)
    assert scraped["bilateral_replica_in_rotation"] == 1
    assert scraped["bilateral_replica_taken_out_total"] == 0


def test_a_client_reads_its_own_write_while_the_replica_replays_nothing(
    pair: Pair, served: Client
) -> None:
    pair.pause_replay()
    event_id = served.create("Read your writes")
    assert served.lsn is not None
    assert served.title(event_id) == "Read your writes"  # from the primary, by the LSN sent
    assert served.title(event_id, own_writes=False) is None  # the replica is still behind
    pair.resume_replay()
    pair.wait_for_replay()
    # Caught up, the replica serves the client's reads again, though they carry its LSN:
    # paused once more, it lacks another client's later write, and the client reads that gap.
    pair.pause_replay()
    with Client(str(served.http.base_url), served.token) as other:
        second = other.create("Another client's write")
    assert served.title(event_id) == "Read your writes"
    assert served.title(second) is None


def test_a_malformed_lsn_is_refused_with_400(served: Client) -> None:
    response = served.http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"X-Bilateral-LSN": "yesterday"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_a_lagging_replica_leaves_the_rotation(pair: Pair) -> None:
    primary_url, replica_url = _database(pair)
    environment = {"DATABASE_REPLICA_URLS": replica_url, "DATABASE_REPLICA_MAX_LAG_SECONDS": "1"}
    with contextlib.ExitStack() as stack, serving(primary_url, environment=environment) as base:
        client = stack.enter_context(Client(base, _token(primary_url)))
        pair.wait_for_replay()
        pair.pause_replay()
        try:
            event_id = client.create("Behind the replica")
            # Once its replay is more than a second behind, reads go to the primary.
            _eventually(lambda: client.title(event_id, own_writes=False) is not None)
            # The scrape says so: out of the rotation, behind by more than a second, taken out once.
            scraped = _replica_figures(client.http.get("/metrics").text)
            assert scraped["bilateral_replica_in_rotation"] == 0
            assert scraped["bilateral_replica_lag_seconds"] > 1
            assert scraped["bilateral_replica_taken_out_total"] >= 1
        finally:
            pair.resume_replay()


def _replica_figures(text: str) -> dict[str, float]:
    """The one replica's figures in a scrape, by metric name (one serving process)."""
    from prometheus_client.parser import text_string_to_metric_families

    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.labels.get("replica") == "replica 1"
    }


def test_a_replica_killed_and_restarted_mid_run_fails_no_read(pair: Pair, served: Client) -> None:
    event_id = served.create("Through an outage")
    pair.wait_for_replay()
    pair.replica.stop("immediate")
    try:
        # Every read is answered while the replica is down: by the primary.
        for _ in range(20):
            assert served.title(event_id, own_writes=False) == "Through an outage"
    finally:
        pair.replica.start()
    pair.wait_for_replay()
    pair.pause_replay()
    later = served.create("Only on the primary")
    # Back in rotation once a check finds it: the replica, paused, does not have the new event.
    _eventually(lambda: served.title(later, own_writes=False) is None)
    assert served.title(later) == "Only on the primary"


def test_subscriptions_still_deliver_with_a_replica(pair: Pair, served: Client) -> None:
    base = str(served.http.base_url).rstrip("/")

    async def listen() -> dict[str, Any]:
        query = 'subscription { eventAdded(countries: ["MY"]) { title } }'
        async with Subscriber(base, query) as subscriber:
            await asyncio.to_thread(served.create, "Heard live")
            return await subscriber.next(timeout=10)

    message = asyncio.run(listen())
    assert message["payload"]["data"] == {"eventAdded": {"title": "Heard live"}}


def test_no_replica_url_means_no_lsn_in_answers(pair: Pair) -> None:
    primary_url, _ = _database(pair)
    with serving(primary_url) as base, Client(base, _token(primary_url)) as client:
        client.create("No replicas here")
        assert client.lsn is None
