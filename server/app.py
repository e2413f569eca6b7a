"""The Starlette application: GraphQL at /graphql (HTTP and WebSocket), /healthz, the explorer at /."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send

from db import statements
from db.feed import Feed
from db.migrate import ensure_schema
from db.replicas import Database, Replicas
from db.session import Writer, make_engine, make_sessions
from schema import schema
from schema.compiled.plans import Plans
from schema.errors import UNAVAILABLE, is_outage
from schema.execution import Operations
from seed.load import WORLD, seed_database
from server.docs import docs_routes
from server.explorer import explorer_routes, graphiql_html
from server.http import LSN, GraphQLEndpoint
from server.live import SubscriptionEndpoint
from server.request_id import HEADER, RequestIdMiddleware
from server.settings import Settings

log = logging.getLogger("bilateral.app")


async def prepare_database(
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    *,
    world: bool,
    pooled: bool = False,
) -> None:
    """Set up a new database (schema, the article, the world's posts and US chiefs of mission if
    asked for); refuse one
    whose schema is behind."""
    await ensure_schema(engine, pooled=pooled)
    await seed_database(sessions, world=WORLD if world else None, history=world)


def create_app(settings: Settings | None = None) -> Starlette:
    """The app for these settings (default: from the environment)."""
    settings = settings or Settings.from_env()
    pooled = settings.pool_mode == "transaction"
    engine = make_engine(settings.database_url, pooled=pooled)
    sessions = make_sessions(engine)
    plans = _plans(settings, engine, pooled)
    replicas = Replicas(
        Database("the primary", engine, sessions, plans.statements if plans else None),
        [
            _replica(f"replica {number}", url, pooled=pooled, compiled=plans is not None)
            for number, url in enumerate(settings.replica_urls, 1)
        ],
        settings.replica_max_lag_seconds,
    )
    operations = Operations(
        schema._schema, settings.limits, timeout=settings.timeout_seconds, plans=plans
    )
    feed = Feed()
    writer = Writer(sessions, feed, positions=bool(replicas.replicas))
    graphql = GraphQLEndpoint(operations, replicas, writer, settings, graphiql_html())
    app = App(
        graphql,
        routes=[
            Route("/graphql", graphql.handle, methods=["GET", "POST"]),
            Route("/healthz", _healthz(engine), methods=["GET"]),
            WebSocketRoute(
                "/graphql",
                SubscriptionEndpoint(sessions, writer, settings.limits, settings.timeout_seconds),
            ),
            *explorer_routes(),
            *docs_routes(),
        ],
        middleware=_middleware(settings),
        lifespan=_lifespan(settings, engine, sessions, operations, replicas, feed, pooled),
    )
    app.state.operations = operations  # the tests compare compiled and resolved answers through it
    app.state.engine = engine  # for tools that watch the database, such as statement counters
    app.state.replicas = replicas
    return app


class App(Starlette):
    """The routes below, with one short way to the GraphQL endpoint.

    A POST to /graphql that carries no Origin header (a script or a server, not a browser:
    there is no CORS work to do) goes straight to the endpoint, which gives it its request
    ID as the middleware would; routing, the middleware and Starlette's request and
    response objects are most of what a small query costs otherwise. Everything else,
    browsers' requests included, goes through the routes and the middleware.
    """

    def __init__(self, graphql: GraphQLEndpoint, **options: Any) -> None:
        super().__init__(**options)
        self.graphql = graphql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == "/graphql"
            and b"origin" not in dict(scope["headers"])
        ):
            scope["app"] = self
            await self.graphql(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _plans(settings: Settings, engine: AsyncEngine, pooled: bool) -> Plans | None:
    """Compiled execution for the database, unless switched off or impossible there."""
    if not settings.compiled:
        return None
    try:
        return Plans(schema._schema, engine.dialect, statements.for_url(engine.url, pooled=pooled))
    except ValueError as reason:
        log.warning("queries run on the resolvers only: %s", reason)
        return None


def _lifespan(
    settings: Settings,
    engine: AsyncEngine,
    sessions: async_sessionmaker[AsyncSession],
    operations: Operations,
    replicas: Replicas,
    feed: Feed,
    pooled: bool,
) -> Callable[[Starlette], contextlib.AbstractAsyncContextManager[None]]:
    """Start-up (the database readied, the list sizes read, the feed heard, the replicas
    watched) and shut-down, which closes every connection whether start-up finished or not."""

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            if settings.seed_on_start:
                await prepare_database(engine, sessions, world=settings.seed_world, pooled=pooled)
            await operations.sizes.start(sessions)
            if operations.plans is not None:
                await operations.plans.learn(sessions)
                await operations.plans.statements.open()
            if engine.dialect.name == "postgresql":
                # Hear every process's writes, on a direct line to the primary if one is given.
                feed.listen(settings.listen_url or settings.database_url)
            await replicas.start()
            yield
        finally:
            await operations.sizes.stop()
            await replicas.close()
            await feed.close()
            if operations.plans is not None:
                await operations.plans.statements.close()
            await engine.dispose()

    return lifespan


def _healthz(engine: AsyncEngine) -> Callable[[Request], Awaitable[Response]]:
    async def healthz(_: Request) -> Response:
        """200 while the database answers; 503, quickly, while it does not."""
        try:
            async with asyncio.timeout(3):
                async with engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception as error:  # any failure to reach the database is the answer here
            if not is_outage(error) and not isinstance(error, TimeoutError):
                raise
            return JSONResponse({"status": "unavailable", "database": UNAVAILABLE}, status_code=503)
        return JSONResponse({"status": "ok"})

    return healthz


def _middleware(settings: Settings) -> list[Middleware]:
    """Request IDs on every answer, and CORS as configured."""
    return [
        Middleware(RequestIdMiddleware),
        Middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=list(settings.cors_headers),
            expose_headers=[HEADER, "ETag", "X-Bilateral-Execution", LSN],
            allow_credentials=False,
        ),
    ]


def _replica(name: str, url: str, *, pooled: bool, compiled: bool) -> Database:
    """A replica's engine, sessions and (for compiled queries) statement runner."""
    engine = make_engine(url, pooled=pooled)
    runner = statements.for_url(engine.url, pooled=pooled) if compiled else None
    return Database(name, engine, make_sessions(engine), runner)
