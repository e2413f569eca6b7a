"""On an SQLite too old for the compiled path, the app still answers: through the resolvers."""

from __future__ import annotations

import json
import os
import sqlite3
import urllib.request
from pathlib import Path

import pytest
from databases import ON_POSTGRESQL
from differential import canonical
from servers import serving

from db import sqlite_driver

pytestmark = pytest.mark.skipif(ON_POSTGRESQL, reason="the SQLite library matters on SQLite only")

# Six lists deep, as the reference query Q2: SQLite before 3.46 cannot parse it as one statement.
NESTED = """{ countries(first: 20) { nodes { code embassies { name heads { title person {
    name participations(first: 5) { nodes { role event { title date } } } } } } } } }"""


def _ask(base: str, query: str) -> tuple[bytes, str]:
    body = json.dumps({"query": query}).encode()
    request = urllib.request.Request(f"{base}/graphql", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read(), answer.headers.get("X-Bilateral-Execution", "")


def test_this_install_runs_the_compiled_path() -> None:
    """Here (Linux x86-64, or a new enough system SQLite) the compiled statements can run."""
    assert sqlite_driver.runs_compiled, sqlite_driver.version
    assert sqlite_driver.sqlite.sqlite_version_info >= sqlite_driver.COMPILED_NEEDS


# Slow: servers in processes of their own.
@pytest.mark.slow
def test_without_the_wheel_the_system_sqlite_serves_and_old_ones_leave_it_to_the_resolvers(
    database_url: str, tmp_path: Path
) -> None:
    # A pysqlite3 package that cannot be imported stands in for a platform without the wheel.
    blocker = tmp_path / "no-wheel" / "pysqlite3"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text('raise ImportError("no pysqlite3-binary here")\n')
    path = os.pathsep.join(filter(None, [str(blocker.parent), os.environ.get("PYTHONPATH")]))
    with serving(database_url) as base:
        reference, execution = _ask(base, NESTED)
    assert execution == "compiled"
    with serving(database_url, environment={"PYTHONPATH": path}) as base:
        answer, execution = _ask(base, NESTED)
    system_runs_it = sqlite3.sqlite_version_info >= sqlite_driver.COMPILED_NEEDS
    assert execution == ("compiled" if system_runs_it else "resolvers")
    assert canonical(answer) == canonical(reference)
    assert json.loads(answer)["data"]["countries"]["nodes"]
