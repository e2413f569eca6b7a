"""When PostgreSQL goes away: requests fail fast and clearly, and the server recovers by itself.

The database is cut off without touching the shared server: the app reaches it through a
small TCP proxy inside the test, and the test cuts the proxy.
"""

import asyncio
import contextlib
import dataclasses

import pytest
from conftest import serving
from databases import ON_POSTGRESQL
from servers import free_port
from sqlalchemy.engine import make_url

from server.settings import Settings

pytestmark = pytest.mark.skipif(
    not ON_POSTGRESQL, reason="the database is across a network only on PostgreSQL"
)


class Proxy:
    """Forwards a local port to the database; `cut` drops every connection and refuses new ones."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.server: asyncio.Server | None = None
        self.links: set[asyncio.StreamWriter] = set()

    async def open(self) -> None:
        self.server = await asyncio.start_server(
            self._link, "127.0.0.1", self.port, reuse_address=True
        )

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.links |= {writer, upstream_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.close()

        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()
        for link in self.links:
            link.transport.abort()
        self.links.clear()


QUERY = '{ country(code: "MY") { name embassies { name } } }'
# How long the request with the database away may take before the test calls it a hang: far
# above the few seconds connecting may take (db/session.py) and the request time limit (10 s).
GUARD = 60


async def test_requests_fail_fast_while_the_database_is_away_and_recover_after(
    database_url: str,
) -> None:
    url = make_url(database_url)
    proxy = Proxy(url.host or "127.0.0.1", url.port or 5432)
    await proxy.open()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    settings = dataclasses.replace(Settings(database_url=proxied, seed_world=False))
    async with serving(settings) as client:
        assert (await client.post("/graphql", json={"query": QUERY})).status_code == 200

        await proxy.cut()
        # It fails as unavailable, not as the time limit's TIMEOUT: it did not wait that out.
        down = await asyncio.wait_for(client.post("/graphql", json={"query": QUERY}), GUARD)
        body = down.json()
        assert down.status_code == 503
        assert body["data"] == {"country": None}
        assert body["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert body["errors"][0]["message"] == "The database is unavailable; try again shortly."
        health = await client.get("/healthz")
        assert health.status_code == 503 and health.json()["status"] == "unavailable"

        await proxy.open()
        recovered = await client.post("/graphql", json={"query": QUERY})
        assert recovered.status_code == 200
        assert recovered.json()["data"]["country"]["name"] == "Malaysia"
        assert (await client.get("/healthz")).status_code == 200
    await proxy.cut()
