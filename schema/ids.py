"""Global IDs: opaque strings that name a type and a row, for `node(id:)`."""

import base64
import binascii

from graphql import GraphQLError

from db import base64url


def encode_id(type_name: str, pk: int) -> str:
    """The global ID of one row of one type."""
    return base64url.encode(f"{type_name}:{pk}")


def parse_id(value: str) -> tuple[str, int] | None:
    """The type name and row id a global ID stands for, or None if it is not one."""
    try:
        padded = value + "=" * (-len(value) % 4)
        type_name, _, pk = base64.urlsafe_b64decode(padded.encode("ascii")).decode().partition(":")
    except (UnicodeError, binascii.Error, ValueError):
        return None
    if type_name.isidentifier() and pk.isdigit() and len(pk) < 19:
        return type_name, int(pk)
    return None


def decode_id(value: str, argument: str) -> tuple[str, int]:
    """The type name and row id a global ID stands for; a GraphQL error naming the argument if it is not one."""
    found = parse_id(value)
    if found is None:
        raise GraphQLError(f"Argument '{argument}' is not a valid global ID: {value[:100]!r}.")
    return found
