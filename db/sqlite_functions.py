"""The functions compiled statements call that SQLite lacks, registered on each connection."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from db import base64url


def json_number(value: float | None) -> str | None:
    """A float as Python's JSON writes it (the shortest text that reads back as the same
    float), where SQLite would write 15 significant digits: cursors that hold one match."""
    return None if value is None else json.dumps(float(value))


# Name, argument count and implementation of each; all deterministic.
FUNCTIONS: list[tuple[str, int, Callable[..., Any]]] = [
    ("bilateral_base64url", 1, base64url.encode_or_null),
    ("bilateral_json_number", 1, json_number),
]
