"""The browser side: the explorer page at / (and at each of its views' addresses), its map files,
and GraphiQL, all served from the server's own files."""

from __future__ import annotations

import logging
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from strawberry.http.ides import get_graphql_ide_html

log = logging.getLogger("bilateral")

EXPLORER_DIR = Path(__file__).resolve().parent.parent / "explorer"
# Filled by `make assets` from the pinned npm packages; git-ignored.
GRAPHIQL_DIR = Path(__file__).resolve().parent / "static" / "graphiql"
# Natural Earth's countries and the scripts that draw them, also filled by `make assets`.
MAP_DIR = Path(__file__).resolve().parent / "static" / "map"
# The explorer's views, each at its own address so that it can be shared and bookmarked; the page
# reads the address and shows the view. Anything else under / stays a 404.
VIEW_PATHS = (
    "/countries",
    "/country/{code}",
    "/relation/{first}/{second}",
    "/person/{id}",
    "/organization/{id}",
    "/post/{id}",
    "/search",
)
GRAPHIQL_FILES = (
    "react.production.min.js",
    "react-dom.production.min.js",
    "graphiql.min.js",
    "graphiql.min.css",
    "plugin-explorer.umd.js",
    "plugin-explorer.css",
)

OFFLINE_GRAPHIQL = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Bilateral · GraphiQL</title>
    <link rel="stylesheet" href="/static/graphiql/graphiql.min.css">
    <link rel="stylesheet" href="/static/graphiql/plugin-explorer.css">
    <link rel="stylesheet" href="/explorer/graphiql.css">
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script src="/static/graphiql/react.production.min.js"></script>
    <script src="/static/graphiql/react-dom.production.min.js"></script>
    <script src="/static/graphiql/graphiql.min.js"></script>
    <script src="/static/graphiql/plugin-explorer.umd.js"></script>
    <script src="/explorer/graphiql.js"></script>
  </body>
</html>
"""


def graphiql_assets_present(directory: Path = GRAPHIQL_DIR) -> bool:
    """Whether every file the offline GraphiQL page loads is in the folder."""
    return all((directory / name).is_file() for name in GRAPHIQL_FILES)


def graphiql_html(directory: Path = GRAPHIQL_DIR) -> str:
    """GraphiQL from the server's own files; Strawberry's CDN page when they are missing."""
    if graphiql_assets_present(directory):
        return OFFLINE_GRAPHIQL
    log.warning(
        "GraphiQL's files are not in %s (run `make assets`): /graphql serves GraphiQL"
        " from a public CDN, which needs internet access.",
        directory,
    )
    return get_graphql_ide_html("graphiql")


async def explorer_index(_: Request) -> FileResponse:
    """The explorer's single page, at / and at the address of every view."""
    return FileResponse(EXPLORER_DIR / "index.html", media_type="text/html")


class _Assets(StaticFiles):
    """Files from a folder `make assets` fills: while the folder is missing, each answers 404
    (Starlette's own would fail every request with a 500)."""

    async def check_config(self) -> None:
        if self.directory is not None and Path(self.directory).is_dir():
            await super().check_config()


def explorer_routes() -> list[BaseRoute]:
    """Routes for the explorer at / and its views' addresses, its files and map, and GraphiQL's
    files."""
    return [
        Route("/", explorer_index, methods=["GET"]),
        *(Route(path, explorer_index, methods=["GET"]) for path in VIEW_PATHS),
        Mount("/explorer", StaticFiles(directory=EXPLORER_DIR)),
        # Without `make assets` these folders are missing: their files answer 404, /graphql
        # falls back to GraphiQL's CDN page, and the explorer shows its views without maps.
        Mount("/static/graphiql", _Assets(directory=GRAPHIQL_DIR, check_dir=False)),
        # Served with an ETag and Last-Modified, like the explorer's own files: a browser that
        # has the map asks again with If-None-Match and gets a 304 while it is unchanged.
        Mount("/static/map", _Assets(directory=MAP_DIR, check_dir=False)),
    ]
