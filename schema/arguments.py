"""Checking the arguments of Query's fields: what a resolver reads from them, and the GraphQL
error that names a wrong one. The compiled forms ask the same (schema.compiled.compiler.checked)."""

from __future__ import annotations

from graphql import GraphQLError

from db import search
from db.countries import find_iso_country
from db.search import SearchTextError, SearchWords


def search_words(text: str | None, argument: str) -> SearchWords | None:
    """The words of a `search` argument; a GraphQL error when they cannot be searched for."""
    try:
        return search.search_words(text)
    except SearchTextError as error:
        raise GraphQLError(f"Argument '{argument}' {error}.") from None


def country_code(code: str | None, argument: str) -> str | None:
    """The alpha-2 code of the country an ISO code names; a GraphQL error for any other."""
    if code is None:
        return None
    country = find_iso_country(code)
    if country is None:
        raise GraphQLError(
            f"Argument '{argument}' is not an ISO 3166-1 country code: {code[:20]!r}."
        )
    return country.code


def country_pair(between: list[str]) -> tuple[str, str] | None:
    """The alpha-2 codes of the two countries `between` names, in its order; None where a code
    names no country (as `country(code:)` answers null for it)."""
    if len(between) != 2:
        raise GraphQLError(
            f"Argument 'between' must hold exactly two country codes; got {len(between)}."
        )
    found = [find_iso_country(code) for code in between]
    if found[0] is None or found[1] is None:
        return None
    if found[0].code == found[1].code:
        raise GraphQLError("Argument 'between' must name two different countries.")
    return found[0].code, found[1].code
