"""The Starlette application: GraphQL at /graphql (HTTP and WebSocket), /healthz, the explorer at /."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send

from db.database import Database
from db.feed import Feed
from db.migrate import ensure_schema
from db.replicas import Replica, Replicas
from db.session import Writer
from db.statements import CONNECT_TIMEOUT
from schema import schema
from schema.budget import Budgets
from schema.compiled.plans import Plans
from schema.errors import UNAVAILABLE, is_outage
from schema.execution import Operations
from seed.load import WORLD, seed_database
from server.docs import docs_routes
from server.explorer import explorer_routes, graphiql_html
from server.http import LSN, RATE_HEADERS, GraphQLEndpoint
from server.live import SubscriptionEndpoint
from server.metrics import Metrics
from server.request_id import HEADER, RequestIdMiddleware
from server.request_log import RequestLog
from server.settings import Settings
from server.trusted import ManifestError, TrustedDocuments


async def prepare_database(database: Database, *, world: bool) -> None:
    """Set up a new database (schema, the article, and with `world` the world's posts and the
    Office of the Historian's archives); refuse one whose schema is behind."""
    await ensure_schema(database)
    await seed_database(database.sessions, world=WORLD if world else None, history=world)


def create_app(settings: Settings | None = None) -> Starlette:
    """The app for these settings (default: from the environment)."""
    settings = settings or Settings.from_env()
    database = settings.database()
    plans = None
    if database.statements is not None:  # compiled execution, unless switched off or impossible
        plans = Plans(schema._schema, database.engine.dialect, database.statements)
    replicas = Replicas(
        database,
        [Replica(replica) for replica in settings.replicas()],
        settings.replica_max_lag_seconds,
    )
    trusted = None
    if settings.trusted_documents is not None:
        try:
            trusted = TrustedDocuments.load(settings.trusted_documents)
        except ManifestError as error:
            raise SystemExit(f"BILATERAL_TRUSTED_DOCUMENTS: {error}") from None
    feed = Feed()
    writer = Writer(database.sessions, feed, positions=bool(replicas.replicas))
    operations = Operations(
        schema._schema,
        settings.limits,
        replicas,
        writer,
        timeout=settings.timeout_seconds,
        plans=plans,
        budgets=Budgets(settings.rate),
        trusted=trusted,
    )
    graphql = GraphQLEndpoint(operations, settings, graphiql_html(), trusted)
    metrics = None
    if settings.metrics:
        metrics = Metrics(database, settings.metrics_token, replicas=replicas, feed=feed)
        operations.observers.append(metrics)
    if settings.request_log:
        operations.observers.append(RequestLog(json_lines=settings.log_format == "json"))
    app = App(
        graphql,
        routes=[
            Route("/graphql", graphql.handle, methods=["GET", "POST"]),
            *([Route("/metrics", metrics.route(), methods=["GET"])] if metrics else []),
            Route("/healthz", _healthz(database), methods=["GET"]),
            WebSocketRoute("/graphql", SubscriptionEndpoint(operations)),
            *explorer_routes(),
            *docs_routes(),
        ],
        middleware=_middleware(settings),
        lifespan=_lifespan(settings, operations, feed, metrics),
    )
    app.state.operations = operations  # the tests compare compiled and resolved answers through it
    app.state.database = database
    app.state.engine = (
        database.engine
    )  # for tools that watch the database, such as statement counters
    app.state.replicas = replicas
    app.state.metrics = metrics
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


def _lifespan(
    settings: Settings, operations: Operations, feed: Feed, metrics: Metrics | None
) -> Callable[[Starlette], contextlib.AbstractAsyncContextManager[None]]:
    """Start-up (the database readied, the list sizes read, the feed heard, the replicas
    watched) and shut-down, which closes every connection whether start-up finished or not."""
    replicas = operations.replicas
    database = replicas.primary

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            if settings.seed_on_start:
                await prepare_database(database, world=settings.seed_world)
            await operations.sizes.start(database.sessions)
            if operations.plans is not None:
                await operations.plans.learn(database.sessions)
                await operations.plans.statements.open()
            if database.listen_dsn is not None:
                # Hear every process's writes, on a direct line to the primary if one is given.
                feed.listen(database.listen_dsn)
            await replicas.start()
            if operations.budgets is not None:
                await operations.budgets.start(database.sessions)
            if metrics is not None:
                await metrics.start()
            yield
        finally:
            if metrics is not None:
                await metrics.stop()
            if operations.budgets is not None:
                await operations.budgets.stop()
            await operations.sizes.stop()
            await replicas.close()
            await feed.close()
            await database.close()

    return lifespan


def _healthz(database: Database) -> Callable[[Request], Awaitable[Response]]:
    async def healthz(_: Request) -> Response:
        """200 while the database answers; 503, quickly, while it does not."""
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                async with database.engine.connect() as connection:
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
            expose_headers=[HEADER, "ETag", "X-Bilateral-Execution", LSN, *RATE_HEADERS],
            allow_credentials=False,
        ),
    ]
