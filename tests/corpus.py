"""The corpus: every GraphQL request the suite sends through the `graphql` fixture, in corpus.json.

test_corpus.py sends each one on both execution paths and requires the same answer
(tests/differential.py), once per run, instead of every test sending each of its queries
twice. `make corpus` writes the file afresh from a run of the tests that send queries
(`pytest --record-corpus`, which adds to the file) on SQLite and on PostgreSQL; a request the file does not hold yet is still compared, where
the test sends it, so that no query escapes the check while the file is behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PATH = Path(__file__).with_name("corpus.json")


@dataclass(frozen=True, order=True)
class Request:
    """A query and its variables, as the suite sent them."""

    query: str
    variables: str  # JSON, keys sorted: a value that can be compared and kept in a set

    @classmethod
    def of(cls, query: str, variables: dict[str, Any]) -> Request:
        return cls(query, json.dumps(variables, sort_keys=True, ensure_ascii=False))

    def body(self) -> dict[str, Any]:
        """The request's JSON body."""
        return {"query": self.query, "variables": json.loads(self.variables)}


def load(path: Path = PATH) -> dict[Request, str]:
    """The recorded requests, each with the first test (by name) that sent it."""
    if not path.exists():
        return {}
    entries = json.loads(path.read_text(encoding="utf-8"))
    return {Request.of(e["query"], e["variables"]): e["sender"] for e in entries}


def save(requests: dict[Request, str], path: Path = PATH) -> None:
    """Write the requests in a stable order, so that recording again changes only what changed."""
    entries = [
        {"sender": sender, "query": request.query, "variables": json.loads(request.variables)}
        for request, sender in sorted(requests.items(), key=lambda item: (item[1], item[0]))
    ]
    text = json.dumps(entries, ensure_ascii=False, indent=1)
    path.write_text(text + "\n", encoding="utf-8")


class Recorder:
    """Collects the requests of a `--record-corpus` run, which adds them to those recorded
    (the other database's among them: a search cursor holds the database's rank)."""

    def __init__(self) -> None:
        self.requests: dict[Request, str] = {}

    def add(self, request: Request, sender: str) -> None:
        known = self.requests.get(request)
        if known is None or sender < known:
            self.requests[request] = sender

    def merged(self, recorded: dict[Request, str]) -> dict[Request, str]:
        """The recorded requests and this run's."""
        kept = dict(recorded)
        for request, sender in self.requests.items():
            if request not in kept or sender < kept[request]:
                kept[request] = sender
        return kept
