"""Every request gets an ID: in the `X-Request-ID` response header, in error extensions, in the log."""

from __future__ import annotations

import itertools
import os
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
KEY = HEADER.lower()  # as header names are looked up
NAME = KEY.encode()  # as ASGI gives header names
# An ID a client or proxy sends along is kept when it is short and plain; otherwise we make one.
_ACCEPTED = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The IDs we make: this process's random half, then a count, in 32 hex digits. Unique
# across processes and restarts without asking the system for randomness every request.
_PROCESS = os.urandom(8).hex()
_COUNT = itertools.count()


def _new_process() -> None:
    """A forked worker makes IDs of its own."""
    global _PROCESS, _COUNT
    _PROCESS, _COUNT = os.urandom(8).hex(), itertools.count()


os.register_at_fork(after_in_child=_new_process)


def new() -> str:
    """A new ID, for a request that came with none (or an unacceptable one)."""
    return f"{_PROCESS}{next(_COUNT):016x}"


def assign(scope: Scope, given: str | None = None) -> str:
    """Give the request in this scope its ID: the one it came with (`given`, when the caller
    has read it from the headers already), if acceptable, or a new one (32 hex digits)."""
    if given is None:
        given = next((v for k, v in scope["headers"] if k == NAME), b"").decode("latin-1")
    value = given if given and _ACCEPTED.fullmatch(given) else new()
    scope.setdefault("state", {})["request_id"] = value
    return value


def request_id(scope: Scope) -> str:
    """The ID of the request in this scope (given by `assign`)."""
    return str(scope.get("state", {}).get("request_id", "-"))


class RequestIdMiddleware:
    """Gives each HTTP request an ID and puts it on the response, whatever the response is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        value = assign(scope)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = value
            await send(message)

        await self.app(scope, receive, send_with_id)
