"""The Starlette application: GraphQL at /graphql, a health check at /healthz."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from db.base import Base
from db.session import make_engine, make_sessions
from schema import schema
from schema.context import Context
from seed.load import seed_database
from server.settings import Settings


class GraphQLView(GraphQL[Context, None]):
    """Strawberry's ASGI view, giving each request its own Context and closing it after."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self.sessions = sessions

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(self.sessions, request)

    async def execute_operation(self, *args: Any, **kwargs: Any) -> Any:
        context: Context = kwargs["context"]
        try:
            return await super().execute_operation(*args, **kwargs)
        finally:
            await context.reader.close()


async def prepare_database(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> None:
    """Create missing tables and load the article into an empty database."""
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    await seed_database(sessions)


def create_app(settings: Settings | None = None) -> Starlette:
    """The app for these settings (default: from the environment)."""
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    sessions = make_sessions(engine)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        if settings.seed_on_start:
            await prepare_database(engine, sessions)
        yield
        await engine.dispose()

    async def healthz(_: Request) -> Response:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return JSONResponse({"status": "ok"})

    view = GraphQLView(sessions)
    app = Starlette(
        routes=[
            Route("/graphql", view, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.state.engine = engine  # for tools that watch the database, such as statement counters
    return app
