"""The explorer on a deployment that runs only its own operations (BILATERAL_TRUSTED_DOCUMENTS
with the manifest `make trusted-documents` writes), driven in a real headless Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from servers import serving

from server.trusted import EXPLORER_MANIFEST, UNTRUSTED, apollo_manifest, explorer_documents

# Slow: a server in a process of its own, and Chromium.
pytestmark = pytest.mark.slow

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`bilateral serve` on a fresh database seeded with the article, trusting only the
    explorer's manifest as the repository ships it."""
    database = tmp_path_factory.mktemp("trusted") / "bilateral.db"
    environment = {"BILATERAL_TRUSTED_DOCUMENTS": str(EXPLORER_MANIFEST)}
    with serving(f"sqlite+aiosqlite:///{database}", environment=environment) as base:
        yield base


def test_the_shipped_manifest_is_the_explorers_operations() -> None:
    """The committed manifest is what `make trusted-documents` writes from the explorer's
    queries today (else the explorer would be refused on such a deployment)."""
    shipped = json.loads(EXPLORER_MANIFEST.read_text(encoding="utf-8"))
    assert shipped == apollo_manifest(explorer_documents())


# Each view, its address and the heading it shows once its operation has answered.
VIEWS = [
    ("/", "RelationView", "Belgium – Malaysia"),
    ("/relation/FR/MY", "RelationView", "France – Malaysia"),
    ("/country/MY", "CountryView", "Malaysia"),
    ("/person/UGVyc29uOjE", "PersonView", "Peter Stephen Lai"),
    ("/search?q=malaysia", "SearchView", None),
    ("/countries", "CountryPage", None),
]


@pytest.mark.parametrize(("address", "operation", "heading"), VIEWS)
def test_each_view_loads_with_only_trusted_documents(
    page: Page, problems: list[str], address: str, operation: str, heading: str | None
) -> None:
    answers: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/graphql"):
            response = request.response()
            if response is not None:
                answers.append({"status": response.status, "body": response.json()})

    page.on("requestfinished", record)
    page.goto(address)
    page.locator("main h2").wait_for()
    page.wait_for_load_state("networkidle")
    if heading is not None:
        assert page.locator("main h2").first.inner_text() == heading
    assert answers, f"{address}: the view sent no operation"
    for answer in answers:
        assert answer["status"] == 200, answer
        assert "errors" not in answer["body"], answer["body"]["errors"]
    # Not the explorer's error view, nor a "more" button's message.
    assert page.locator("main h2").first.inner_text() != "Something went wrong"
    messages = [text for text in page.locator(".error").all_inner_texts() if text.strip()]
    assert messages == []
    assert problems == []


def test_an_operation_not_in_the_manifest_is_refused(page: Page) -> None:
    page.goto("/")
    page.locator("main h2").wait_for()
    # The same endpoint the explorer uses, asked from its page for a document it never sends.
    refused = page.evaluate(
        """async () => {
            const response = await fetch("/graphql", {
                method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify({query: '{ countries(first: 1) { nodes { code } } }'}),
            });
            return {status: response.status, body: await response.json()};
        }"""
    )
    assert refused["status"] == 200, refused  # a GraphQL error, as application/json answers one
    assert refused["body"].get("data") is None
    codes = [error["extensions"]["code"] for error in refused["body"]["errors"]]
    assert codes == [UNTRUSTED], refused
    # A hash no manifest lists is refused too, and not registered by being sent with its text.
    unknown = page.evaluate(
        """async () => {
            const response = await fetch("/graphql", {
                method: "POST",
                headers: {"Content-Type": "application/json"},
                body: JSON.stringify({documentId: "sha256:" + "0".repeat(64)}),
            });
            return {status: response.status, body: await response.json()};
        }"""
    )
    assert [error["extensions"]["code"] for error in unknown["body"]["errors"]] == [UNTRUSTED]
