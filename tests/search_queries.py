"""The search box's test list (tests/search_queries.tsv), and how an answer is scored."""

from pathlib import Path
from typing import Any

LIST = Path(__file__).with_suffix(".tsv")

QUERY = """query ($text: String!) { search(text: $text, first: 1) { nodes { __typename
    ... on Country { code } ... on Mission { city } ... on Person { name }
    ... on Organization { name } } } }"""


def search_queries() -> list[tuple[str, str]]:
    """(query, expected first result) for each line of the list."""
    lines = [line for line in LIST.read_text(encoding="utf-8").splitlines() if line]
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    return [(query, expected) for query, expected in rows[1:]]


def first_result(node: dict[str, Any] | None) -> str:
    """A result as the list writes it: Country:JP, Mission.city:Brussels, Person:…"""
    if node is None:
        return "nothing"
    kind = node["__typename"]
    if kind == "Country":
        return f"Country:{node['code']}"
    if kind == "Mission":
        return f"Mission.city:{node['city']}"
    return f"{kind}:{node.get('name')}"
