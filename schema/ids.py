"""Global IDs: opaque strings that name a type and a row, for `node(id:)`."""

import base64
import binascii

from graphql import GraphQLError

from db import base64url

# The GraphQL type of each kind of object the change log records (models.Change.target_type).
CHANGE_TARGETS = {
    "event": "Event",
    "person": "Person",
    "organization": "Organization",
    "mission": "Mission",
    "head_of_mission": "HeadOfMission",
}
# The kind the change log records for each of those types.
CHANGE_KINDS = {type_name: kind for kind, type_name in CHANGE_TARGETS.items()}


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
