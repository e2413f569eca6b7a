"""Event filters in the data layer's terms, checked in one place for both execution paths.

The resolvers and the compiler both turn a `filter` argument into `db.queries.EventCriteria`
here; a value that names nothing is a GraphQL error worded once (the compiler then leaves
the operation to the resolvers, which report it).
"""

from __future__ import annotations

from collections.abc import Sequence

from graphql import GraphQLError

from db.countries import find_iso_country
from db.kinds import BY_TYPE
from db.models import EventKind
from db.partial_date import PartialDate
from db.queries import EventCriteria
from db.search import SearchTextError, match_query
from schema.ids import decode_id


def country_codes(codes: Sequence[str], argument: str) -> list[str]:
    """ISO codes as alpha-2, upper case; a GraphQL error naming any unknown code."""
    found = []
    for code in codes:
        country = find_iso_country(code)
        if country is None:
            raise GraphQLError(f"Argument '{argument}' has an unknown country code: {code[:20]!r}.")
        found.append(country.code)
    return found


def event_criteria(
    *,
    countries: Sequence[str] | None = None,
    kinds: Sequence[EventKind] | None = None,
    start: PartialDate | None = None,
    end: PartialDate | None = None,
    participant: str | None = None,
    text: str | None = None,
) -> EventCriteria:
    """The conditions of an event filter, checked: its fields, as the client gave them."""
    if start is not None and end is not None and start.first_day > end.last_day:
        raise GraphQLError(
            f"Argument 'filter.from' ({start}) is after 'filter.to' ({end}): the period is empty.",
            extensions={"code": "BAD_USER_INPUT"},
        )
    involved = None
    if participant is not None:
        type_name, pk = decode_id(participant, "filter.participant")
        kind = BY_TYPE.get(type_name)
        if kind is None or not kind.participant:
            raise GraphQLError(
                f"Argument 'filter.participant' must be the ID of a country, person,"
                f" organization or post, not of a {type_name}."
            )
        involved = (kind.name, pk)
    text_query = None
    if text is not None and text.strip():
        try:
            text_query = match_query(text, prefix=False, columns=("name", "body"))
        except SearchTextError as error:
            raise GraphQLError(f"Argument 'filter.text' {error}.") from None
    return EventCriteria(
        country_codes=tuple(country_codes(countries or [], "filter.countries")),
        kinds=tuple(kinds or ()),
        start=start,
        end=end,
        participant=involved,
        text_query=text_query,
    )
