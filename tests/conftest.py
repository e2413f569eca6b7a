"""Fixtures: a fresh seeded database per test (SQLite, or PostgreSQL with TEST_DATABASE_URL), and the app over HTTP in front of it.

Also the suite's options and markers: `slow` marks the tests `make test` leaves to
`make test-slow`, and `--record-corpus` writes tests/corpus.json (tests/corpus.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import corpus
import differential
import httpx
import pytest
import uvicorn
from databases import Databases, Template, drop_shared
from sqlalchemy import event
from starlette.applications import Starlette

from schema import loaders
from server.app import create_app
from server.settings import Settings

GraphQL = Callable[..., Awaitable[dict[str, Any]]]
Failing = Callable[..., Awaitable[str]]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--record-corpus",
        action="store_true",
        help="run only the tests that send queries, and add what they send to tests/corpus.json",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "slow: runs servers in processes of its own, loads the world, or generates many cases;"
        " `make test` leaves it out, `make test-slow` runs it",
    )
    config.stash[_RECORDER] = corpus.Recorder() if config.getoption("--record-corpus") else None


_RECORDER = pytest.StashKey[corpus.Recorder | None]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """When recording the corpus, only the tests that send queries through `graphql` run."""
    if config.stash[_RECORDER] is None:
        return
    sending = [item for item in items if "graphql" in getattr(item, "fixturenames", ())]
    config.hook.pytest_deselected(items=[item for item in items if item not in sending])
    items[:] = sending


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not hasattr(session.config, "workerinput"):  # the run's main process, after its workers
        drop_shared(_run_folder(session.config))
    recorder = session.config.stash[_RECORDER]
    if recorder is not None and exitstatus == 0 and not hasattr(session.config, "workerinput"):
        corpus.save(recorder.merged(corpus.load()))


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    """The session's seeded database, made when a test first asks for a copy of it."""
    made = Template(tmp_path_factory.mktemp("template"), _start_and_stop)
    yield made
    made.drop()


async def _start_and_stop(url: str) -> None:
    """The app's start-up and shut-down on a database: a new one comes out migrated and seeded."""
    async with started(Settings(database_url=url, seed_world=False)):
        pass


def _run_folder(config: pytest.Config) -> Path:
    """The run's temporary folder, which its pytest-xdist workers' folders are in."""
    base: Path = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    return base.parent if hasattr(config, "workerinput") else base


@pytest.fixture(scope="session")
def world_template(request: pytest.FixtureRequest) -> Iterator[Template]:
    """The run's database loaded as `make run` loads one, by `bilateral seed --world` (the
    article, the world's posts, the Office of the Historian's posts, chiefs of mission and
    events), made when a test first asks for a copy of it: `Databases(folder,
    world_template).seeded()`. The load takes half a minute, a copy a moment; it is made
    once for the whole run, by the first worker to need it."""
    made = Template(_run_folder(request.config), _seed_world, ahead=False, shared="world")
    yield made
    made.drop()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, world_template: Template) -> Iterator[str]:
    """A database loaded as the first start loads it, for one test module to read: a copy
    of the run's `world_template`."""
    databases = Databases(tmp_path_factory.mktemp("world"), world_template)
    yield databases.seeded()
    databases.drop_all()


async def _seed_world(url: str) -> None:
    def seed() -> None:
        from server.cli import main

        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("DATABASE_URL", url)
            assert main(["seed", "--world"]) == 0

    await asyncio.to_thread(seed)


@pytest.fixture
def databases(tmp_path: Path, template: Template) -> Iterator[Databases]:
    """Databases for this test, empty (`new`) or seeded (`seeded`), removed after it."""
    made = Databases(tmp_path, template)
    yield made
    made.drop_all()


# The fixtures that start the app on the test's database, whose start-up would seed it.
_STARTING = {"app", "client_for"}


@pytest.fixture
def database_url(databases: Databases, request: pytest.FixtureRequest) -> str:
    """The test's own database, empty until the app starts on it.

    For a test that starts the app through `app` (and so `client`, `graphql`, `data`,
    `editor`, …) or `client_for`, it is a copy of the template: what that start-up would
    have made of an empty database, made in a fraction of the time. Any other test gets
    an empty one, as the migration, seed and import tests need.
    """
    if _STARTING & set(request.fixturenames):
        return databases.seeded()
    return databases.new()


@contextlib.asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the real app for these settings, started (and so seeded with the article)."""
    async with started(settings) as application, client_of(application) as http:
        yield http


@contextlib.asynccontextmanager
async def started(settings: Settings) -> AsyncIterator[Starlette]:
    """The real app for these settings, through its start-up and shut-down."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@contextlib.asynccontextmanager
async def listening(settings: Settings) -> AsyncIterator[str]:
    """The real app for these settings on a real socket, in this process; yields its base URL.

    For socket tests that change the app's code with monkeypatch, which a server process
    would not see.
    """
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    running = asyncio.create_task(server.serve())
    while not server.started:
        if running.done():
            running.result()  # raises what stopped it
        await asyncio.sleep(0.05)
    [bound] = [s for listener in server.servers for s in listener.sockets]
    try:
        yield f"http://127.0.0.1:{bound.getsockname()[1]}"
    finally:
        server.should_exit = True
        await running


def client_of(application: Starlette) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=application)
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


