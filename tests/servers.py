"""Real server processes for tests that need them: `bilateral serve` on a free port."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
BILATERAL = Path(sys.executable).parent / "bilateral"
# Seconds a server may take to answer its first health check.
STARTUP_GUARD = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _start(
    database_url: str, workers: int, log: IO[bytes], environment: dict[str, str]
) -> tuple[subprocess.Popen[bytes], str]:
    """Start a server and wait until it answers; RuntimeError (with its log) if it does not."""
    port = free_port()
    env = {
        **os.environ,
        "BILATERAL_SEED_WORLD": "off",
        **environment,
        "DATABASE_URL": database_url,
        "PORT": str(port),
    }
    process = subprocess.Popen(
        [str(BILATERAL), "serve", "--workers", str(workers)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    # A guard against a server that never answers, not a measure: with the slow tests
    # spread over the cores (make test-slow), a start-up shares the machine with other
    # tests' servers and loads, and may take far longer than its usual second or two.
    deadline = time.monotonic() + STARTUP_GUARD
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                _stop(process)
                log.seek(0)
                raise RuntimeError(f"server did not start:\n{log.read().decode()}") from None
            time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def serving(
    database_url: str, workers: int = 1, environment: dict[str, str] | None = None
) -> Iterator[str]:
    """A server process on the database (with extra environment); yields its base URL."""
    # Its log goes to a file, not a pipe, so that a chatty server can never block on it.
    with tempfile.TemporaryFile() as log:
        try:
            process, base = _start(database_url, workers, log, environment or {})
        except RuntimeError:
            # The free port may have been taken between choosing it and binding it: once more.
            process, base = _start(database_url, workers, log, environment or {})
        try:
            yield base
        finally:
            _stop(process)


def post(base: str, query: str, token: str | None = None, **variables: object) -> dict[str, object]:
    """POST a GraphQL request to a served app and return its JSON answer."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps({"query": query, "variables": variables}).encode()
    request = urllib.request.Request(f"{base}/graphql", body, headers)
    with urllib.request.urlopen(request, timeout=10) as answer:
        result: dict[str, object] = json.loads(answer.read())
        return result
