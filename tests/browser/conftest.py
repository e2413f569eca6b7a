"""Fixtures for the browser tests: the app served on a scratch database, and headless Chromium."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from servers import BILATERAL, ROOT, serving

from browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SCREENSHOTS,
    TIMINGS,
    Screenshot,
    give_up,
    map_assets_present,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page, Route


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server, `bilateral serve`, on a fresh SQLite database seeded with the article."""
    database = tmp_path_factory.mktemp("browser") / "bilateral.db"
    with serving(f"sqlite+aiosqlite:///{database}") as base:
        yield base


@pytest.fixture(scope="session")
def world_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real server on a database loaded as a first start loads it: the article, the
    world's 9,852 posts, the Office of the Historian's US posts, chiefs of mission and events
    (loaded by `bilateral seed --world` first, so that the server starts as quickly as any).
    One for the whole run: loading it takes half a minute, and no test writes to it."""
    database = tmp_path_factory.mktemp("world") / "bilateral.db"
    url = f"sqlite+aiosqlite:///{database}"
    subprocess.run(
        [str(BILATERAL), "seed", "--world"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    with serving(url) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        give_up("Playwright for Python is not installed")
    if not CHROMIUM.exists():
        give_up(f"{CHROMIUM} is missing (apt-get install chromium)")
    if not map_assets_present():
        give_up("the explorer's map files are missing: run `make assets`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def problems() -> list[str]:
    """Errors the test's page reported: uncaught exceptions and console errors."""
    return []


@pytest.fixture
def elsewhere() -> list[str]:
    """Requests the test's page made to any host but the app's: each fails the test."""
    return []


@pytest.fixture
def page(
    browser: Browser, base_url: str, problems: list[str], elsewhere: list[str]
) -> Iterator[Page]:
    """A fresh tab, 1280 px wide, that records the errors the page reports. It is offline but
    for the app: a request to any other host is refused, and fails the test."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    host = urlsplit(base_url).netloc

    def offline(route: Route) -> None:
        if urlsplit(route.request.url).netloc == host:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", offline)
    opened = context.new_page()
    opened.set_default_timeout(10_000)
    opened.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    opened.on(
        "console",
        lambda message: (
            problems.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    yield opened
    context.close()
    assert elsewhere == [], f"the page asked hosts other than the app's: {elsewhere}"


@pytest.fixture
def screenshot(page: Page) -> Screenshot:
    """Save the page's (or one element's) screenshot as build/screenshots/<name>.png, git-ignored."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, *, full_page: bool = True, of: Locator | None = None) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        if of is not None:
            of.screenshot(path=str(path))
        else:
            page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The timings the browser tests recorded (reported, never asserted)."""
    for name, milliseconds in TIMINGS.items():
        terminalreporter.write_line(f"browser timing: {name}: {milliseconds:.0f} ms")
