"""URL-safe, unpadded base64: the form of global IDs and cursors, in Python and in SQLite."""

import base64


def encode(text: str) -> str:
    """URL-safe base64 of the text's UTF-8, without padding."""
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def encode_or_null(text: str | None) -> str | None:
    """`encode` as a SQL function: NULL stays NULL."""
    return None if text is None else encode(text)
