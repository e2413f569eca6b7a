"""Errors as clients see them: clear where the client is at fault, masked where we are."""

from __future__ import annotations

import logging
import socket
from collections.abc import Sequence

import sqlalchemy.exc
from graphql import GraphQLError

log = logging.getLogger("bilateral.errors")

INTERNAL = "Internal server error"


def timed_out(timeout: float, request_id: str) -> GraphQLError:
    """The error of an operation stopped at the time limit."""
    message = f"The request ran longer than the time limit of {timeout:g} s and was stopped."
    return GraphQLError(message, extensions={"code": "TIMEOUT", "requestId": request_id})


def is_expected(error: GraphQLError) -> bool:
    """True for errors about the request (syntax, validation, arguments, limits), which keep their message."""
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


UNAVAILABLE = "The database is unavailable; try again shortly."

# What a database that is down or unreachable raises, through SQLAlchemy or directly.
_OUTAGES: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    ConnectionError,  # refused, reset, aborted
    socket.gaierror,  # the database's host name does not resolve
    TimeoutError,
)


def is_outage(error: BaseException | None) -> bool:
    """Whether an error means the database cannot be reached (rather than a bug)."""
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, _OUTAGES)


def mask_unexpected(errors: Sequence[GraphQLError], request_id: str) -> list[GraphQLError]:
    """The errors with every unexpected one replaced by a generic message carrying the request ID.

    The original goes to the server log with its traceback under the same ID, so an
    operator can find it; the response shows no exception text, SQL or stack frame.
    """
    shown = []
    for error in errors:
        if is_expected(error):
            if not (error.extensions or {}).get("code"):
                # An argument the resolvers refuse: a bad cursor, ID, code or date.
                error.extensions = {"code": "BAD_USER_INPUT", **(error.extensions or {})}
            shown.append(error)
            continue
        if is_outage(error.original_error):
            log.warning("request %s: database unavailable: %s", request_id, error.original_error)
            shown.append(
                GraphQLError(
                    UNAVAILABLE,
                    nodes=error.nodes,
                    path=error.path,
                    extensions={"code": "SERVICE_UNAVAILABLE", "requestId": request_id},
                )
            )
            continue
        log.error(
            "request %s: %s at %s",
            request_id,
            error.original_error.__class__.__name__,
            error.path,
            exc_info=error.original_error,
        )
        shown.append(
            GraphQLError(
                INTERNAL,
                nodes=error.nodes,
                path=error.path,
                extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
            )
        )
    return shown
