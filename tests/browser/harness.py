"""What the browser tests run on: Chromium and its flags, GraphiQL's files, the screenshot folder.

The tests need Playwright for Python and Debian's Chromium at /usr/bin/chromium (Playwright's
own browser download does not work here). Without them the tests are skipped, except under
`make browser-test`, which sets BILATERAL_BROWSER_TESTS=required and so turns a skip into a
failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import pytest
from servers import ROOT, post

if TYPE_CHECKING:
    from playwright.sync_api import Locator

CHROMIUM = Path("/usr/bin/chromium")
# As root, in a sandbox with no network beyond the package registries: no sandbox, no GPU,
# and none of Chromium's own background connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = ROOT / "build" / "screenshots"
# Timings the tests record, by name, in milliseconds: reported after the run, never asserted
# (the machine's load decides them as much as the code does).
TIMINGS: dict[str, float] = {}
GRAPHIQL_ASSETS = ROOT / "server" / "static" / "graphiql"
# The explorer's map: Natural Earth and the scripts that draw it, which every view loads.
MAP_ASSETS = ROOT / "server" / "static" / "map"


def map_assets_present() -> bool:
    """Whether `make assets` has put the map's files where the server serves them from."""
    return MAP_ASSETS.is_dir() and any(MAP_ASSETS.iterdir())


def required() -> bool:
    """Whether a missing prerequisite fails the tests instead of skipping them."""
    return os.environ.get("BILATERAL_BROWSER_TESTS") == "required"


def give_up(reason: str) -> NoReturn:
    """Skip, or fail under `make browser-test`."""
    if required():
        pytest.fail(f"{reason} (BILATERAL_BROWSER_TESTS=required)", pytrace=False)
    pytest.skip(reason)


class Screenshot(Protocol):
    def __call__(self, name: str, *, full_page: bool = True, of: Locator | None = None) -> Path: ...


def ask(base_url: str, query: str) -> dict[str, Any]:
    """The `data` of the API's answer to a query, asked over HTTP as any client would."""
    answer: dict[str, Any] = post(base_url, query)
    data: dict[str, Any] = answer["data"]
    return data
