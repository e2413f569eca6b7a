"""Page sizes and cursors: what paging arguments mean, for the resolvers and the compiler alike."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence

from graphql import GraphQLError

from db import base64url
from db.pages import CursorValue

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


def page_size(first: int | None, argument: str = "first") -> int:
    """The page size asked for, checked: an error outside 0 to 100, not a silent cap."""
    if first is None:
        return DEFAULT_PAGE_SIZE
    if not 0 <= first <= MAX_PAGE_SIZE:
        message = f"Argument '{argument}' must be between 0 and {MAX_PAGE_SIZE}; got {first}."
        if first < 0:
            raise GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})
        # A limit error, said as every limit error says it (schema.limits.limit_error).
        extensions = {"limit": argument, "found": first, "allowed": MAX_PAGE_SIZE}
        raise GraphQLError(message, extensions={"code": "LIMIT_EXCEEDED", **extensions})
    return first


def encode_cursor(connection: str, key: Sequence[CursorValue]) -> str:
    """An opaque cursor for the row with this sort key in this connection."""
    raw = json.dumps([connection, *key], separators=(",", ":"), ensure_ascii=False)
    return base64url.encode(raw)


def decode_cursor(
    connection: str, cursor: str | None, size: int, argument: str = "after"
) -> tuple[CursorValue, ...] | None:
    """The sort key a cursor stands for; a GraphQL error if it is not one of this connection's."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode((cursor + "=" * (-len(cursor) % 4)).encode("ascii"))
        values = json.loads(raw)
    except (UnicodeError, binascii.Error, ValueError):
        values = None
    if (
        isinstance(values, list)
        and len(values) == size + 1
        and values[0] == connection
        and all(isinstance(value, str | int | float) or value is None for value in values[1:])
    ):
        return tuple(values[1:])
    raise GraphQLError(
        f"Argument '{argument}' is not a cursor of this connection: {cursor[:100]!r}."
    )