ClientFor = Callable[..., contextlib.AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def client_for(database_url: str) -> ClientFor:
    """A client of the app with some settings changed: `async with client_for(batching=True)`."""

    def start(**changes: Any) -> contextlib.AbstractAsyncContextManager[httpx.AsyncClient]:
        return serving(
            dataclasses.replace(Settings(database_url=database_url, seed_world=False), **changes)
        )

    return start


@pytest.fixture
async def app(database_url: str) -> AsyncIterator[Starlette]:
    """The real app on a fresh database, started (and so seeded with the article)."""
    async with started(Settings(database_url=database_url, seed_world=False)) as application:
        yield application


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with client_of(app) as http:
        yield http


@pytest.fixture
def slow_relations(monkeypatch: pytest.MonkeyPatch) -> None:
    """A country's relations take 5 s to load: a request that asks for them outlasts a short
    time limit."""
    original = loaders.Loaders.matching  # the loader of a country's relations, among others

    def slowed(self: loaders.Loaders, *args: Any) -> Any:
        loader = original(self, *args)
        fetch = loader.load_fn

        async def slow(keys: Any) -> Any:
            await asyncio.sleep(5)
            return await fetch(keys)

        loader.load_fn = slow
        return loader

    monkeypatch.setattr(loaders.Loaders, "matching", slowed)


@pytest.fixture(scope="session")
def recorded() -> dict[corpus.Request, str]:
    """The requests in tests/corpus.json, which test_corpus.py compares on both paths."""
    return corpus.load()


@pytest.fixture
def graphql(
    app: Starlette,
    client: httpx.AsyncClient,
    recorded: dict[corpus.Request, str],
    request: pytest.FixtureRequest,
) -> GraphQL:
    """POST a query and return the whole JSON answer, asserting the HTTP exchange worked.

    Every query sent this way also runs on the resolvers alone, and the two answers must
    be the same (tests/differential.py): the whole suite is the differential test. The
    queries of tests/corpus.json are compared once, by test_corpus.py; one the file does
    not hold yet is compared here, as it is sent.
    """
    recorder = request.config.stash[_RECORDER]

    async def send(query: str, **variables: Any) -> dict[str, Any]:
        response = await client.post("/graphql", json={"query": query, "variables": variables})
        assert response.status_code == 200, response.text
        sent = corpus.Request.of(query, variables)
        if recorder is not None:
            recorder.add(sent, request.node.nodeid)
        elif sent not in recorded:
            differential.unrecorded += 1
            await differential.compare(app, client, query, variables, response.content)
        return unrated(response.json())

    return send


def unrated(body: dict[str, Any]) -> dict[str, Any]:
    """An answer without where the client's budget stands (`extensions.cost.rateLimit`),
    which every request moves: tests compare answers without it (tests/test_budget.py
    reads it)."""
    cost = (body.get("extensions") or {}).get("cost")
    if isinstance(cost, dict):
        cost.pop("rateLimit", None)
    return body


@pytest.fixture
def data(graphql: GraphQL) -> GraphQL:
    """POST a query that must succeed and return its `data`."""

    async def send(query: str, **variables: Any) -> dict[str, Any]:
        body = await graphql(query, **variables)
        assert "errors" not in body, body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    return send


@pytest.fixture
def error(graphql: GraphQL) -> Failing:
    """POST a query that must fail and return its first error's message, checked for leaks."""

    async def send(query: str, **variables: Any) -> str:
        body = await graphql(query, **variables)
        assert body.get("errors"), body
        message: str = body["errors"][0]["message"]
        assert "Traceback" not in message and "sqlalchemy" not in message.lower()
        return message

    return send


class StatementCounter:
    """Counts the SQL statements the app runs while it is switched on.

    Those of its engine (resolvers, writes) and those compiled queries run on their own.
    """

    def __init__(self, app: Starlette | None = None) -> None:
        plans = app.state.operations.plans if app is not None else None
        self.compiled = plans.statements if plans is not None else None
        self.compiled_start = self.compiled.executed if self.compiled is not None else 0
        self.engine_count = 0

    def __call__(self, _connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if (
            "rate_usage" not in statement
        ):  # the budgets' sharing, once a second, is not the request's
            self.engine_count += 1

    @property
    def count(self) -> int:
        compiled = self.compiled.executed - self.compiled_start if self.compiled else 0
        return self.engine_count + compiled


@pytest.fixture
def statements(app: Starlette) -> Iterator[StatementCounter]:
    counter = StatementCounter(app)
    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", counter)
    yield counter
    event.remove(engine, "before_cursor_execute", counter)


async def make_token(app: Starlette, name: str, role: str) -> str:
    """A bearer token made straight in the app's database, as `bilateral token create` would."""
    from db.models import Role
    from db.session import make_sessions
    from db.tokens import create_token

    sessions = make_sessions(app.state.engine)
    async with sessions() as session, session.begin():
        return await create_token(session, name, Role(role))


@pytest.fixture
async def editor(app: Starlette, client: httpx.AsyncClient) -> GraphQL:
    """POST a query as the editor `alice` and return the whole JSON answer."""
    token = await make_token(app, "alice", "editor")

    async def send(query: str, **variables: Any) -> dict[str, Any]:
        response = await client.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return send


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many of the suite's queries the differential check compared, and on which path."""
    if differential.tally:
        counts = ", ".join(f"{count} {kind}" for kind, count in sorted(differential.tally.items()))
        terminalreporter.write_line(f"differential check of the suite's queries: {counts}")
    if differential.unrecorded:
        terminalreporter.write_line(
            f"{differential.unrecorded} of them were compared as sent, not being in"
            " tests/corpus.json yet: `make corpus` records them"
        )
