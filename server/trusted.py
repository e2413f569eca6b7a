"""Trusted documents: a deployment that runs only the operations of a list its frontends ship.

BILATERAL_TRUSTED_DOCUMENTS names a manifest: Apollo's persisted-query manifest
(`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id",
"body", ...}]}`) or a flat map of hash to document (Relay's, GraphQL Mesh's). With it, a
request runs only a listed document: named by the persisted-query extension's hash, by a
top-level `documentId`, or sent as identical text. Automatic registration of new hashes
is off. `make trusted-documents` writes the explorer's own operations as such a manifest.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphql import GraphQLError

from server.settings import PROJECT_DIR

APOLLO_FORMAT = "apollo-persisted-query-manifest"
EXPLORER_QUERIES = PROJECT_DIR / "explorer" / "js" / "queries.js"
EXPLORER_MANIFEST = PROJECT_DIR / "explorer" / "trusted-documents.json"

# The code of a request for a document the deployment does not trust.
UNTRUSTED = "TRUSTED_DOCUMENT_REQUIRED"


class ManifestError(ValueError):
    """A manifest that cannot be read: the message names the file and the line."""


class TrustedDocuments:
    """The documents a deployment runs, by hash, and their texts."""

    def __init__(self, by_hash: Mapping[str, str]) -> None:
        self.by_hash = dict(by_hash)
        self.texts = frozenset(self.by_hash.values())

    def __contains__(self, text: object) -> bool:
        """Whether a document's text is one of the trusted ones, exactly."""
        return text in self.texts

    def text(self, document_id: str) -> str:
        """The document a hash or document ID names; a GraphQL error for one not listed."""
        key = document_id.removeprefix("sha256:")
        found = self.by_hash.get(key)
        if found is None:
            raise GraphQLError(
                f"No trusted document has the ID {document_id[:80]!r}: this deployment runs"
                " only the operations of its list (BILATERAL_TRUSTED_DOCUMENTS).",
                extensions={"code": UNTRUSTED},
            )
        return found

    @classmethod
    def load(cls, path: Path) -> TrustedDocuments:
        """A manifest from its file; ManifestError, naming the file and line, if malformed."""
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ManifestError(f"{path}: cannot be read: {error}") from None
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            raise ManifestError(f"{path}:{error.lineno}: not JSON: {error.msg}") from None
        return cls(_documents(payload, text, path))


def _documents(payload: Any, text: str, path: Path) -> dict[str, str]:
    def fail(message: str, near: str | None = None) -> ManifestError:
        line = 1
        if near is not None and near in text:
            line = text[: text.index(near)].count("\n") + 1
        return ManifestError(f"{path}:{line}: {message}")

    if not isinstance(payload, dict):
        raise fail("a manifest is a JSON object")
    if "operations" in payload or payload.get("format") == APOLLO_FORMAT:
        if payload.get("format") != APOLLO_FORMAT or payload.get("version") != 1:
            raise fail(f'an Apollo manifest has "format": "{APOLLO_FORMAT}" and "version": 1')
        operations = payload.get("operations")
        if not isinstance(operations, list):
            raise fail('"operations" must be a list', '"operations"')
        found: dict[str, str] = {}
        for number, operation in enumerate(operations, 1):
            if not (
                isinstance(operation, dict)
                and isinstance(operation.get("id"), str)
                and isinstance(operation.get("body"), str)
            ):
                near = json.dumps(operation.get("id")) if isinstance(operation, dict) else None
                raise fail(f"operation {number} needs a string `id` and `body`", near)
            found[operation["id"]] = operation["body"]
        return found
    for key, value in payload.items():
        if not isinstance(value, str):
            raise fail(f"the document of {key!r} must be a string", json.dumps(key))
    return dict(payload)


def explorer_documents(source: Path = EXPLORER_QUERIES) -> dict[str, str]:
    """The explorer's operations, by name, as the explorer sends them: each exported query
    template with its fragments put in, trimmed."""
    script = source.read_text(encoding="utf-8")
    constants = dict(re.findall(r"(?:export )?const (\w+) = `(.*?)`", script, re.S))

    def expand(template: str) -> str:
        return re.sub(r"\$\{(\w+)\}", lambda found: expand(constants[found.group(1)]), template)

    return {
        name: expand(template).strip()
        for name, template in constants.items()
        if template.lstrip().startswith("query")
    }


def apollo_manifest(documents: Mapping[str, str]) -> dict[str, Any]:
    """Documents as Apollo's persisted-query manifest, each under its text's SHA-256."""
    operations = []
    for document in documents.values():
        name = re.match(r"\s*query\s+(\w+)", document)
        operations.append(
            {
                "id": hashlib.sha256(document.encode()).hexdigest(),
                "name": name.group(1) if name else None,
                "type": "query",
                "body": document,
            }
        )
    return {"format": APOLLO_FORMAT, "version": 1, "operations": operations}


def main() -> None:
    """Write the explorer's operations as a manifest (`make trusted-documents`)."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else EXPLORER_MANIFEST
    manifest = apollo_manifest(explorer_documents())
    target.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Wrote {len(manifest['operations'])} operations to {target}")


if __name__ == "__main__":
    main()
