"""Errors as clients see them: clear where the client is at fault, masked where we are."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from graphql import GraphQLError

log = logging.getLogger("bilateral.errors")

INTERNAL = "Internal server error"


def is_expected(error: GraphQLError) -> bool:
    """True for errors about the request (syntax, validation, arguments, limits), which keep their message."""
    return error.original_error is None or isinstance(error.original_error, GraphQLError)


def mask_unexpected(errors: Sequence[GraphQLError], request_id: str) -> list[GraphQLError]:
    """The errors with every unexpected one replaced by a generic message carrying the request ID.

    The original goes to the server log with its traceback under the same ID, so an
    operator can find it; the response shows no exception text, SQL or stack frame.
    """
    shown = []
    for error in errors:
        if is_expected(error):
            shown.append(error)
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
