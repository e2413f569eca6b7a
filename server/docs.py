"""The project's documents in docs/, served as Markdown: the scalars' specifications point here."""

from __future__ import annotations

from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

DOCS_DIR = Path(__file__).resolve().parent.parent / "docs"


async def document(request: Request) -> Response:
    """One Markdown document of docs/, by file name; 404 for anything else."""
    name = request.path_params["name"]
    path = DOCS_DIR / name
    if not name.endswith(".md") or "/" in name or not path.is_file():
        raise HTTPException(404, f"No document {name!r}.")
    return Response(path.read_bytes(), media_type="text/markdown; charset=utf-8")


def docs_routes() -> list[BaseRoute]:
    """The route of the documents, /docs/<name>.md."""
    return [Route("/docs/{name}", document, methods=["GET"])]
